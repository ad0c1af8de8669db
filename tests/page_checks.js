// The checks the browser tests run on every page they visit (tests/targets.py, issue #21):
// tap-target sizes (WCAG 2.2: 44 px for primary actions; 24 px for the others, or the
// spacing exception of 2.5.8), cards with space between them, and ISO dates in the text a
// person reads. One function expression, evaluated with its options:
//   {targets: true, cards: 8, primary: 44, minimum: 24}
(options) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [role=button], [role=link], [tabindex]:not([tabindex="-1"])';
  const interactive = (el) => el.matches(selector);
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
    const cls = el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return `<${el.tagName.toLowerCase()}${cls}> ${text.slice(0, 40)}`;
  };

  // Every visible target with its laid-out box (CSS px).
  const measure = () => {
    const found = [];
    for (const el of document.querySelectorAll(selector)) {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      let box = el.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue;            // not shown / visually hidden
      if (box.bottom + window.scrollY <= 0) continue;           // the skip link until focused
      if (el.closest('main') === null && el.closest('header, footer, nav') === null) continue;
      // A checkbox or radio inside its label: the label is the target.
      if (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) {
        box = el.closest('label').getBoundingClientRect();
        found.push({what: describe(el), box, primary: false, inline: false});
        continue;
      }
      // Inline in a sentence (2.5.8's inline exception): its parent holds text that is not
      // itself a target.
      let inline = false;
      if (style.display === 'inline' && el.parentElement) {
        let text = '';
        for (const node of el.parentElement.childNodes) {
          if (node === el) continue;
          if (node.nodeType === Node.TEXT_NODE) text += node.textContent;
          else if (node.nodeType === Node.ELEMENT_NODE && !interactive(node)
                   && !node.querySelector(selector)) text += node.textContent;
        }
        inline = text.replace(/[\s、。・|｜/()（）:：→←]/g, '').length > 0;
      }
      const primary = el.matches(
        '.button:not(.small), button[type=submit]:not(.link):not(.small), .menu-button');
      found.push({what: describe(el), box, primary, inline, equivalent: equivalent(el)});
    }
    return found;
  };

  // 2.5.8's spacing exception: an undersized target passes when a 24 px circle centred on
  // its box meets no other target and no other undersized target's circle.
  const spaced = (target, all, minimum) => {
    const radius = minimum / 2;
    const centre = (b) => [b.left + b.width / 2, b.top + b.height / 2];
    const [cx, cy] = centre(target.box);
    for (const other of all) {
      if (other === target || other.inline || other.equivalent) continue;
      const b = other.box;
      const nx = Math.max(b.left, Math.min(cx, b.right));
      const ny = Math.max(b.top, Math.min(cy, b.bottom));
      if (Math.hypot(cx - nx, cy - ny) < radius) return false;
      if (other.undersized) {
        const [ox, oy] = centre(b);
        if (Math.hypot(cx - ox, cy - oy) < 2 * radius) return false;
      }
    }
    return true;
  };

  // 2.5.8's equivalent exception: a link the page offers again elsewhere, outside anything
  // hidden from assistive technology (a map's dots, whose list has every municipality).
  const equivalent = (el) => {
    if (!el.matches('a[href]') || el.closest('[aria-hidden=true]') === null) return false;
    const href = el.getAttribute('href');
    return [...document.querySelectorAll('a[href]')].some(
      (other) => other !== el && other.getAttribute('href') === href
        && other.closest('[aria-hidden=true]') === null);
  };

  const smallTargets = () => {
    const primaryMin = options.primary || 44;
    const minimum = options.minimum || 24;
    const all = measure();
    // Sub-pixel layout: 43.99 is 44.
    const under = (t, min) => Math.round(t.box.width) < min || Math.round(t.box.height) < min;
    for (const t of all) t.undersized = !t.inline && !t.equivalent && under(t, minimum);
    const small = [];
    for (const t of all) {
      if (t.inline || t.equivalent) continue;
      const size = `${t.box.width.toFixed(0)}×${t.box.height.toFixed(0)}`;
      if (t.primary && under(t, primaryMin)) small.push(`${t.what} ${size} (< ${primaryMin})`);
      else if (t.undersized && !spaced(t, all, minimum)) {
        small.push(`${t.what} ${size} (< ${minimum}, too close to another target)`);
      }
    }
    return small;
  };

  const touchingCards = (apart) => {
    const cards = [...document.querySelectorAll('.card')]
      .filter((el) => el.getClientRects().length)
      .filter((el) => !el.parentElement.closest('.card'));
    const boxes = cards.map((el) => el.getBoundingClientRect());
    const touching = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const dx = Math.max(b.left - a.right, a.left - b.right);
        const dy = Math.max(b.top - a.bottom, a.top - b.bottom);
        if (Math.max(dx, dy) < apart) {
          touching.push(
            `${cards[i].id || i} and ${cards[j].id || j}: ${Math.max(dx, dy).toFixed(0)} px`);
        }
      }
    }
    return touching;
  };

  // ISO dates in the text a person reads (innerText: not inputs' values, not attributes).
  const isoDates = () => (document.body.innerText.match(
    /(?<![\d-])\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d-])/g) || []);

  return {
    small: options.targets ? smallTargets() : [],
    touching: options.cards ? touchingCards(options.cards) : [],
    iso: isoDates(),
  };
}
