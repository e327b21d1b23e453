// The admin dashboard's shell: the login form, the nav and logout. Each nav entry (data-tab="name") is drawn by the module
// admin/<name>.js, which exports `title` and `render(root, {session, fail})`: it fills `root`, talks to the server only
// through /js/api.js, and reports errors with fail(error).
import { ApiError, getSession, login, logout } from "/js/api.js";

const $ = (id) => document.getElementById(id);
const tabs = [...document.querySelectorAll("#nav [data-tab]")].map((link) => link.dataset.tab);
let session = null;

function message(error) {
  return error instanceof ApiError ? `${error.detail} (${error.status} ${error.code})` : String(error?.message ?? error);
}

function showLogin() {
  session = null;
  $("app").hidden = true;
  $("nav").hidden = true;
  $("who").hidden = true;
  $("login").hidden = false;
  $("login-key").focus();
}

function fail(error) {
  if (error instanceof ApiError && (error.code === "no_session" || error.code === "session_expired" || error.code.startsWith("api_key_"))) {
    showLogin();
    $("login-error").textContent = "Your session has ended; log in again.";
    return;
  }
  $("section-error").textContent = message(error);
}

async function showTab() {
  const requested = location.hash.slice(1);
  const tab = tabs.includes(requested) ? requested : tabs[0];
  for (const link of document.querySelectorAll("#nav [data-tab]")) {
    if (link.dataset.tab === tab) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  $("section-error").textContent = "";
  const root = $("section");
  root.replaceChildren();
  try {
    const module = await import(`/admin/${tab}.js`);
    $("section-title").textContent = module.title;
    document.title = `${module.title} · Admin · CallWaiting TTS`;
    await module.render(root, { session, fail });
  } catch (error) {
    fail(error);
  }
}

async function showApp(current) {
  session = current;
  $("login").hidden = true;
  $("who-name").textContent = `${current.api_key_name}${current.scopes.includes("admin") ? "" : " (no admin scope)"}`;
  $("who").hidden = false;
  $("nav").hidden = false;
  $("app").hidden = false;
  await showTab();
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  const field = $("login-key");
  try {
    const current = await login(field.value.trim());
    field.value = "";
    await showApp(current);
  } catch (error) {
    $("login-error").textContent = error instanceof ApiError && error.status === 401 ? "That key is not valid." : message(error);
    field.select();
  }
});

$("logout").addEventListener("click", async () => {
  try {
    await logout();
  } catch (error) {
    fail(error);
  }
  showLogin();
});

window.addEventListener("hashchange", () => {
  if (session) showTab();
});

try {
  const current = await getSession();
  if (current) await showApp(current);
  else showLogin();
} catch (error) {
  showLogin();
  $("login-error").textContent = message(error);
}
