"""The digests in the Wagtail admin: warnings while editing, and the inbox action."""

from django.contrib import messages

from wagtail import hooks

from briefings.inbox_action import add_to_digest_action
from briefings.models import DigestPage
from briefings.news.inbox import INBOX_ACTION_HOOK
from briefings.outline import digest_reference_problems


@hooks.register("before_edit_page")
def warn_about_digest_references(request, page):
    """Tell the editor when an issue cites a deleted item or unpublished report."""
    model = page.specific_class
    if request.method != "GET" or model is None or not issubclass(model, DigestPage):
        return None
    for problem in digest_reference_problems(page.get_latest_revision_as_object()):
        messages.warning(request, problem)
    return None


hooks.register(INBOX_ACTION_HOOK, add_to_digest_action)
