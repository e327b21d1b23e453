// Builds DOM from data without ever parsing it as HTML: text goes in as text, so a name such as <img src=x onerror=…>
// shows as those characters. Pages use this (or createElement/textContent) and never innerHTML.

/**
 * Creates an element: `attributes` sets attributes (true: present, false/null/undefined: absent), except `on…` keys,
 * which add event listeners; children are nodes, strings (as text) or arrays of them; null and false are skipped.
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content with `children`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/** An instant as the reader's local date and time, or an em dash for none. */
export function when(instant) {
  return instant ? new Date(instant).toLocaleString() : "—";
}
