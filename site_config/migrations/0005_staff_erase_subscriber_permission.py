"""Editors may erase a subscriber's data on the person's request.

Erasure is a right people have; staff who answer the mail must be able to
carry it out without superuser rights. Only Editors: Moderators review
content and need no say over subscribers' data.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Editors",)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are made after migrate; make them now for a fresh database.
    create_permissions(global_apps.get_app_config("newsletter"), apps=apps, verbosity=0)
    permissions = Permission.objects.filter(
        content_type__app_label="newsletter", codename="erase_subscriber"
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("site_config", "0004_staff_news_and_newsletter_permissions"),
        ("newsletter", "0002_retention_and_suppression"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
