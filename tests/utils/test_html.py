import shutil

import pytest

from tests.utils import html as html_utils
from tests.utils.html import assert_valid_html, validate_html_documents


def document(body: str, *, head: str = "<title>Test page</title>") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


VALID = document("<main><h1>Research for peace</h1><p>Hello.</p></main>")
BROKEN = {
    # The </p> closes nothing: the <div> already ended the paragraph implicitly.
    "div in p": document("<p>Intro <div>block</div> tail</p>"),
    "duplicate id": document('<p id="lead">One</p>\n<p id="lead">Two</p>'),
    "no title": document("<p>Hello.</p>", head=""),
    # Only a warning: the type attribute is unnecessary for JavaScript.
    "warning only": document('<script type="text/javascript">1</script>'),
    "valid": VALID,
    # role="list" is deliberate: VoiceOver drops the semantics of unstyled lists.
    "list role": document('<ul class="cards" role="list"><li>One</li></ul>'),
}


@pytest.fixture(scope="module")
def broken_results() -> dict[str, list[str]]:
    return validate_html_documents(BROKEN)


def test_valid_document_passes():
    assert_valid_html(VALID.encode(), label="minimal document")


def test_several_documents_are_checked_in_one_run(broken_results):
    assert set(broken_results) == set(BROKEN)
    assert broken_results["valid"] == []


def test_role_list_on_a_list_is_not_a_problem(broken_results):
    assert broken_results["list role"] == []


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("div in p", "No “p” element in scope but a “p” end tag seen."),
        ("duplicate id", "Duplicate ID “lead”."),
        ("no title", "missing a required instance of child element “title”"),
        ("warning only", "The “type” attribute is unnecessary"),
    ],
)
def test_broken_document_is_reported(broken_results, label, expected):
    assert any(expected in problem for problem in broken_results[label]), (
        broken_results[label]
    )


def test_report_gives_kind_line_message_and_marked_extract(broken_results):
    first, *_ = broken_results["duplicate id"]

    assert first.startswith("- error line 9:1: ")
    assert "Duplicate ID “lead”." in first
    assert '»<p id="lead">«Two' in first


def test_assert_valid_html_fails_listing_every_problem():
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_valid_html(BROKEN["duplicate id"], label="the lead page")

    report = str(failure.value)
    assert report.startswith("the lead page is not valid HTML (2 problems):")
    assert "- error line 9:1: Duplicate ID" in report
    assert "- warning line 8:1: The first occurrence of ID" in report


def test_warnings_pass_only_when_allowed():
    assert_valid_html(BROKEN["warning only"], allow_warnings=True)


def test_missing_jar_skips_outside_ci(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(html_utils, "VNU_JAR", tmp_path / "vnu.jar")

    with pytest.raises(pytest.skip.Exception, match="`make test` installs"):
        assert_valid_html(VALID)


def test_missing_java_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(shutil, "which", lambda name: None)

    with pytest.raises(
        pytest.fail.Exception, match="apt-get install default-jre-headless"
    ):
        assert_valid_html(VALID)


def test_no_documents_start_no_checker(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: pytest.fail("ran the checker"))

    assert validate_html_documents({}) == {}
