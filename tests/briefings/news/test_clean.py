"""The one cleaning policy: allowlisted HTML, plain text, canonical addresses."""

import json
import time
from pathlib import Path

import pytest

from briefings.news.ingest.clean import (
    html_clean,
    html_fallback,
    text_clean,
    text_from_html,
    url_canonical,
    url_clean,
)
from tests.briefings.news.feeds import browser_problems
from tests.utils.tools import PROJECT_ROOT

XSS_PAYLOADS = PROJECT_ROOT.parent / "shared" / "corpora" / "xss_payloads.json"


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hello <b>world</b></p>", "<p>Hello <b>world</b></p>"),
        ("<script>alert(1)</script><p>after</p>", "<p>after</p>"),
        ("<style>p{color:red}</style>text", "text"),
        ('<p style="color:red" onclick="x()">styled</p>', "<p>styled</p>"),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="JaVaScRiPt&#58;alert(1)">x</a>', "<a>x</a>"),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="data:text/html,<script>">x</a>', "<a>x</a>"),
        ('<a href="vbscript:msgbox(1)">x</a>', "<a>x</a>"),
        ('<a href="/relative">x</a>', "<a>x</a>"),
        (
            '<a href="https://news.example/a" target="_blank" rel="opener">x</a>',
            '<a href="https://news.example/a" rel="nofollow noopener noreferrer">x</a>',
        ),
        (
            '<a href="mailto:desk@news.example">mail</a>',
            '<a href="mailto:desk@news.example" rel="nofollow noopener noreferrer">'
            "mail</a>",
        ),
        ('<form action="https://x.example"><input name="p">Login</form>', ""),
        ('<iframe src="https://x.example"></iframe>ok', "ok"),
        ("<svg><script>alert(1)</script><text>t</text></svg>ok", "ok"),
        ("<math><mi>x</mi></math>ok", "ok"),
        ('<img src="https://tracker.example/p.gif">ok', "ok"),
        ("<!-- a comment -->ok", "ok"),
        ("<h1>Big</h1><h2>Title</h2>", "Big<h2>Title</h2>"),
        ("a\u202eb\x07c", "abc"),
    ],
)
def test_the_policy_keeps_only_what_it_allows(dirty, clean):
    assert html_clean(dirty) == clean


def test_cleaning_clean_output_changes_nothing():
    samples = [
        "<p>Text &amp; more &lt;tags&gt;</p>",
        "<b><i>misnested</b></i>",
        "<table><b>x<tr><td>cell</td></tr></table>",
        "<p>" + "<b>" * 200 + "deep",
        "plain & simple < text",
    ]
    for sample in samples:
        once = html_clean(sample)
        assert html_clean(once) == once


def test_every_xss_payload_is_defused_and_cleaning_is_idempotent():
    if not XSS_PAYLOADS.exists():
        pytest.skip(f"the XSS corpus is not at {XSS_PAYLOADS}")
    payloads = json.loads(XSS_PAYLOADS.read_text(encoding="utf-8"))
    assert len(payloads) >= 600

    started = time.perf_counter()
    failures = {}
    for payload in payloads:
        cleaned = html_clean(payload)
        problems = browser_problems(cleaned)
        if html_clean(cleaned) != cleaned:
            problems.append("not idempotent")
        if problems:
            failures[payload[:80]] = problems
    elapsed = time.perf_counter() - started

    assert failures == {}
    assert elapsed < 20


def test_the_fallback_is_escaped_text_and_stable():
    escaped = html_fallback('<p onclick="x">A <b>b</b> &amp; c<script>d</script>')

    assert "<" not in escaped
    assert html_clean(escaped) == escaped


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Title\n\twith   spaces ", "Title with spaces"),
        (
            "Bidi \u202eoverride\u202c and \u2066isolate\u2069",
            "Bidi override and isolate",
        ),
        ("Zero\u200ewidth mark\u200f", "Zerowidth mark"),
        ("Bell\x07 and NUL\x00", "Bell and NUL"),
        ("<b>not markup</b> &amp;", "<b>not markup</b> &amp;"),
        ("e\u0301", "é"),
    ],
)
def test_text_is_plain_and_clean(value, expected):
    assert text_clean(value) == expected
    assert text_clean(text_clean(value)) == text_clean(value)


def test_long_text_is_cut_with_an_ellipsis():
    cut = text_clean("word " * 100, max_length=20)

    assert len(cut) <= 20
    assert cut.endswith("…")
    assert text_clean(cut, max_length=20) == cut


def test_text_from_html_keeps_visible_text_only():
    assert text_from_html("AT&amp;T <b>bold</b><script>x()</script>") == "AT&T bold"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://News.Example:443/a/b?utm_source=x&id=3&fbclid=y&gclid=z#top",
            "https://news.example/a/b?id=3",
        ),
        ("http://news.example:80", "http://news.example/"),
        ("http://news.example:8080/x", "http://news.example:8080/x"),
        ("https://user:pw@news.example/x", "https://news.example/x"),
        (
            "https://news.example/x?b=2&a=1&mc_cid=1&mc_eid=2&UTM_Medium=m",
            "https://news.example/x?a=1&b=2",
        ),
        ("https://news.example/x?q=a%20b&_ga=1", "https://news.example/x?q=a%20b"),
        ("javascript:alert(1)", ""),
        ("ftp://news.example/x", ""),
        ("/relative/path", ""),
        ("https://news.example/\x00x", ""),
    ],
)
def test_canonical_urls_drop_tracking_case_and_fragment(url, canonical):
    assert url_canonical(url) == canonical
    assert url_canonical(url_canonical(url)) == url_canonical(url)


def test_only_web_addresses_are_kept_as_links():
    assert url_clean(" https://news.example/a ") == "https://news.example/a"
    assert url_clean("mailto:x@news.example") == ""
    assert url_clean("https://news.example:notaport/") == ""
    assert url_clean("https://news.example/a b") == ""


def test_cleaned_output_is_safe_when_parsed_like_a_browser():
    assert browser_problems(html_clean('<a href="https://ok.example">ok</a>')) == []
    assert browser_problems('<a href="javascript:x">bad</a>') != []


def test_the_corpus_path_is_where_the_readme_says():
    assert Path(XSS_PAYLOADS).name == "xss_payloads.json"
