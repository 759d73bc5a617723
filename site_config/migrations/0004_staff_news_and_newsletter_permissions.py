"""Editors and Moderators keep the inbox and the newsletter after their move.

The news and newsletter models moved from the briefings app to apps of their
own (briefings.news, briefings.newsletter). On a database made before the
move, their content types were relabelled and every grant followed; this
grants the same permissions on a fresh database, and changes nothing where
they are held already.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUPS = ("Editors", "Moderators")
STAFF_PERMISSIONS = {
    "news": {
        "newsitem": ("view", "add", "change"),  # items are dismissed, not deleted
        "newssource": ("view", "add", "change", "delete"),
    },
    "newsletter": {
        "mailinglist": ("view", "add", "change"),
        "subscriber": ("view", "add", "change"),
        "dispatch": ("view", "send_digest"),
    },
}


def _codename(action: str, model: str) -> str:
    return action if "_" in action else f"{action}_{model}"


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, models in STAFF_PERMISSIONS.items():
        # Permissions are made after migrate; make them now for a fresh database.
        create_permissions(
            global_apps.get_app_config(app_label), apps=apps, verbosity=0
        )
        for model, actions in models.items():
            found.extend(
                Permission.objects.filter(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename__in=[_codename(action, model) for action in actions],
                )
            )
    return found


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=STAFF_GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("site_config", "0003_staff_group_permissions"),
        ("briefings", "0005_news_and_newsletter_apps"),
        ("news", "0001_initial"),
        ("newsletter", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Backwards, nothing is revoked: on a database made before the move these
    # grants came from 0003, and going back must not take them away.
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
