"""Tap targets, cards and dates in the browser tests (issue #21), checked on every page the
tests visit.

- Tap targets (WCAG 2.2 target size): every visible interactive element's bounding box as the
  page lays it out; primary actions at least 44×44 px, every other target at least 24×24 px or
  spaced as 2.5.8's spacing exception allows (a 24 px circle centred on it meets no other
  target and no other undersized target's circle). A link inside a sentence is exempt (2.5.8's
  inline exception), and so is a link hidden from assistive technology that the page offers
  again elsewhere (the equivalent exception: a map's dots and its list). Buttons marked
  `.small` are secondary actions (24 px). Elements the page does not show (hidden, in a closed <details>, the skip
  link above the viewport until it has the focus, visually-hidden text) are not measured.
- Cards (.card, not nested) keep at least 8 px between them.
- No ISO date (`\\d{4}-\\d{2}-\\d{2}`) in the text a person reads: 和暦 for people.

The checks live in tests/page_checks.js. `install_page_checks(context, phone=…)` runs them on
every page load of a browser context (the `phone_page` and `desktop_page` fixtures and
`checked_context` do): targets, cards and dates in a phone-sized window, dates on the
desktop. Each load
appends its findings to the tab's sessionStorage; `page_check_problems(context)` reads them
and the fixtures fail the test on any. The functions below check the page as it is now:

    from tests.targets import small_targets
    page.goto(...)
    assert small_targets(page) == []
"""

from pathlib import Path

import pytest

PRIMARY = 44
MINIMUM = 24
CARDS_APART = 8
# A calendar date, not part of a longer number (a phone number 0880-00-0000 is not one).
ISO_DATE = r"(?<![\d-])\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d-])"

CHECKS_JS = (Path(__file__).resolve().parent / "page_checks.js").read_text(encoding="utf-8")
STORAGE_KEY = "sasaeru-page-checks"

PHONE_OPTIONS = {"targets": True, "cards": CARDS_APART, "primary": PRIMARY, "minimum": MINIMUM}
DESKTOP_OPTIONS = {"targets": False, "cards": 0}


def run_checks(page, options=PHONE_OPTIONS) -> dict:
    """The page's findings now: {"small": [...], "touching": [...], "iso": [...]}."""
    return page.evaluate(CHECKS_JS, options)


def small_targets(page) -> list[str]:
    """The targets under their minimum: 44 px for primary actions, 24 px for the others."""
    return run_checks(page)["small"]


def assert_targets_fit(page, *, context: str = "") -> None:
    small = small_targets(page)
    if small:
        where = context or page.url
        pytest.fail(f"tap targets under size on {where}:\n    " + "\n    ".join(small))


def touching_cards(page, *, apart: int = CARDS_APART) -> list[str]:
    """Pairs of cards (.card, not nested) less than `apart` px from each other."""
    return run_checks(page, {"targets": False, "cards": apart})["touching"]


def iso_dates_shown(page) -> list[str]:
    """ISO dates in the text a person reads (innerText: not inputs' values, not attributes)."""
    return run_checks(page, DESKTOP_OPTIONS)["iso"]


# Runs in every document of the context: on its load event, the checks' findings are
# appended to the tab's sessionStorage (same origin: the live server), where the test's
# teardown reads them. Pages without an http(s) origin (about:blank, set_content) are skipped.
RECORDER = """
(() => {
  if (!/^https?:$/.test(location.protocol)) return;
  const checks = %(checks)s;
  addEventListener('load', () => {
    let entry;
    try {
      // A phone-sized window (also after set_viewport_size) gets the phone's checks.
      const phone = innerWidth <= %(phone_width)d;
      const options = phone ? %(phone)s : %(desktop)s;
      entry = {url: location.pathname + location.search, phone, ...checks(options)};
    } catch (error) {
      entry = {url: location.pathname + location.search, small: [], touching: [],
               iso: [], error: String(error)};
    }
    try {
      const views = JSON.parse(sessionStorage.getItem('%(key)s') || '[]');
      views.push(entry);
      sessionStorage.setItem('%(key)s', JSON.stringify(views));
    } catch (error) { /* storage refused: nothing recorded */ }
  });
})();
"""


PHONE_WIDTH = 480


def install_page_checks(context) -> None:
    """Check every page the context loads: targets, cards and dates in a phone-sized window
    (at most 480 px wide), dates on the desktop."""
    import json

    context.add_init_script(
        RECORDER
        % {
            "checks": CHECKS_JS,
            "phone_width": PHONE_WIDTH,
            "phone": json.dumps(PHONE_OPTIONS),
            "desktop": json.dumps(DESKTOP_OPTIONS),
            "key": STORAGE_KEY,
        }
    )


def page_check_views(context) -> list[dict]:
    """What the checks recorded on each page load of the context's open tabs."""
    import json

    views = []
    for page in context.pages:
        if page.is_closed() or not page.url.startswith("http"):
            continue
        try:
            stored = page.evaluate(f"() => sessionStorage.getItem('{STORAGE_KEY}')")
        except Exception:  # a tab on a download or an error page: no storage to read
            continue
        views += json.loads(stored or "[]")
    return views


def page_check_problems(views: list[dict]) -> list[str]:
    problems = []
    for view in views:
        problems += [f"{view['url']}: small target {target}" for target in view["small"]]
        problems += [f"{view['url']}: cards touch: {pair}" for pair in view["touching"]]
        problems += [f"{view['url']}: ISO date {date}" for date in view["iso"]]
        if view.get("error"):
            problems.append(f"{view['url']}: the checks failed: {view['error']}")
    return problems
