"""News and the newsletter move to apps of their own (briefings.news, briefings.newsletter).

Only Django's idea of which app owns the models changes: their tables stay,
with every row, and the new apps' first migrations take them over. Their
content types take the new labels, so permissions, and the groups and users
holding them, follow (they point at the content type's id, which does not
change); queued background tasks find their functions at their new paths.
"""

from django.db import migrations

MOVED = {
    "news": ("newssource", "newsitem"),
    "newsletter": (
        "mailinglist",
        "subscriber",
        "subscription",
        "consentrecord",
        "dispatch",
        "delivery",
    ),
}
TASKS = {
    "briefings.tasks.source_ingest_task": "briefings.news.tasks.source_ingest_task",
    "briefings.tasks.sources_due_ingest_task": (
        "briefings.news.tasks.sources_due_ingest_task"
    ),
    "briefings.tasks.dispatch_send_task": (
        "briefings.newsletter.tasks.dispatch_send_task"
    ),
}


def _content_type_move(ContentType, *, model: str, old: str, new: str) -> None:
    moving = ContentType.objects.filter(app_label=old, model=model).first()
    if moving is None:  # a fresh database: Django makes it after migrating
        return
    # One Django made meanwhile under the target label (after a migration
    # stopped half-way) has no history: the moving one wins.
    ContentType.objects.filter(app_label=new, model=model).delete()
    moving.app_label = new
    moving.save(update_fields=["app_label"])


def _move(apps, *, back: bool) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for label, models in MOVED.items():
        old, new = (label, "briefings") if back else ("briefings", label)
        for model in models:
            _content_type_move(ContentType, model=model, old=old, new=new)
    ContentType.objects.clear_cache()
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in TASKS.items():
        if back:
            old, new = new, old
        DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    _move(apps, back=False)


def backwards(apps, schema_editor):
    _move(apps, back=True)


class Migration(migrations.Migration):

    dependencies = [
        ("briefings", "0004_mailing"),
        ("news", "0001_initial"),
        ("newsletter", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='delivery',
                    name='dispatch',
                ),
                migrations.RemoveField(
                    model_name='delivery',
                    name='subscriber',
                ),
                migrations.RemoveField(
                    model_name='dispatch',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='dispatch',
                    name='mailing_list',
                ),
                migrations.RemoveField(
                    model_name='dispatch',
                    name='page',
                ),
                migrations.RemoveField(
                    model_name='subscription',
                    name='mailing_list',
                ),
                migrations.RemoveField(
                    model_name='subscriber',
                    name='lists',
                ),
                migrations.RemoveField(
                    model_name='newsitem',
                    name='countries',
                ),
                migrations.RemoveField(
                    model_name='newsitem',
                    name='duplicate_of',
                ),
                migrations.RemoveField(
                    model_name='newsitem',
                    name='programmes',
                ),
                migrations.RemoveField(
                    model_name='newsitem',
                    name='source',
                ),
                migrations.RemoveField(
                    model_name='newsitem',
                    name='used_in',
                ),
                migrations.RemoveField(
                    model_name='newssource',
                    name='default_countries',
                ),
                migrations.RemoveField(
                    model_name='newssource',
                    name='default_programmes',
                ),
                migrations.RemoveField(
                    model_name='subscription',
                    name='subscriber',
                ),
                migrations.DeleteModel(
                    name='ConsentRecord',
                ),
                migrations.DeleteModel(
                    name='Delivery',
                ),
                migrations.DeleteModel(
                    name='Dispatch',
                ),
                migrations.DeleteModel(
                    name='MailingList',
                ),
                migrations.DeleteModel(
                    name='NewsItem',
                ),
                migrations.DeleteModel(
                    name='NewsSource',
                ),
                migrations.DeleteModel(
                    name='Subscriber',
                ),
                migrations.DeleteModel(
                    name='Subscription',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
