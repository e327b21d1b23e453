// The request-log section: GET /v1/admin/requests searched by request id, key, status and time, newest first, a page
// at a time ("Older" follows the answer's next_before).
import { api } from "/js/api.js";
import { el } from "/js/dom.js";
import { field, number, statusLine, table } from "/admin/insight-ui.js";

const COLUMNS = [
  ["Time (UTC)", (r) => r.created_at.replace("T", " ").slice(0, 23)],
  ["Request id", (r) => r.request_id],
  ["Method", (r) => r.method],
  ["Endpoint", (r) => r.endpoint],
  ["Status", (r) => String(r.status)],
  ["ms", (r) => number(r.duration_ms, 1)],
  ["Key", (r) => r.api_key_id ?? "none"],
  ["Voice", (r) => r.voice],
  ["Characters", (r) => (r.text_length === null ? "" : String(r.text_length))],
  ["Cached", (r) => (r.cached ? "yes" : "")],
  ["Error", (r) => r.error],
];

export const title = "Request log";

/** Draws the section into `root` and shows the newest requests. */
export async function render(root, { fail }) {
  const requestId = el("input", { id: "requests-id", type: "search", autocomplete: "off", spellcheck: "false" });
  const key = el("input", { id: "requests-key", type: "search", autocomplete: "off", spellcheck: "false", placeholder: "a key's id (UUID)" });
  const status = el("input", { id: "requests-status", type: "search", autocomplete: "off", placeholder: "404, 5xx or error" });
  const from = el("input", { id: "requests-from", type: "datetime-local" });
  const to = el("input", { id: "requests-to", type: "datetime-local" });
  const message = statusLine("requests-status-line");
  const results = el("div", { id: "requests-results" });
  const older = el("button", { type: "button", id: "requests-older", hidden: true }, "Older");
  const form = el("form", { class: "filters", role: "search", "aria-label": "Search the request log" },
    field("Request id", requestId), field("API key id", key), field("Status", status),
    field("From (your time)", from), field("To (your time)", to), el("button", { type: "submit" }, "Search"));
  root.replaceChildren(form, message, results, older);

  let query = new URLSearchParams();
  let rows = [];
  let next = null;
  const search = async (before) => {
    message.textContent = "Searching…";
    try {
      const params = new URLSearchParams(query);
      if (before) params.set("before", before);
      const page = await api(`/v1/admin/requests?${params}`);
      rows = before ? rows.concat(page.items) : page.items;
      next = page.next_before;
      results.replaceChildren(table("Requests, newest first", COLUMNS, rows));
      older.hidden = !next;
      message.textContent = rows.length === 0 ? "No request matches." : `${rows.length} request${rows.length === 1 ? "" : "s"} shown.`;
    } catch (error) {
      message.textContent = "";
      fail(error);
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    query = new URLSearchParams();
    for (const [name, input] of [["request_id", requestId], ["api_key_id", key], ["status", status]])
      if (input.value.trim()) query.set(name, input.value.trim());
    // datetime-local has no zone: it is the reader's local time, sent as UTC with its offset.
    for (const [name, input] of [["from", from], ["to", to]])
      if (input.value) query.set(name, new Date(input.value).toISOString());
    search(null);
  });
  older.addEventListener("click", () => search(next));
  await search(null);
}
