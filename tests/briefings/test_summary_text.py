"""Summaries turned into text keep punctuation against the word before it.

Reported from the inbox, the issue page and the email: "Kufatilia , the",
"read the article ." Not reproduced; these cases lock the behaviour of the two
converters (the inbox's and issue excerpts' `text_from_html`, the email's
`html_to_text`) for inline markup followed by punctuation.
"""

import pytest

from briefings.email.render import html_to_text
from briefings.news.ingest.clean import text_from_html

INLINE = ("strong", "em", "b", "i", "span", "abbr", "code", "a")
PUNCTUATION = (",", ".", ";", ":", "!", "?", ")")


def _inline(tag: str, text: str) -> str:
    href = ' href="https://news.example/a"' if tag == "a" else ""
    return f"<{tag}{href}>{text}</{tag}>"


@pytest.mark.parametrize("tag", INLINE)
@pytest.mark.parametrize("mark", PUNCTUATION)
def test_no_space_before_punctuation_after_inline_markup(tag, mark):
    summary = f"<p>(Read {_inline(tag, 'Kufatilia')}{mark} the rest.</p>"

    assert f"Kufatilia{mark} the rest." in text_from_html(summary)
    email = html_to_text(summary)
    assert f"Kufatilia {mark}" not in email
    assert " ." not in email.replace(" <https://news.example/a>", "")


def test_a_link_in_the_email_text_keeps_its_full_stop_after_the_address():
    text = html_to_text('<p>Kufatilia, <a href="https://x.example">read it</a>.</p>')

    assert text == "Kufatilia, read it <https://x.example>."
