"""Accessibility checks with axe-core, injected from node_modules."""

from collections.abc import Iterable

import pytest
from playwright.sync_api import Page

from tests.utils.tools import NODE_MODULES, tool_missing

AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_TAGS = (
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22a",
    "wcag22aa",
    "best-practice",
)
RUN_AXE = """
async ({tags, disabled}) => {
  const rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
    rules,
  });
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({
      target: node.target,
      html: node.html,
      summary: node.failureSummary,
    })),
  }));
}
"""


# Colours measured half-way through a fade (Wagtail's messages slide in) are
# not the page's: wait for finite CSS animations and transitions to end, 2 s
# at most.
SETTLE = """() => Promise.race([
    Promise.all(document.getAnimations()
        .filter((a) => isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
        .map((a) => a.finished.catch(() => null))),
    new Promise((resolve) => setTimeout(resolve, 2000)),
])"""


def axe_violations(page: Page, *, disable_rules: Iterable[str] = ()) -> list[dict]:
    """Run axe-core on the page once it has settled and return its violations."""
    if not AXE_JS.is_file():
        tool_missing(
            f"axe-core is not installed ({AXE_JS} is missing): "
            "`make test` installs node_modules, or run `npm ci` in "
            f"{NODE_MODULES.parent}."
        )
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's developer protocol, which the page's
        # Content-Security-Policy does not govern; a <script> tag would be
        # refused on public pages (no inline script).
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    page.evaluate(SETTLE)
    return page.evaluate(
        RUN_AXE, {"tags": list(AXE_TAGS), "disabled": [*disable_rules]}
    )


def assert_no_axe_violations(
    page: Page, *, context: str = "", disable_rules: Iterable[str] = ()
) -> None:
    """Fail listing every WCAG 2.x A/AA or best-practice violation on the page.

    `context` names the page state in the message ("menu open"); disable a
    rule only for markup the project does not own, and say why where you do.
    """
    violations = axe_violations(page, disable_rules=disable_rules)
    if violations:
        pytest.fail(format_violations(violations, url=page.url, context=context))


def format_violations(violations: list[dict], *, url: str, context: str = "") -> str:
    where = f"{url} ({context})" if context else url
    count = len(violations)
    lines = [f"axe found {count} violation{'s' * (count != 1)} on {where}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}] {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {_selector(node['target'])}")
            lines.append(f"       {node['html']}")
            for summary_line in (node.get("summary") or "").splitlines():
                if summary_line.strip():
                    lines.append(f"       | {summary_line.strip()}")
    return "\n".join(lines)


def _selector(target: list) -> str:
    # Nodes inside iframes or shadow roots come as nested lists of selectors.
    return " >>> ".join(
        part if isinstance(part, str) else " >>> ".join(part) for part in target
    )
