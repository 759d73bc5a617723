"""Editors review translations: they see which are out of date and mark them
up to date (Reports → Translations). Moderators review content only."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Editors",)


def _permissions(apps):
    # Permissions are made after migrate; make them now for a fresh database.
    create_permissions(
        global_apps.get_app_config("site_config"), apps=apps, verbosity=0
    )
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="site_config", codename="review_translations"
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("site_config", "0008_translation_record"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
