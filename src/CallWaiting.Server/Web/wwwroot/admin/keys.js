// API keys of a tenant: create (the key is shown once, with a copy button), change limits, scopes, allowed origins and
// expiry, and suspend, activate, rotate or revoke. Every rule is the server's (KeyService); this page shows its answers.
import { api } from "/js/api.js";
import { el, replace, when } from "/js/dom.js";

export const title = "API keys";

const SCOPES = ["tts:write", "voices:read", "voices:write", "usage:read", "admin"];
const DEFAULT_SCOPES = ["tts:write", "voices:read", "usage:read"];

// The key settings form, for a new key (prefix "new") or an existing one: the same controls, the same rules.
function settingsFields(prefix, key) {
  const id = (name) => `${prefix}-${name}`;
  const expires = key?.expires_at ? new Date(key.expires_at) : null;
  const local = expires ? new Date(expires.getTime() - expires.getTimezoneOffset() * 60000).toISOString().slice(0, 16) : "";
  return [
    el("label", { for: id("name") }, "Name"),
    el("input", { id: id("name"), name: "name", required: true, maxlength: 200, autocomplete: "off", value: key?.name ?? "" }),
    el("span", { id: id("scopes-label"), class: "label" }, "Scopes"),
    el("fieldset", { "aria-labelledby": id("scopes-label") },
      SCOPES.map((scope) => el("label", {},
        el("input", { type: "checkbox", name: "scopes", value: scope, checked: (key?.scopes ?? DEFAULT_SCOPES).includes(scope) }), ` ${scope}`))),
    el("label", { for: id("per-min") }, "Requests per minute"),
    el("input", { id: id("per-min"), name: "rate_limit_per_min", type: "number", min: 1, step: 1, value: key?.rate_limit_per_min ?? 120 }),
    el("label", { for: id("per-day") }, "Requests per day"),
    el("input", { id: id("per-day"), name: "rate_limit_per_day", type: "number", min: 1, step: 1, value: key?.rate_limit_per_day ?? 10000 }),
    el("label", { for: id("origins") }, "Allowed origins"),
    el("textarea", { id: id("origins"), name: "allowed_origins", rows: 2, placeholder: "https://app.example.com (one per line; empty: any)" },
      (key?.allowed_origins ?? []).join("\n")),
    el("label", { for: id("expires") }, "Expires (local time)"),
    el("input", { id: id("expires"), name: "expires_at", type: "datetime-local", value: local }),
  ];
}

function settingsOf(form) {
  const data = new FormData(form);
  const expires = data.get("expires_at");
  return {
    name: data.get("name"),
    scopes: data.getAll("scopes"),
    rate_limit_per_min: Number(data.get("rate_limit_per_min")),
    rate_limit_per_day: Number(data.get("rate_limit_per_day")),
    allowed_origins: String(data.get("allowed_origins")).split(/\s+/).filter((o) => o.length > 0),
    expires_at: expires ? new Date(expires).toISOString() : null,
  };
}

// A new key's secret: shown here once, with a copy button; it is not kept anywhere and is gone on reload.
function secretPanel(key) {
  const output = el("output", { id: "new-key", "aria-label": "The new API key" }, key.key);
  const copied = el("span", { class: "notice", role: "status" });
  return el("div", { class: "secret", id: "secret" },
    el("strong", {}, `Key for ${key.name}: `),
    output,
    el("button", {
      type: "button",
      id: "copy-key",
      onclick: async () => {
        await navigator.clipboard.writeText(key.key);
        copied.textContent = "Copied.";
      },
    }, "Copy"),
    copied,
    el("p", { class: "muted" }, "This is the only time the key is shown: copy it now and keep it secret."));
}

