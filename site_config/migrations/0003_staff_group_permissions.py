"""Give Wagtail's Editors and Moderators groups what communications staff do.

DESIGN.md: editors curate the news inbox, compose and send digests, keep the
taxonomy and publish reports. Wagtail's default groups only carry page, image
and document permissions, so a staff account in them could not open the inbox
or send an issue. Site settings, partner onboarding and users stay with admins.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUPS = ("Editors", "Moderators")
# The news and newsletter models were granted here too while they lived in
# the briefings app; 0004 grants them under their own apps' labels (on a
# database made before the move, these grants moved with their content types).
STAFF_PERMISSIONS = {
    "publications": {
        model: ("view", "add", "change", "delete")
        for model in ("programme", "country", "organisation", "person")
    },
}
EXTRA_PERMISSIONS: dict[str, tuple[str, ...]] = {}


def _permissions(apps):
    for app_label in STAFF_PERMISSIONS:
        # Permissions are made after migrate; make them now for a fresh database.
        create_permissions(
            global_apps.get_app_config(app_label), apps=apps, verbosity=0
        )
    Permission = apps.get_model("auth", "Permission")
    wanted = [
        (app_label, f"{action}_{model}")
        for app_label, models in STAFF_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    wanted += [
        (app_label, codename)
        for app_label, codenames in EXTRA_PERMISSIONS.items()
        for codename in codenames
    ]
    found = []
    for app_label, codename in wanted:
        found.extend(
            Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        )
    return found


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=STAFF_GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=STAFF_GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("site_config", "0002_standardpage_homepage_featured_page_and_more"),
        ("briefings", "0004_mailing"),
        ("publications", "0003_voices_partner"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
