// Voices: the public catalog and each tenant's private voices (every tenant's for the operator, its own for a tenant admin).
import { api } from "/js/api.js";
import { el, replace } from "/js/dom.js";

export const title = "Voices";

export async function render(root, { fail }) {
  const tenants = await api("/v1/admin/tenants");
  const names = new Map(tenants.map((t) => [t.id, t.name]));
  const select = el("select", { id: "voices-tenant" },
    tenants.length > 1 ? el("option", { value: "" }, "All tenants") : null,
    tenants.map((t) => el("option", { value: t.id }, t.name)));
  const table = el("div");
  replace(root,
    el("div", { class: "stack" }, el("label", { for: "voices-tenant" }, "Tenant"), select),
    table);

  // Each listing answers one choice of tenant; an answer that arrives after a newer choice is dropped.
  let latest = 0;
  async function refresh() {
    const mine = ++latest;
    try {
      const query = select.value ? `?tenant_id=${encodeURIComponent(select.value)}` : "";
      const voices = await api(`/v1/admin/voices${query}`);
      if (mine !== latest) return;
      replace(table, el("table", {},
        el("caption", { class: "muted" }, `${voices.filter((v) => v.is_public).length} public, ${voices.filter((v) => !v.is_public).length} private`),
        el("thead", {}, el("tr", {}, ["Name", "Slug", "Language", "Gender", "Engine", "Owner"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, voices.map((v) => el("tr", { "data-voice": v.slug },
          el("td", {}, v.display_name, v.description ? el("div", { class: "muted" }, v.description) : null),
          el("td", {}, el("code", {}, v.slug)),
          el("td", {}, v.language),
          el("td", {}, v.gender ?? "—"),
          el("td", {}, v.engine),
          el("td", {}, v.is_public ? "Public" : (names.get(v.tenant_id) ?? v.tenant_id)))))));
    } catch (error) {
      fail(error);
    }
  }

  select.addEventListener("change", refresh);
  await refresh();
}
