// Opens CallWaiting's API reference page in Debian's Chromium, then, from that page, runs the browser flow of
// docs/WEBSOCKET.md: connect to /v1/tts/ws with a ws-token (browsers cannot set headers), stream text, and decode
// the audio that comes back with the browser's own decoder (Web Audio decodeAudioData). Prints one JSON object.
//
// Environment: BASE_URL (http://127.0.0.1:port/), API_KEY, VOICE, FORMATS (comma-separated), CHROMIUM (optional path).
// This script plays the app's backend too: it trades the API key for a short-lived token right before each session
// and hands the browser only the token.
import { chromium } from "playwright-core";

const baseUrl = process.env.BASE_URL;
const apiKey = process.env.API_KEY;
const voice = process.env.VOICE ?? "james-en-us";
const formats = (process.env.FORMATS ?? "mp3").split(",");
const text = "Hello from the browser. Chromium decodes this audio itself.";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // Root in CI: Chromium's sandbox needs user namespaces that containers often lack, and their /dev/shm is often tiny.
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  const errors = [];
  const failed = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("requestfailed", (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  const docs = await page.goto(new URL("docs/", baseUrl).toString(), { waitUntil: "networkidle" });
  // The reference has rendered the OpenAPI document once the API's title heading and its endpoint groups show.
  await page.getByRole("heading", { name: "CallWaiting TTS API" }).first().waitFor({ timeout: 30000 });
  await page.getByText("OpenAI compatible").first().waitFor({ timeout: 30000 });
  const result = { docsStatus: docs.status(), docsTitle: await page.title(), pageErrors: errors, failedRequests: failed, sessions: {} };

  for (const format of formats) {
    const issued = await fetch(new URL("v1/auth/ws-token", baseUrl), { method: "POST", headers: { "x-api-key": apiKey } });
    if (issued.status !== 200) throw new Error(`ws-token answered ${issued.status}: ${await issued.text()}`);
    const { token } = await issued.json();
    result.sessions[format] = await page.evaluate(async ({ token, voice, format, text }) => {
      const url = `ws://${location.host}/v1/tts/ws?token=${encodeURIComponent(token)}`;
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      const chunks = [];
      const messages = [];
      const closed = new Promise((resolve, reject) => {
        ws.onclose = (e) => resolve({ code: e.code, reason: e.reason });
        ws.onerror = () => reject(new Error("websocket error"));
      });
      ws.onopen = () => ws.send(JSON.stringify({ voice_id: voice, format }));
      ws.onmessage = (e) => {
        if (typeof e.data !== "string") { chunks.push(new Uint8Array(e.data)); return; }
        const m = JSON.parse(e.data);
        messages.push(m);
        if (m.type === "ready") {
          ws.send(JSON.stringify({ text }));
          ws.send(JSON.stringify({ close: true }));
        }
      };
      const close = await closed;
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) { bytes.set(c, at); at += c.length; }

      const ready = messages.find((m) => m.type === "ready");
      const final = messages.find((m) => m.type === "final");
      const words = messages.filter((m) => m.type === "alignment").flatMap((m) => m.words);
      const length = bytes.length; // decodeAudioData takes the buffer over
      const context = new OfflineAudioContext(1, 1, 48000);
      const audio = await context.decodeAudioData(bytes.buffer);
      const samples = audio.getChannelData(0);
      let sum = 0;
      for (const s of samples) sum += s * s;
      return {
        close,
        contentType: ready?.content_type,
        sampleRate: ready?.sample_rate,
        bytes: length,
        finalAudioMs: final?.audio_ms,
        finalCharacters: final?.characters,
        words: words.map((w) => w.word),
        decodedSeconds: audio.duration,
        rms: Math.sqrt(sum / samples.length),
      };
    }, { token, voice, format, text });
  }
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
