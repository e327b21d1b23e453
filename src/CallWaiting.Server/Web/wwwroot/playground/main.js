// The playground at "/": log in with a key (a session cookie, never the key itself in the page), then speak text or
// SSML with the chosen voice, format, speed and rate, hear it as it streams with its words highlighted, download the
// file, and copy the request as code. Every call goes through /js/api.js to the /v1 endpoints.

import { api, getSession, login, logout, ApiError } from "/js/api.js";
import { Choices } from "./choices.js";
import { speak } from "./speak.js";
import * as snippets from "./snippets.js";

const element = (id) => document.getElementById(id);
const choices = new Choices();
let speaking = null;

/** Says something in the polite live region (errors go to the assertive one). */
function announce(message, error = false) {
  element(error ? "alert" : "status").textContent = message;
  if (!error) element("alert").textContent = "";
}

function describe(e) {
  return e instanceof ApiError ? `${e.detail ?? e.code} (${e.status})` : String(e.message ?? e);
}

/** Reports a failed call; a session that ended (expired, logged out elsewhere) brings the login form back. */
function fail(prefix, e) {
  announce(`${prefix}${describe(e)}`, true);
  if (e instanceof ApiError && e.status === 401) showSession(null);
}

async function showSession(session) {
  element("login-section").hidden = !!session;
  element("playground").hidden = !session;
  element("account").hidden = !session;
  if (!session) {
    element("login-key").focus();
    return;
  }
  element("who").textContent = `Signed in as ${session.api_key_name}`;
  const scopes = new Set(session.scopes);
  const canSpeak = scopes.has("tts:write") || scopes.has("admin");
  element("speak").disabled = !canSpeak;
  if (!canSpeak) announce("This key lacks the tts:write scope: it cannot synthesize.", true);
  choices.setLimits(await api("/v1/tts/limits"));
  choices.setVoices(scopes.has("voices:read") || scopes.has("admin") ? await api("/v1/voices") : []);
  updateSnippet();
  element("text").focus();
}

async function onLogin(event) {
  event.preventDefault();
  const input = element("login-key");
  try {
    announce("Logging in…");
    const current = await login(input.value.trim());
    input.value = "";
    announce("Logged in.");
    await showSession(current);
  } catch (e) {
    announce(`Login failed: ${describe(e)}`, true);
  }
}

async function onLogout() {
  speaking?.stop();
  try {
    await logout();
    announce("Logged out.");
  } catch (e) {
    announce(`Logout failed: ${describe(e)}`, true);
  }
  await showSession(null);
}

async function onSpeak(event) {
  event.preventDefault();
  if (!choices.countText()) {
    announce("The text is longer than the server accepts.", true);
    return;
  }
  speaking?.stop();
  const current = choices.read();
  element("stop").disabled = false;
  speaking = speak(current, choices.defaultRate, { announce: (m) => announce(m), fail: (e) => fail("", e) });
  await speaking.done;
  element("stop").disabled = true;
}

async function onDownload() {
  const current = choices.read();
  try {
    announce("Preparing the download…");
    const response = await api("/v1/tts", { method: "POST", body: { ...snippets.ttsBody(current), stream: false }, accept: "audio/*" });
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = snippets.fileName(choices.extension);
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    announce(`Downloaded ${link.download}.`);
  } catch (e) {
    fail("Download failed: ", e);
  }
}

function updateSnippet() {
  const current = choices.read();
  const origin = location.origin;
  const text = {
    curl: () => snippets.curl(origin, current, choices.extension),
    node: () => snippets.openAiNode(origin, current),
    python: () => snippets.openAiPython(origin, current),
    csharp: () => snippets.csharp(origin, current, choices.extension),
  }[element("snippet-kind").value]();
  element("snippet").textContent = text;
}

async function onCopy() {
  try {
    await navigator.clipboard.writeText(element("snippet").textContent);
    announce(`Copied as ${element("snippet-kind").selectedOptions[0].textContent}.`);
  } catch (e) {
    announce(`Copying failed (${describe(e)}); select the code and copy it.`, true);
  }
}

function wire() {
  element("login-form").addEventListener("submit", onLogin);
  element("logout").addEventListener("click", onLogout);
  element("speak-form").addEventListener("submit", onSpeak);
  element("stop").addEventListener("click", () => speaking?.stop());
  element("download").addEventListener("click", onDownload);
  element("copy").addEventListener("click", onCopy);
  element("format").addEventListener("change", () => choices.formatChanged());
  element("text").addEventListener("input", () => choices.countText());
  element("speak-form").addEventListener("input", updateSnippet);
  element("speak-form").addEventListener("change", updateSnippet);
  element("snippet-kind").addEventListener("change", updateSnippet);
}

wire();
getSession()
  .then(showSession)
  .catch((e) => {
    announce(`Could not reach the server: ${describe(e)}`, true);
    return showSession(null);
  });
