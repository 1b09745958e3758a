// Building the page's nodes. Text from the API is always set as a text node, never as HTML.

/** An element with attributes (on* attributes become listeners) and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) node.append(child);
  return node;
}

/** A table, or the words for "none" when there are no rows. */
export function table(headers, rows, none) {
  if (rows.length === 0) return el('p', { class: 'muted' }, none);
  return el(
    'table',
    {},
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headers.map((h) => el('th', {}, h)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((r) =>
        el(
          'tr',
          {},
          r.map((c) => el('td', {}, c ?? '')),
        ),
      ),
    ),
  );
}

/** A section with a heading. */
export const section = (title, ...children) => el('section', {}, el('h2', {}, title), ...children);
