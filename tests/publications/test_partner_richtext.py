"""What a partner can put in a study, through the editor's own save path.

Every payload of ../shared/corpora/xss_payloads.json goes in as the editor
would send it (pasted HTML converted by Draftail's converter, typed text, a
link's address, and the plain text fields), saved by POSTing the Wagtail edit
view as the partner; the study's preview and, once published, its public page
are parsed to prove nothing can run.
"""

import json
from pathlib import Path

from django.urls import reverse

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

import pytest
from bs4 import BeautifulSoup

from publications.blocks import ReportStoryBlock
from publications.models import PublicationPage
from tests.utils.tools import PROJECT_ROOT
from theme.blocks.content import PARAGRAPH_FEATURES

pytestmark = pytest.mark.django_db

# ../shared beside the checkout; a worktree in wt/<branch> has it one level up.
XSS_CANDIDATES = [
    base / "shared" / "corpora" / "xss_payloads.json"
    for base in (PROJECT_ROOT.parent, PROJECT_ROOT.parent.parent)
]
CHUNK = 140  # payloads per save; each in its own paragraph blocks
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcdoc")
DANGEROUS_ELEMENTS = {"iframe", "object", "embed", "base", "frame", "applet", "svg"}


def xss_payloads() -> list[str]:
    for path in XSS_CANDIDATES:
        if Path(path).is_file():
            return json.loads(Path(path).read_text(encoding="utf-8"))
    pytest.skip(
        f"The XSS corpus is absent ({XSS_CANDIDATES[0]}): this test needs "
        "../shared/corpora/xss_payloads.json beside the project."
    )


def test_study_rich_text_is_limited_to_what_a_study_needs():
    """Headings, emphasis, links (to pages, files, the web) and lists; no embeds,
    images inside text, code or raw HTML. Adding one must be a decision: the
    map and video embed was one (issue 19), its hosts limited by a setting."""
    assert PARAGRAPH_FEATURES == [
        "h3",
        "h4",
        "bold",
        "italic",
        "link",
        "document-link",
        "ol",
        "ul",
    ]
    body = ReportStoryBlock()
    assert set(body.child_blocks) == {
        "heading",
        "paragraph",
        "image",
        "quote",
        "key_figures",
        "fact_box",
        "call_to_action",
        "interactive",
    }
    assert body.child_blocks["paragraph"].features == PARAGRAPH_FEATURES
    assert body.child_blocks["fact_box"].child_blocks["text"].features == [
        "bold",
        "italic",
        "link",
        "ol",
        "ul",
    ]


def _contentstate_with_link(text: str, url: str) -> str:
    """What Draftail sends for a paragraph whose text is a link to `url`."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text or "x",
                    "inlineStyleRanges": [],
                    "entityRanges": [
                        {"offset": 0, "length": len(text or "x"), "key": 0}
                    ],
                    "data": {},
                }
            ],
            "entityMap": {
                "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}
            },
        }
    )


def _pasted(html: str) -> str:
    """The payload as Draftail holds it after a paste: converted to its JSON.

    The browser converts pasted HTML itself; the server's own converter stands
    in for it here. Where that converter cannot read the markup (it refuses
    unbalanced tags), the payload goes in as typed text instead.
    """
    try:
        contentstate = rich_text(html, features=PARAGRAPH_FEATURES)
        # Half-read markup can leave a link without an end; Draftail never
        # sends that, so such a payload is typed instead.
        ContentstateConverter(PARAGRAPH_FEATURES).to_database_format(contentstate)
    except (AssertionError, TypeError):
        return _contentstate_with_link(html, "https://example.org/")
    return contentstate


def _edit_form(client, page) -> dict:
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    return {key: data.getlist(key) for key in data}


def _save_as_partner(client, page, form: dict, payloads: list[str]) -> None:
    data = {key: values for key, values in form.items() if not key.startswith("body-")}
    blocks = [("paragraph", _contentstate_with_link("Click", "javascript:alert(1)"))]
    for payload in payloads:
        blocks.append(("paragraph", _pasted(payload)))
        blocks.append(("paragraph", _contentstate_with_link(payload, payload)))
    data.update(
        {
            key: [value]
            for key, value in nested_form_data({"body": streamfield(blocks)}).items()
        }
    )
    data["title"] = [payloads[0][:255]]
    data["subtitle"] = [payloads[-1][:255]]
    data["summary"] = ["\n".join(payloads)]
    data["external_label"] = [payloads[0][:120]]
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        data,
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _page_problems(html: str, baseline: BeautifulSoup) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    allowed_scripts = {str(script) for script in baseline.find_all("script")}
    allowed_elements = {
        str(element) for element in baseline.find_all(DANGEROUS_ELEMENTS)
    }
    problems = []
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            # Page data for search engines: it changes with the text, but must
            # stay one JSON document (a payload that broke out would not be).
            try:
                json.loads(script.string or "")
            except ValueError:
                problems.append(f"JSON-LD broken: {str(script)[:120]}")
        elif str(script) not in allowed_scripts:
            problems.append(f"script: {str(script)[:120]}")
    if len(soup.find_all("script")) != len(baseline.find_all("script")):
        problems.append("a script element was added")
    for element in soup.find_all(DANGEROUS_ELEMENTS):
        if str(element) not in allowed_elements:
            problems.append(f"{element.name}: {str(element)[:120]}")
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            if name.lower().startswith("on"):
                problems.append(f"{element.name}[{name}]")
            if name.lower() in URL_ATTRIBUTES:
                address = "".join(str(value).split()).lower()
                if address.startswith(("javascript:", "vbscript:", "data:text")):
                    problems.append(f"{element.name}[{name}={value[:60]}]")
        if element.name == "meta" and element.get("http-equiv", "").lower() in (
            "refresh",
            "set-cookie",
        ):
            problems.append(f"meta: {element}")
    return problems


@pytest.fixture
def partner_client(client, voices):
    client.force_login(voices.author_a)
    return client


def test_xss_corpus_pasted_into_a_study_cannot_run(voices, partner_client, client):
    payloads = xss_payloads()
    page = voices.draft_a
    preview_url = reverse("wagtailadmin_pages:view_draft", args=[page.pk])
    baseline = BeautifulSoup(
        partner_client.get(preview_url).content.decode(), "html.parser"
    )
    form = _edit_form(partner_client, page)
    problems = []
    for start in range(0, len(payloads), CHUNK):
        chunk = payloads[start : start + CHUNK]
        _save_as_partner(partner_client, page, form, chunk)
        stored = PublicationPage.objects.get(pk=page.pk).get_latest_revision()
        assert stored.user_id == voices.author_a.pk
        html = partner_client.get(preview_url).content.decode()
        problems += [
            f"payload {start}+: {problem}" for problem in _page_problems(html, baseline)
        ]
    assert problems == []

    # The last save, published by staff, reaches readers just as harmless.
    stored.publish()
    client.logout()
    public_baseline = BeautifulSoup(
        client.get(voices.live_a.get_url()).content.decode(), "html.parser"
    )
    published = PublicationPage.objects.get(pk=page.pk)
    response = client.get(published.get_url())
    assert response.status_code == 200
    assert _page_problems(response.content.decode(), public_baseline) == []
    # The text was kept as text, not dropped: readers see what was written.
    for payload in chunk[:10]:
        assert payload.strip().replace("\r\n", "\n") in published.summary
