"""Editors and Moderators see the download report (Reports → Downloads).

The counts are totals per publication and month, with nothing about the
readers; staff who publish reports need them to report on reach.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Editors", "Moderators")


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    # Permissions are made after migrate; make them now for a fresh database.
    create_permissions(
        global_apps.get_app_config("publications"), apps=apps, verbosity=0
    )
    return list(
        Permission.objects.filter(
            content_type__app_label="publications", codename="view_downloadcount"
        )
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("site_config", "0009_editors_review_translations"),
        ("publications", "0004_oai_tombstone_download_count"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
