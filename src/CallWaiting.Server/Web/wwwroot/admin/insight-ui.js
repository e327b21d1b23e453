// Pieces the usage, request-log and system sections share, built with /js/dom.js (text stays text).
import { el } from "/js/dom.js";

/** A labelled control: <label for=id>text</label> followed by the control. */
export function field(text, control) {
  return el("div", { class: "field" }, el("label", { for: control.id }, text), control);
}

/** A table with a header row and one row per item; columns are [heading, item => cell text]. */
export function table(caption, columns, items) {
  return el("table", { class: "data" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, columns.map(([heading]) => el("th", { scope: "col" }, heading)))),
    el("tbody", {}, items.map((item) => el("tr", {}, columns.map(([, cell]) => el("td", {}, cell(item) ?? ""))))));
}

/** A status line that screen readers announce. */
export function statusLine(id) {
  return el("p", { id, class: "status", role: "status" });
}

/** "2026-12-06" of a Date, in UTC. */
export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/** A number with thousands separators and at most `digits` decimals; a dash for none. */
export function number(value, digits = 0) {
  return value === null || value === undefined ? "–" : value.toLocaleString("en-US", { maximumFractionDigits: digits });
}
