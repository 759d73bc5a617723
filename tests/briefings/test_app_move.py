"""News and the newsletter moved out of the briefings app with everything they had.

A database made before the move (briefings 0004) is rolled back to, filled
through the models as they were then, and migrated forward: every row, content
type, permission, grant and queued task must come through. The test database
itself is the fresh case.
"""

import datetime

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from briefings.news.models import NewsItem, NewsSource
from briefings.newsletter.models import (
    ConsentRecord,
    Delivery,
    Dispatch,
    MailingList,
    Subscriber,
)

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
# Unapplying the new apps' first migrations takes the project back to the
# layout of before the move (and unapplies what depends on them).
BEFORE_THE_MOVE = [("news", None), ("newsletter", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets)
    ContentType.objects.clear_cache()
    return state


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_a_fresh_database_has_the_moved_models_under_their_new_apps(db):
    labels = set(
        ContentType.objects.filter(
            model__in=[model for models in MOVED.values() for model in models]
        ).values_list("app_label", "model")
    )

    assert labels == {(app, model) for app, models in MOVED.items() for model in models}
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="send_digest").get().content_type == (
        ContentType.objects.get_for_model(Dispatch)
    )


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_every_row_and_grant(
    tx_issue, django_user_model
):
    issue = tx_issue
    staff = django_user_model.objects.create_user("comms", "comms@example.org")
    reader = django_user_model.objects.create_user("reader", "reader@example.org")
    try:
        old = _migrate(BEFORE_THE_MOVE).apps
        old_types = dict(
            old.get_model("contenttypes", "ContentType")
            .objects.filter(app_label="briefings")
            .values_list("model", "pk")
        )
        ids = _fill_the_old_tables(old, issue=issue, staff=staff, reader=reader)

        _migrate(_latest())

        for app, models in MOVED.items():
            for model in models:
                moved = ContentType.objects.get(pk=old_types[model])
                assert (moved.app_label, moved.model) == (app, model)
        assert not ContentType.objects.filter(
            app_label="briefings",
            model__in=[model for models in MOVED.values() for model in models],
        ).exists()
        source = NewsSource.objects.get(pk=ids["source"])
        assert source.title == "Great Lakes minerals desk"
        item = NewsItem.objects.get(pk=ids["item"])
        assert (item.status, item.source, item.used_in_id) == (
            "shortlisted",
            source,
            issue.pk,
        )
        subscriber = Subscriber.objects.get(pk=ids["subscriber"])
        assert subscriber.key == "a-key-already-in-mailed-links"
        assert list(subscriber.lists.all()) == [MailingList.objects.get(slug="old")]
        assert ConsentRecord.objects.get(subscriber=subscriber).source == "old form"
        dispatch = Dispatch.objects.get(pk=ids["dispatch"])
        assert dispatch.page_id == issue.pk
        assert list(
            Delivery.objects.filter(dispatch=dispatch).values_list("status", flat=True)
        ) == ["sent"]
        staff = django_user_model.objects.get(pk=staff.pk)
        assert staff.has_perm("newsletter.send_digest")
        assert staff.has_perm("news.change_newsitem")
        assert django_user_model.objects.get(pk=reader.pk).has_perm(
            "newsletter.view_subscriber"
        )
        assert (
            DBTaskResult.objects.get(pk=ids["task"]).task_path
            == "briefings.newsletter.tasks.dispatch_send_task"
        )
        assert Permission.objects.get(pk=ids["permission"]).codename == "send_digest"
    finally:
        _migrate(_latest())


def _fill_the_old_tables(old, *, issue, staff, reader) -> dict:
    """Rows as the code before the move made them, with its models."""

    def model(name):
        return old.get_model("briefings", name)

    source = model("NewsSource").objects.create(
        title="Great Lakes minerals desk", feed_url="https://news.example/feed.xml"
    )
    item = model("NewsItem").objects.create(
        source=source,
        identity="1" * 64,
        title="Gold leaves Ituri",
        content_hash="2" * 64,
        status="shortlisted",
        used_in_id=issue.pk,
    )
    mailing_list = model("MailingList").objects.create(
        name="Old list", slug="old", from_name="Institute", from_email="a@example.org"
    )
    subscriber = model("Subscriber").objects.create(
        email="reader@example.org",
        status="confirmed",
        key="a-key-already-in-mailed-links",
    )
    model("Subscription").objects.create(
        subscriber=subscriber, mailing_list=mailing_list
    )
    model("ConsentRecord").objects.create(
        subscriber=subscriber, action="confirmed", source="old form"
    )
    dispatch = model("Dispatch").objects.create(
        page_id=issue.pk, mailing_list=mailing_list, total=1
    )
    model("Delivery").objects.create(
        dispatch=dispatch, subscriber=subscriber, language="en", status="sent"
    )
    permission = old.get_model("auth", "Permission")
    send = permission.objects.get(
        content_type__app_label="briefings", codename="send_digest"
    )
    comms = old.get_model("auth", "Group").objects.create(name="Comms")
    comms.permissions.add(
        send,
        permission.objects.get(
            content_type__app_label="briefings", codename="change_newsitem"
        ),
    )
    old.get_model("auth", "User").objects.get(pk=staff.pk).groups.add(comms)
    old.get_model("auth", "User").objects.get(pk=reader.pk).user_permissions.add(
        permission.objects.get(
            content_type__app_label="briefings", codename="view_subscriber"
        )
    )
    now = timezone.now()
    task = old.get_model("django_tasks_database", "DBTaskResult").objects.create(
        status="READY",
        args_kwargs={"args": [dispatch.pk], "kwargs": {}},
        task_path="briefings.tasks.dispatch_send_task",
        queue_name="default",
        backend_name="default",
        run_after=now - datetime.timedelta(seconds=1),
    )
    return {
        "source": source.pk,
        "item": item.pk,
        "subscriber": subscriber.pk,
        "dispatch": dispatch.pk,
        "task": task.pk,
        "permission": send.pk,
    }
