"""What the running parts leave for the health check to read."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SchedulerHeartbeat(models.Model):
    """One row, rewritten by the running scheduler every SCHEDULER_HEARTBEAT s.

    `/healthz` reads its age: a scheduler that died or lost its lock stops
    beating, and the check says so.
    """

    beat_at = models.DateTimeField(_("last beat"))
    process = models.CharField(_("process"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scheduler heartbeat")

    def __str__(self):
        return f"{self.process} at {self.beat_at:%c}"

    @classmethod
    def beat(cls, *, process: str = "") -> None:
        cls.objects.update_or_create(
            pk=1, defaults={"beat_at": timezone.now(), "process": process[:200]}
        )
