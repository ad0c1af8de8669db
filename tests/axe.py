"""axe-core in the browser tests: WCAG 2.1 A and AA rules, failing on serious or critical
violations.

axe-core is the npm package pinned in package.json / package-lock.json and installed by
`bin/test` (`npm ci` into node_modules/); nothing is loaded from a CDN. Where the package is
missing the check fails (in CI) or skips the test (on a machine without Node), like the browser
fixture does for Chromium.

    from tests.axe import assert_no_serious_violations
    page.goto(...)
    assert_no_serious_violations(page)
"""

import json
import os
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}


def axe_source() -> str:
    if not AXE_JS.is_file():
        message = f"{AXE_JS} is missing: run `npm ci` (bin/test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page, *, tags=WCAG_TAGS) -> list[dict]:
    """Run axe-core on the page as it is now; return its violations (every impact)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # add_script_tag with content would be an inline script (a strict CSP refuses it);
        # evaluating the source goes through the DevTools protocol, which CSP does not govern.
        page.evaluate(axe_source() + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        list(tags),
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(
                f"    {json.dumps(node['target'], ensure_ascii=False)} {node['html'][:160]}"
            )
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_no_serious_violations(page, *, context: str = "") -> None:
    """Fail when axe-core finds a serious or critical WCAG 2.1 A/AA violation on the page."""
    violations = run_axe(page)
    serious = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
    if serious:
        where = context or page.url
        pytest.fail(f"axe-core: serious or critical violations on {where}\n{describe(serious)}")
