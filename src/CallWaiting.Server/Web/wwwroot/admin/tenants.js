// Tenants: the operator creates tenants, sets their plan and suspends or re-activates them; a tenant's own admin sees
// (and may rename) only its own. Every rule is the server's: this page shows what the API answers.
import { api } from "/js/api.js";
import { el, replace, when } from "/js/dom.js";

export const title = "Tenants";

export async function render(root, { session, fail }) {
  const notice = el("p", { class: "notice", role: "status" });
  const table = el("div");
  const createForm = el("form", { id: "tenant-form", class: "grid", "aria-labelledby": "tenant-form-title" },
    el("label", { for: "tenant-name" }, "Name"),
    el("input", { id: "tenant-name", name: "name", required: true, maxlength: 200, autocomplete: "off" }),
    el("label", { for: "tenant-slug" }, "Slug"),
    el("input", { id: "tenant-slug", name: "slug", required: true, maxlength: 63, pattern: "[a-z0-9]([a-z0-9\\-]*[a-z0-9])?", autocomplete: "off",
      "aria-describedby": "tenant-slug-help" }),
    el("span"), el("small", { id: "tenant-slug-help", class: "muted" }, "Lower-case letters, digits and inner hyphens, e.g. acme-corp."),
    el("label", { for: "tenant-plan" }, "Plan"),
    el("input", { id: "tenant-plan", name: "plan", value: "free", required: true, maxlength: 63, autocomplete: "off" }),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Create tenant")));
  const createPanel = el("section", { class: "panel", hidden: true },
    el("h2", { id: "tenant-form-title" }, "New tenant"), createForm);
  replace(root, createPanel, notice, table);

  createForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(createForm);
    try {
      const tenant = await api("/v1/admin/tenants", { method: "POST", body: { name: data.get("name"), slug: data.get("slug"), plan: data.get("plan") } });
      createForm.reset();
      notice.textContent = `Created tenant ${tenant.name}.`;
      await refresh();
    } catch (error) {
      fail(error);
    }
  });

  async function change(tenant, body, done) {
    try {
      await api(`/v1/admin/tenants/${tenant.id}`, { method: "PATCH", body });
      notice.textContent = done;
      await refresh();
    } catch (error) {
      fail(error);
    }
  }

  function row(tenant, operator) {
    const planInput = el("input", { id: `plan-${tenant.id}`, value: tenant.plan, size: 10, "aria-label": `Plan of ${tenant.name}` });
    const actions = el("div", { class: "row-actions" });
    if (operator) {
      actions.append(
        planInput,
        el("button", { type: "button", class: "secondary", onclick: () => change(tenant, { plan: planInput.value }, `${tenant.name} is on plan ${planInput.value}.`) }, "Save plan"));
      if (tenant.slug !== "default") {
        const suspend = tenant.status === "active";
        actions.append(el("button", {
          type: "button",
          class: suspend ? "danger" : "secondary",
          onclick: () => change(tenant, { status: suspend ? "suspended" : "active" }, `${tenant.name} is ${suspend ? "suspended" : "active"}.`),
        }, suspend ? "Suspend" : "Activate"));
      }
    }
    return el("tr", { "data-tenant": tenant.slug },
      el("td", {}, tenant.name),
      el("td", {}, el("code", {}, tenant.slug)),
      el("td", {}, tenant.plan),
      el("td", {}, el("span", { class: `badge ${tenant.status}` }, tenant.status)),
      el("td", {}, when(tenant.created_at)),
      el("td", {}, actions));
  }

  async function refresh() {
    const tenants = await api("/v1/admin/tenants");
    // The operator is an admin key of the default tenant; the server decides, this only picks which forms to show.
    const operator = tenants.some((t) => t.id === session.tenant_id && t.slug === "default");
    createPanel.hidden = !operator;
    replace(table, el("table", {},
      el("caption", { class: "muted" }, `${tenants.length} tenant${tenants.length === 1 ? "" : "s"}`),
      el("thead", {}, el("tr", {}, ["Name", "Slug", "Plan", "Status", "Created", "Actions"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, tenants.map((t) => row(t, operator)))));
  }

  await refresh();
}
