"""Background tasks of the newsletter: they take ids and call a service."""

from django_tasks import task

from briefings.newsletter.dispatch import dispatch_leases_recover, dispatch_send
from briefings.newsletter.models import Dispatch
from briefings.newsletter.privacy import subscribers_purge
from briefings.newsletter.schedule import scheduled_sends_start_due


@task()
def dispatch_send_task(dispatch_id: int) -> dict:
    """Send what is pending of one dispatch (one worker at a time: the
    dispatch's lease decides, not this task's state)."""
    dispatch = Dispatch.objects.filter(pk=dispatch_id).first()
    if dispatch is None:
        return {"dispatch_id": dispatch_id, "outcome": "missing"}
    return dispatch_send(dispatch=dispatch).as_dict()


@task()
def dispatch_leases_recover_task() -> dict:
    """Resume every dispatch whose worker died (for the scheduler, every minute)."""
    return {"resumed": dispatch_leases_recover()}


@task()
def subscribers_purge_task() -> dict:
    """Apply the subscribers' retention periods (for a daily scheduler)."""
    return subscribers_purge().as_dict()


@task()
def scheduled_sends_due_task() -> list[int]:
    """Start the scheduled sends that are due (for the scheduler, and on publish)."""
    return scheduled_sends_start_due()