export async function render(root, { fail }) {
  const tenants = await api("/v1/admin/tenants");
  const select = el("select", { id: "keys-tenant" }, tenants.map((t) => el("option", { value: t.id }, `${t.name} (${t.slug})`)));
  const secret = el("div", { "aria-live": "polite" });
  const notice = el("p", { class: "notice", role: "status" });
  const table = el("div");
  const createForm = el("form", { id: "key-form", class: "grid", "aria-labelledby": "key-form-title" },
    settingsFields("new"),
    el("div", { class: "actions" }, el("button", { type: "submit", id: "create-key" }, "Create key")));
  replace(root,
    el("div", { class: "stack" }, el("label", { for: "keys-tenant" }, "Tenant"), select),
    el("section", { class: "panel" }, el("h2", { id: "key-form-title" }, "New key"), createForm),
    secret, notice, table);

  createForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const key = await api("/v1/admin/keys", { method: "POST", body: { tenant_id: select.value, ...settingsOf(createForm) } });
      createForm.reset();
      replace(secret, secretPanel(key));
      notice.textContent = "";
      await refresh();
    } catch (error) {
      fail(error);
    }
  });

  async function act(key, action) {
    if (action === "revoke" && !window.confirm(`Revoke ${key.name} (${key.key_prefix}) for good? Requests with it fail from now on.`)) return;
    try {
      const answer = await api(`/v1/admin/keys/${key.id}/${action}`, { method: "POST" });
      replace(secret, action === "rotate" ? secretPanel(answer) : "");
      notice.textContent = action === "rotate" ? `${key.name} was replaced; the old key is revoked.` : `${key.name} is ${answer.status}.`;
      await refresh();
    } catch (error) {
      fail(error);
    }
  }

  function editor(key) {
    const form = el("form", { class: "grid", "aria-label": `Settings of ${key.name}` },
      settingsFields(`edit-${key.id}`, key),
      el("div", { class: "actions" }, el("button", { type: "submit" }, "Save")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api(`/v1/admin/keys/${key.id}`, { method: "PATCH", body: settingsOf(form) });
        notice.textContent = `${key.name} was saved.`;
        await refresh();
      } catch (error) {
        fail(error);
      }
    });
    return el("details", {}, el("summary", {}, "Edit"), form);
  }

  function row(key) {
    const expired = key.expires_at && new Date(key.expires_at) <= new Date();
    const status = key.status === "active" && expired ? "expired" : key.status;
    const button = (action, label, style) =>
      el("button", { type: "button", class: style, "data-action": action, onclick: () => act(key, action) }, label);
    const live = key.status !== "revoked";
    return el("tr", { "data-key": key.key_prefix },
      el("td", {}, key.name, el("div", {}, el("code", {}, key.key_prefix))),
      el("td", {}, key.scopes.join(", ")),
      el("td", {}, `${key.rate_limit_per_min}/min, ${key.rate_limit_per_day}/day`),
      el("td", {}, key.allowed_origins.length ? key.allowed_origins.join(" ") : "any"),
      el("td", {}, when(key.expires_at)),
      el("td", {}, el("span", { class: `badge ${status}` }, status)),
      el("td", {}, when(key.last_used_at)),
      el("td", {}, live ? el("div", { class: "row-actions" },
        key.status === "active" ? button("suspend", "Suspend", "secondary") : button("activate", "Activate", "secondary"),
        button("rotate", "Rotate", "secondary"),
        button("revoke", "Revoke", "danger"),
        editor(key)) : ""));
  }

  // Each listing answers one choice of tenant; an answer that arrives after a newer choice is dropped.
  let latest = 0;
  async function refresh() {
    const mine = ++latest;
    try {
      const keys = await api(`/v1/admin/keys?tenant_id=${encodeURIComponent(select.value)}`);
      if (mine !== latest) return;
      replace(table, el("table", {},
        el("caption", { class: "muted" }, `${keys.length} key${keys.length === 1 ? "" : "s"}`),
        el("thead", {}, el("tr", {}, ["Name", "Scopes", "Limits", "Origins", "Expires", "Status", "Last used", "Actions"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, keys.map(row))));
    } catch (error) {
      fail(error);
    }
  }

  select.addEventListener("change", () => {
    replace(secret);
    refresh();
  });
  await refresh();
}
