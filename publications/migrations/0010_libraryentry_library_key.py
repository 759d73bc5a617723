from django.db import migrations, models


def keys_fill(apps, schema_editor):
    """Each entry's library key: its library page's translation key."""
    LibraryEntry = apps.get_model("publications", "LibraryEntry")
    Page = apps.get_model("wagtailcore", "Page")
    LibraryEntry.objects.update(
        library_key=models.Subquery(
            Page.objects.filter(pk=models.OuterRef("library_id")).values(
                "translation_key"
            )[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0009_library_counts"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="libraryentry",
            name="publications_entry_newest",
        ),
        migrations.AddField(
            model_name="libraryentry",
            name="library_key",
            field=models.UUIDField(null=True),
        ),
        migrations.RunPython(keys_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="libraryentry",
            name="library_key",
            field=models.UUIDField(),
        ),
        migrations.AddIndex(
            model_name="libraryentry",
            index=models.Index(
                fields=["library_key", "publication_date", "page"],
                name="publications_entry_newest",
            ),
        ),
    ]
