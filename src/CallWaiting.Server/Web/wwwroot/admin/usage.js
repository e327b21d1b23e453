// The usage section: requests, characters and audio minutes per day, latency percentiles and error rate per day, and a
// chosen measure per tenant and per key, drawn with Chart.js from GET /v1/admin/usage; the same rows as a CSV download.
import "/vendor/chart.umd.min.js";
import { api } from "/js/api.js";
import { el } from "/js/dom.js";
import { field, isoDay, number, statusLine } from "/admin/insight-ui.js";

const { Chart } = globalThis;
const DAY_MS = 86_400_000;

const MEASURES = {
  requests: { label: "Requests", value: (row) => row.requests, adds: true },
  characters: { label: "Characters", value: (row) => row.characters, adds: true },
  audio_minutes: { label: "Audio minutes", value: (row) => round(row.audio_seconds / 60, 3), adds: true },
  error_rate: { label: "Error rate (%)", value: (row) => round(row.error_rate * 100, 2), adds: false },
  p95_ms: { label: "p95 latency (ms)", value: (row) => row.p95_ms, adds: false },
};

export const title = "Usage";

/** Draws the section into `root`; a tenant's admin sees its own tenant only (the API decides). */
export async function render(root, { fail }) {
  const today = new Date();
  const from = el("input", { id: "usage-from", type: "date", value: isoDay(new Date(today.getTime() - 29 * DAY_MS)), required: true });
  const to = el("input", { id: "usage-to", type: "date", value: isoDay(today), required: true });
  const tenant = el("select", { id: "usage-tenant" }, el("option", { value: "" }, "All tenants"));
  const key = el("select", { id: "usage-key" }, el("option", { value: "" }, "All keys"));
  const measure = el("select", { id: "usage-measure" }, Object.entries(MEASURES).map(([value, m]) => el("option", { value }, m.label)));
  const csvGrouping = el("select", { id: "usage-csv-group" }, ["day", "tenant", "key"].map((g) => el("option", { value: g }, `One row per ${g}`)));
  const message = statusLine("usage-status");
  const form = el("form", { class: "filters", "aria-label": "Usage filters" },
    field("From", from), field("To", to), field("Tenant", tenant), field("Key", key), el("button", { type: "submit" }, "Show"));
  const download = el("button", { type: "button", id: "usage-csv" }, "Download CSV");

  root.replaceChildren(form, el("div", { class: "filters" }, field("CSV rows", csvGrouping), download), message,
    el("section", { class: "charts", "aria-label": "Per day" },
      figure("usage-requests", "Requests per day"), figure("usage-characters", "Characters per day"),
      figure("usage-audio", "Audio minutes per day"), figure("usage-latency", "Latency percentiles per day (ms)"),
      figure("usage-errors", "Error rate per day (%)")),
    el("section", { class: "charts", "aria-label": "Per tenant and per key" }, field("Measure", measure),
      figure("usage-tenants", "Per tenant"), figure("usage-keys", "Per key")));

  let report = null;
  const filters = (groupBy) => {
    const query = new URLSearchParams({ from: from.value, to: to.value, group_by: groupBy });
    if (tenant.value) query.set("tenant_id", tenant.value);
    if (key.value) query.set("api_key_id", key.value);
    return query;
  };
  const load = async () => {
    message.textContent = "Loading…";
    try {
      const [days, tenants, keys] = await Promise.all(["day", "tenant", "key"].map((g) => api(`/v1/admin/usage?${filters(g)}`)));
      report = { days, tenants, keys };
      fillOptions(tenant, tenants, (t) => t.tenant_id, (t) => t.tenant_name ?? t.tenant_id);
      fillOptions(key, keys, (k) => k.api_key_id, (k) => `${k.api_key_name ?? k.api_key_id} (${k.api_key_prefix ?? "deleted"})`);
      drawDays(days);
      drawGroups(report, measure.value);
      message.textContent = `${number(days.reduce((sum, d) => sum + d.requests, 0))} requests from ${from.value} to ${to.value}.`;
    } catch (error) {
      message.textContent = "";
      fail(error);
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  measure.addEventListener("change", () => report && drawGroups(report, measure.value));
  download.addEventListener("click", async () => {
    try {
      const query = filters(csvGrouping.value);
      query.set("format", "csv");
      const response = await api(`/v1/admin/usage?${query}`, { accept: "text/csv" });
      const name = /filename="?([^";]+)"?/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "usage.csv";
      const link = el("a", { href: URL.createObjectURL(await response.blob()), download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      fail(error);
    }
  });
  await load();
}

function figure(id, caption) {
  return el("figure", { class: "chart" }, el("figcaption", { id: `${id}-caption` }, caption),
    el("div", { class: "chart-box" }, el("canvas", { id, role: "img", "aria-labelledby": `${id}-caption`, "aria-describedby": `${id}-summary` })),
    el("p", { id: `${id}-summary`, class: "summary" }));
}

/** The chart in words, for those who cannot see it: each series' highest point (and total, for counts). */
function summarize(id, labels, datasets, totals) {
  document.getElementById(`${id}-summary`).textContent = datasets.map(({ label, data }) => {
    const values = data.map((v) => v ?? -Infinity);
    const top = values.indexOf(Math.max(...values));
    if (labels.length === 0 || values[top] === -Infinity) return `${label}: no data.`;
    const total = totals ? `total ${number(data.reduce((sum, v) => sum + (v ?? 0), 0), 3)}, ` : "";
    return `${label}: ${total}highest ${number(data[top], 3)} (${labels[top]}).`;
  }).join(" ");
}

function fillOptions(select, rows, value, text) {
  const chosen = select.value;
  select.replaceChildren(select.options[0], ...rows.filter(value).map((row) => el("option", { value: value(row) }, text(row))));
  select.value = [...select.options].some((option) => option.value === chosen) ? chosen : "";
}

function drawDays(days) {
  const labels = days.map((d) => d.day);
  draw("usage-requests", "bar", labels, [{ label: "Requests", data: days.map((d) => d.requests) }]);
  draw("usage-characters", "bar", labels, [{ label: "Characters", data: days.map((d) => d.characters) }]);
  draw("usage-audio", "bar", labels, [{ label: "Audio minutes", data: days.map((d) => round(d.audio_seconds / 60, 3)) }]);
  draw("usage-latency", "line", labels, ["p50", "p95", "p99"].map((p) => ({ label: p, data: days.map((d) => d[`${p}_ms`]), spanGaps: true })));
  draw("usage-errors", "line", labels, [{ label: "Error rate (%)", data: days.map((d) => round(d.error_rate * 100, 2)) }]);
}

function drawGroups(report, measureName) {
  const m = MEASURES[measureName];
  draw("usage-tenants", "bar", report.tenants.map((t) => t.tenant_name ?? t.tenant_id ?? "No key"), [{ label: m.label, data: report.tenants.map(m.value) }], m.adds);
  draw("usage-keys", "bar", report.keys.map((k) => k.api_key_name ?? k.api_key_id ?? "No key"), [{ label: m.label, data: report.keys.map(m.value) }], m.adds);
}

/** Draws (or redraws) a chart; `adds` says whether its values add up to a meaningful total (counts do, rates do not). */
function draw(id, type, labels, datasets, adds = type === "bar") {
  summarize(id, labels, datasets, adds);
  const canvas = document.getElementById(id);
  Chart.getChart(canvas)?.destroy();
  // No animation: the figures show at once (and nothing moves for people who prefer reduced motion).
  new Chart(canvas, {
    type,
    data: { labels, datasets },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
  });
}

function round(value, digits) {
  return value === null || value === undefined ? null : Number(value.toFixed(digits));
}
