// The one way the pages talk to the server. A page logs in with an API key (POST /web/session): the server answers
// with an HttpOnly session cookie, which scripts never see, and a CSRF token, which this module keeps and sends as
// X-CSRF-Token on every request. Errors come back as ApiError with the API's status, code and detail.

/** A non-2xx answer of the API: its HTTP status and the JSON error's code and detail. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = code || "error";
    this.detail = detail || `HTTP ${status}`;
  }
}

let csrfToken = null;

async function errorOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page, say): the status says enough.
  }
  return new ApiError(response.status, body?.code, body?.detail);
}

/** The current session ({api_key_id, api_key_name, tenant_id, scopes, csrf_token, expires_at}), or null when not logged in. */
export async function getSession() {
  const response = await fetch("/web/session", { credentials: "same-origin", headers: { accept: "application/json" } });
  if (response.status === 401 || response.status === 403) {
    csrfToken = null;
    return null;
  }
  if (!response.ok) throw await errorOf(response);
  const session = await response.json();
  csrfToken = session.csrf_token;
  return session;
}

/** Logs in with an API key; returns the session, or throws ApiError (401 for a wrong key, 429 after too many). */
export async function login(key) {
  const response = await fetch("/web/session", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ key }),
  });
  if (!response.ok) throw await errorOf(response);
  const session = await response.json();
  csrfToken = session.csrf_token;
  return session;
}

/** Ends the session (the cookie is cleared). */
export async function logout() {
  const response = await fetch("/web/session", {
    method: "DELETE",
    credentials: "same-origin",
    headers: csrfToken ? { "X-CSRF-Token": csrfToken } : {},
  });
  csrfToken = null;
  if (!response.ok) throw await errorOf(response);
}

/**
 * Calls the API with the session: `body` (any JSON value) is sent as JSON. Answers the parsed JSON for a JSON answer,
 * null for 204, and otherwise the Response itself (audio, CSV) for the caller to read. Throws ApiError on a non-2xx.
 */
export async function api(path, { method = "GET", body, headers = {}, accept = "application/json" } = {}) {
  if (csrfToken === null) await getSession();
  const init = { method, credentials: "same-origin", headers: { accept, ...headers } };
  if (csrfToken) init.headers["X-CSRF-Token"] = csrfToken;
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  return type.startsWith("application/json") && accept.includes("json") ? response.json() : response;
}
