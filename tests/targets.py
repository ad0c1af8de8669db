"""Tap targets in the browser tests (WCAG 2.2 target size, issue #21): every visible
interactive element's bounding box as the page lays it out, primary actions at least
44×44 px and every other target at least 24×24 px.

A link inside a sentence is exempt (WCAG 2.5.8's inline exception): its size is set by the
line of text around it. Elements the page does not show (hidden, in a closed <details>, the
skip link above the viewport until it has the focus, visually-hidden text) are not measured.

    from tests.targets import assert_targets_fit
    page.goto(...)
    assert_targets_fit(page)
"""

import pytest

PRIMARY = 44
MINIMUM = 24

MEASURE = """
() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [role=button], [role=link], [tabindex]:not([tabindex="-1"])';
  const interactive = (el) => el.matches(selector);
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;            // not shown / visually hidden
    if (box.bottom + window.scrollY <= 0) continue;           // the skip link until focused
    if (el.closest('main') === null && el.closest('header, footer, nav') === null) continue;
    // A checkbox or radio inside its label: the label is the target.
    if (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) {
      const label = el.closest('label').getBoundingClientRect();
      found.push({what: describe(el), width: label.width, height: label.height,
                  primary: false, inline: false});
      continue;
    }
    // Inline in a sentence: its parent holds text that is not itself a target.
    let inline = false;
    if (style.display === 'inline' && el.parentElement) {
      let text = '';
      for (const node of el.parentElement.childNodes) {
        if (node === el) continue;
        if (node.nodeType === Node.TEXT_NODE) text += node.textContent;
        else if (node.nodeType === Node.ELEMENT_NODE && !interactive(node)
                 && !node.querySelector(selector)) text += node.textContent;
      }
      inline = text.replace(/[\\s、。・|｜/()（）:：]/g, '').length > 0;
    }
    const primary = el.matches('.button:not(.small), button[type=submit]:not(.link), .menu-button');
    found.push({what: describe(el), width: box.width, height: box.height, primary, inline});
  }
  return found;
  function describe(el) {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
    const cls = el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return `<${el.tagName.toLowerCase()}${cls}> ${text.slice(0, 40)}`;
  }
}
"""


def measure_targets(page) -> list[dict]:
    """Every visible interactive element with its laid-out width and height (CSS px)."""
    return page.evaluate(MEASURE)


def small_targets(page) -> list[str]:
    """The targets under their minimum: 44 px for primary actions, 24 px for the others."""
    small = []
    for target in measure_targets(page):
        if target["inline"]:
            continue
        minimum = PRIMARY if target["primary"] else MINIMUM
        # Sub-pixel layout: 43.99 is 44.
        if round(target["width"]) < minimum or round(target["height"]) < minimum:
            small.append(
                f"{target['what']} {target['width']:.0f}×{target['height']:.0f} (< {minimum})"
            )
    return small


def assert_targets_fit(page, *, context: str = "") -> None:
    small = small_targets(page)
    if small:
        where = context or page.url
        pytest.fail(f"tap targets under size on {where}:\n    " + "\n    ".join(small))


CARDS_APART = """
(apart) => {
  const cards = [...document.querySelectorAll('.card')].filter((el) => el.getClientRects().length)
    .filter((el) => !el.parentElement.closest('.card'));
  const boxes = cards.map((el) => el.getBoundingClientRect());
  const touching = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const dx = Math.max(b.left - a.right, a.left - b.right);
      const dy = Math.max(b.top - a.bottom, a.top - b.bottom);
      if (Math.max(dx, dy) < apart) {
        touching.push(`${cards[i].id || i} and ${cards[j].id || j}: ${Math.max(dx, dy).toFixed(0)} px`);
      }
    }
  }
  return touching;
}
"""


def touching_cards(page, *, apart: int = 8) -> list[str]:
    """Pairs of cards (.card, not nested) less than `apart` px from each other."""
    return page.evaluate(CARDS_APART, apart)


ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def iso_dates_shown(page) -> list[str]:
    """ISO dates in the text a person reads (innerText: not inputs' values, not attributes)."""
    return page.evaluate(f"() => (document.body.innerText.match(/{ISO_DATE}/g) || [])")
