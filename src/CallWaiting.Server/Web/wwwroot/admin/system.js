// The system section: GET /v1/admin/system, this replica's engines, models, workers, queue, cache, database, Redis and
// build (the operator's keys only; anyone else sees the API's 403).
import { api } from "/js/api.js";
import { el } from "/js/dom.js";
import { number, statusLine, table } from "/admin/insight-ui.js";

export const title = "System";

/** Draws the section into `root`; Refresh reads it again. */
export async function render(root, { fail }) {
  const message = statusLine("system-status-line");
  const report = el("div", { id: "system-report" });
  const refresh = el("button", { type: "button", id: "system-refresh" }, "Refresh");
  root.replaceChildren(refresh, message, report);
  const load = async () => {
    message.textContent = "Loading…";
    try {
      const s = await api("/v1/admin/system");
      report.replaceChildren(
        facts("Overview", [
          ["Status", s.status],
          ["Version", s.build.version],
          ["Runtime", s.build.runtime],
          ["Instance", s.build.instance],
          ["Up since", `${s.build.started_at} (${number(s.build.uptime_seconds)} s)`],
          ["Database", `${s.database.provider}, ${s.database.healthy ? "healthy" : "not answering"}`],
          ["Redis", s.redis.configured ? (s.redis.healthy ? "healthy" : "not answering") : "not configured (limits and cache in process)"],
          ["ONNX Runtime provider", s.build.onnx_provider ?? "none"],
          ["Memory in use", s.memory_percent === null ? "unknown" : `${s.memory_percent} %`],
          ["Metering backlog", number(s.metering_queue_depth)],
        ]),
        facts("Workers", [
          ["Configured", number(s.workers.configured)],
          ["Live processes", s.workers.process_ids.join(", ") || "none"],
          ["Busy", number(s.workers.busy)],
          ["Queue depth", number(s.workers.queue_depth)],
          ["Restarts", number(s.workers.restarts)],
        ]),
        facts("Audio cache since start", [
          ["Hit rate", `${number(s.cache.hit_rate * 100, 1)} %`],
          ["Lookups", number(s.cache.lookups)],
          ...Object.entries(s.cache.by_result).map(([result, count]) => [result === "miss" ? "Misses" : `Hits in ${result}`, number(count)]),
        ]),
        table("Engines", [["Engine", (e) => e.name], ["Ready", (e) => (e.ready ? "yes" : "no")], ["Voices", (e) => number(e.voices)]], s.engines),
        table("Models", [["File", (m) => m.file], ["Engine", (m) => m.engine], ["Status", (m) => m.status], ["Reason", (m) => m.reason],
          ["Voices", (m) => m.voices.join(", ")]], s.models));
      message.textContent = `Checked at ${s.checked_at}.`;
    } catch (error) {
      message.textContent = "";
      fail(error);
    }
  };
  refresh.addEventListener("click", load);
  await load();
}

function facts(heading, pairs) {
  return el("section", { class: "facts" }, el("h2", {}, heading),
    el("dl", {}, pairs.map(([term, value]) => [el("dt", {}, term), el("dd", {}, value)])));
}
