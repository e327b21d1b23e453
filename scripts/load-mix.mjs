// Mixed POST /v1/tts load for scripts/soak.sh and scripts/faults.sh: a share of requests repeat a few phone prompts
// (cached once warmed), the rest are short texts never sent before (synthesized). One line per answer on stdout:
// "start (Unix ms) kind status latency-ms characters" (status 0: no answer, the connection failed).
// Usage: node load-mix.mjs URL KEY closed CONCURRENCY SECONDS CACHED-SHARE RUN-ID
//        node load-mix.mjs URL KEY open RATE SECONDS CACHED-SHARE RUN-ID   (RATE requests a second, whatever the answers' pace)
// Says "warmed up, sending" on standard error once the prompts are cached. Trusts the certificate in NODE_EXTRA_CA_CERTS.
const [url, key, mode, amount, seconds, cachedShare, run] = process.argv.slice(2);
const prompts = [
  "Thank you for calling. Please hold while we connect you.",
  "Your call is important to us. Please stay on the line.",
  "For billing, press one. For support, press two.",
  "Our office is closed. Please call again during business hours.",
  "Please say or enter your account number, followed by the pound key.",
  "Your estimated wait time is less than five minutes.",
  "To hear these options again, press nine.",
  "Goodbye, and thank you for calling.",
];
let fresh = 0;
const lines = [];

async function one(kind, text) {
  const start = performance.now();
  const at = Date.now();
  let status = 0;
  try {
    const r = await fetch(url, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ text, voice_id: "emily-en-us", format: "mp3" }),
    });
    await r.arrayBuffer();
    status = r.status;
  } catch {
    status = 0;
  }
  lines.push(`${at} ${kind} ${status} ${(performance.now() - start).toFixed(1)} ${[...text].length}`);
}

function next() {
  if (Math.random() < Number(cachedShare)) return one("cached", prompts[Math.floor(Math.random() * prompts.length)]);
  fresh += 1;
  return one("uncached", `Short request ${fresh} of run ${run}.`);
}

// Every prompt once first, so "cached" answers are hits from the start (these are not reported).
for (const p of prompts) await fetch(url, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" },
  body: JSON.stringify({ text: p, voice_id: "emily-en-us", format: "mp3" }) }).then((r) => r.arrayBuffer());
process.stderr.write("load-mix: warmed up, sending\n");
const end = performance.now() + Number(seconds) * 1000;
const started = performance.now();
if (mode === "closed") {
  await Promise.all(Array.from({ length: Number(amount) }, async () => { while (performance.now() < end) await next(); }));
} else {
  // Open loop: requests leave on a fixed schedule, so slow answers show as latency instead of lowering the rate.
  const interval = 1000 / Number(amount);
  const pending = [];
  for (let i = 0; started + i * interval < end; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(next());
  }
  await Promise.all(pending);
}
process.stdout.write(lines.join("\n") + "\n");
