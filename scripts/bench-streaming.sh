#!/usr/bin/env bash
# Benchmarks streaming latency and the audio cache of the API service, on loopback, and prints a Markdown section for
# docs/BENCHMARKS.md ("## Streaming and cache") on standard output; progress goes to standard error.
#
#   1. POST /v1/tts with "stream": true, pcm16, cache off: time to first audio byte against the whole response, per voice.
#   2. POST /v1/tts throughput of one repeated body, cache on (every request a hit), against the same body with the cache
#      off and against a bare Kestrel endpoint (bench/CallWaiting.BareKestrel, GET /v1/auth/verify).
#   3. GET /v1/tts/ws: time from sending the first complete sentence to the first binary (audio) frame.
#   4. A burst of identical uncached requests at once (a greeting every new call plays): cache off, where each request
#      synthesizes, against cache on, where they join the first one's synthesis.
#
# Same setup as scripts/bench-server.sh: private Redis and PostgreSQL on free loopback ports, so auth, the per-IP and
# per-key limits and metering are on; limits raised out of the load's reach. Run as root. Needs dotnet, wrk, curl,
# redis-server, PostgreSQL 15 server binaries, runuser, and Node 20+ (global WebSocket behind --experimental-websocket).
# Knobs (environment): BENCH_VOICES, BENCH_ROUNDS, BENCH_CACHE_VOICE, BENCH_CACHE_FORMAT, BENCH_CACHED_SECONDS,
# BENCH_UNCACHED_SECONDS, BENCH_CONNECTIONS, BENCH_WS_ROUNDS, BENCH_BURST, BENCH_BURST_ROUNDS.
set -Eeuo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

voices="${BENCH_VOICES:-espeak-en-us flite-kal16 emily-en-us}"
rounds="${BENCH_ROUNDS:-7}"
cache_voice="${BENCH_CACHE_VOICE:-espeak-en-us}"
cache_format="${BENCH_CACHE_FORMAT:-mp3}"
cached_seconds="${BENCH_CACHED_SECONDS:-8}"
uncached_seconds="${BENCH_UNCACHED_SECONDS:-4}"
connections="${BENCH_CONNECTIONS:-16}"
ws_rounds="${BENCH_WS_ROUNDS:-5}"
burst="${BENCH_BURST:-16}"
burst_rounds="${BENCH_BURST_ROUNDS:-3}"
out="$root/artifacts/bench"
bench_name=bench-streaming
# shellcheck source=bench-common.sh
source "$root/scripts/bench-common.sh"
require_tools dotnet wrk curl redis-server redis-cli runuser node

# --- Build (Release) -------------------------------------------------------------------------------------------------
log "building Release (server CLI, bare Kestrel baseline)"
for target in "src/CallWaiting.Cli/CallWaiting.Cli.csproj:server" \
              "bench/CallWaiting.BareKestrel/CallWaiting.BareKestrel.csproj:bare"; do
  dotnet build "${target%%:*}" -c Release -o "$out/${target##*:}" -nologo -v quiet -clp:ErrorsOnly >&2 || die "build of ${target%%:*} failed"
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Private Redis and PostgreSQL on free loopback ports --------------------------------------------------------------
start_data_stores
export CALLWAITING_RateLimits__PerIpPerMinute=1000000000
port=$(free_port)
url="http://127.0.0.1:$port"
server_pid=""
start_server() { # $1 true|false: the audio cache
  export CALLWAITING_Cache__Enabled="$1"
  "$out/server/callwaiting" serve --urls "$url" >"$tmp/server-cache-$1.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  log "server pid $server_pid on $url (cache $1); waiting for /ready"
  wait_ok "$url/ready" 120 || { tail -n 20 "$tmp/server-cache-$1.log" >&2; die "server not ready in 120 s"; }
}

start_server false
key_json=$("$out/server/callwaiting" keys create --name bench --scopes tts:write,voices:read,usage:read \
  --rate-limit-per-min 1000000000 --rate-limit-per-day 1000000000 --json)
key=$(sed -n 's/.*"key":"\([^"]*\)".*/\1/p' <<<"$key_json")
[ -n "$key" ] || die "keys create printed no key"

# A 1,200-character text of ordinary sentences (whole sentences repeated, then cut at a word and closed with a period).
sentences="Thank you for calling the support line. Your call is important to us, and an agent will be with you shortly. \
Meanwhile, you can find answers to common questions on our website. Please have your account number ready. "
long_text=""
while [ ${#long_text} -lt 1300 ]; do long_text+="$sentences"; done
long_text="${long_text:0:1199}"
long_text="${long_text% *}."
while [ ${#long_text} -lt 1200 ]; do long_text="${long_text%.}a."; done
body() { printf '{"text":"%s","voice_id":"%s","format":"%s","stream":true}' "$1" "$2" "$3"; }

# --- 1: time to first audio byte, cache off ------------------------------------------------------------------------------
: >"$tmp/ttfb.txt"
for v in $voices; do
  body "$long_text" "$v" pcm16 >"$tmp/long-$v.json"
  result=$(curl -s -o /dev/null -w '%{http_code}' -H "x-api-key: $key" -H 'Content-Type: application/json' --data-binary "@$tmp/long-$v.json" "$url/v1/tts")
  [ "$result" = 200 ] || die "POST /v1/tts ($v) answered $result"
done
log "ttfb: $rounds rounds over voices ($voices), ${#long_text} characters, pcm16, stream, cache off"
for ((r = 0; r < rounds; r++)); do
  for v in $voices; do
    read -r code start total bytes < <(curl -s -o /dev/null -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n' \
      -H "x-api-key: $key" -H 'Content-Type: application/json' --data-binary "@$tmp/long-$v.json" "$url/v1/tts")
    [ "$code" = 200 ] || die "POST /v1/tts ($v) answered $code"
    echo "$v $start $total $bytes" >>"$tmp/ttfb.txt"
  done
done

# curl's time_starttransfer is the first byte of the response, headers included; to be sure that it is audio, the same
# requests are timed again to the first body chunk (Node fetch, one process, one warm-up per voice).
cat >"$tmp/first-body.mjs" <<'JS'
const [url, key, rounds, ...files] = process.argv.slice(2);
const { readFileSync } = await import("node:fs");
const once = async (body) => {
  const t0 = performance.now();
  const r = await fetch(url, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body });
  if (r.status !== 200) throw new Error(`status ${r.status}`);
  const reader = r.body.getReader();
  const first = await reader.read();
  const ms = performance.now() - t0;
  if (first.done || first.value.length === 0) throw new Error("empty body");
  while (!(await reader.read()).done);
  return ms;
};
for (const f of files) await once(readFileSync(f));
for (let i = 0; i < Number(rounds); i++)
  for (const f of files) console.log(f.replace(/^.*long-(.*)\.json$/, "$1"), (await once(readFileSync(f))).toFixed(1));
JS
# shellcheck disable=SC2086
node --no-warnings "$tmp/first-body.mjs" "$url/v1/tts" "$key" "$rounds" $(for v in $voices; do echo "$tmp/long-$v.json"; done) >"$tmp/first-body.txt"

# --- 3: WebSocket, first audio after the first complete sentence (cache off, so every sentence is synthesized) ----------
cat >"$tmp/ws.mjs" <<'JS'
// Per round: connect, send the config, wait for "ready", send one complete sentence, time until the first binary frame.
const [url, key, voice, rounds] = process.argv.slice(2);
const once = () => new Promise((resolve, reject) => {
  const ws = new WebSocket(url, { headers: { "x-api-key": key } });
  ws.binaryType = "arraybuffer";
  let sent = 0;
  const timer = setTimeout(() => { ws.close(); reject(new Error("no audio in 30 s")); }, 30000);
  ws.onopen = () => ws.send(JSON.stringify({ voice_id: voice, format: "pcm16", sample_rate: 24000 }));
  ws.onmessage = (e) => {
    if (typeof e.data === "string") {
      const m = JSON.parse(e.data);
      if (m.type === "ready") { sent = performance.now(); ws.send(JSON.stringify({ text: "Hello there." })); }
      else if (m.type === "error") { clearTimeout(timer); reject(new Error(e.data)); }
      return;
    }
    clearTimeout(timer);
    const ms = performance.now() - sent;
    ws.send(JSON.stringify({ close: true }));
    ws.close();
    resolve(ms);
  };
  ws.onerror = (e) => { clearTimeout(timer); reject(new Error("websocket error: " + (e.message ?? "connect failed"))); };
});
await once(); // warm-up
for (let i = 0; i < Number(rounds); i++) console.log((await once()).toFixed(1));
JS
: >"$tmp/ws.txt"
ws_ok=yes
for v in $voices; do
  if node --experimental-websocket --no-warnings "$tmp/ws.mjs" "ws://127.0.0.1:$port/v1/tts/ws" "$key" "$v" "$ws_rounds" >"$tmp/ws-$v.txt" 2>"$tmp/ws-$v.err"; then
    sed "s/^/$v /" "$tmp/ws-$v.txt" >>"$tmp/ws.txt"
  else
    ws_ok="no ($v: $(head -c 300 "$tmp/ws-$v.err" | tr '\n' ' '))"
    log "websocket $v failed: $(cat "$tmp/ws-$v.err")"
  fi
done

# --- 4: a burst of identical uncached requests, cache off here, cache on after the restart below ---------------------------
cat >"$tmp/burst.mjs" <<'JS'
// Per round: one fresh greeting (never cached before), sent by N clients at once; prints per request
// "round status x-cache ms" and per round "wall round ms".
const [url, key, voice, n, rounds] = process.argv.slice(2);
const one = async (body) => {
  const t0 = performance.now();
  const r = await fetch(url, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body });
  await r.arrayBuffer();
  return [r.status, r.headers.get("x-cache") ?? "-", performance.now() - t0];
};
for (let round = 0; round < Number(rounds); round++) {
  const text = `Thank you for calling Acme Dental, reference ${process.pid}-${round}-${Date.now()}. Your call may be recorded for quality and training. ` +
    "If this is an emergency, please hang up and dial 911. Otherwise, please listen carefully, as our menu options have changed.";
  const body = JSON.stringify({ text, voice_id: voice, format: "mp3" });
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: Number(n) }, () => one(body)));
  const wall = performance.now() - t0;
  for (const [status, cache, ms] of results) console.log(round, status, cache, ms.toFixed(1));
  console.log("wall", round, wall.toFixed(1));
}
JS
burst_voice=emily-en-us
log "burst: $burst identical fresh requests at once, $burst_rounds rounds, $burst_voice mp3, cache off"
node --no-warnings "$tmp/burst.mjs" "$url/v1/tts" "$key" "$burst_voice" "$burst" "$burst_rounds" >"$tmp/burst-off.txt"

# --- 2: throughput, uncached first (this server), then cached ------------------------------------------------------------
short_text="Thank you for calling. Please hold while we connect you to the next available agent."
printf '{"text":"%s","voice_id":"%s","format":"%s"}' "$short_text" "$cache_voice" "$cache_format" >"$tmp/short.json"
cat >"$tmp/post.lua" <<'LUA'
-- The same JSON body with the API key on every request.
function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["x-api-key"] = args[2]
end
LUA
# The uncached run also counts refusals by status (a response() hook costs wrk time, so the cached run goes without).
{ cat "$tmp/post.lua"; cat <<'LUA'
-- Counts answers other than 200 by status, and keeps the first such body, so a refusal is reported rather than hidden.
local threads = {}
function setup(thread) threads[#threads + 1] = thread end
refused, first_refusal = {}, ""
function response(status, headers, body)
  if status ~= 200 then
    refused[status] = (refused[status] or 0) + 1
    if first_refusal == "" then first_refusal = status .. " " .. string.sub(body or "", 1, 200) end
  end
end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    local r = t:get("refused")
    for status, n in pairs(r) do io.write(string.format("refused %d %d\n", status, n)) end
    io.write("first_refusal " .. t:get("first_refusal") .. "\n")
  end
end
LUA
} >"$tmp/post-counting.lua"
headers_of() { curl -s -D - -o "$tmp/short.out" -H "x-api-key: $key" -H 'Content-Type: application/json' --data-binary "@$tmp/short.json" "$url/v1/tts" | tr -d '\r'; }
uncached_cache_header=$(headers_of | awk -F': ' 'tolower($1) == "x-cache" { print $2 }')
log "uncached throughput: wrk -t1 -c $connections -d ${uncached_seconds}s (X-Cache: ${uncached_cache_header:-none})"
wrk -t1 -c "$connections" -d "${uncached_seconds}s" --timeout 30s --latency -s "$tmp/post-counting.lua" "$url/v1/tts" -- "$tmp/short.json" "$key" >"$tmp/wrk-uncached.txt"
# Refusals (non-2xx) are not fatal here: the table reports them with their status codes.
uncached_bad=$(wrk_bad "$tmp/wrk-uncached.txt")
stop_process "$server_pid"

start_server true
headers_of >/dev/null # warm: the miss renders and stores
cached_cache_header=$(headers_of | awk -F': ' 'tolower($1) == "x-cache" { print $2 }')
log "burst: $burst identical fresh requests at once, $burst_rounds rounds, $burst_voice mp3, cache on"
node --no-warnings "$tmp/burst.mjs" "$url/v1/tts" "$key" "$burst_voice" "$burst" "$burst_rounds" >"$tmp/burst-on.txt"
response_bytes=$(stat -c %s "$tmp/short.out")
[ "$cached_cache_header" = HIT ] || log "warning: second request answered X-Cache: ${cached_cache_header:-none}, not HIT"
bare_port=$(free_port)
"$out/bare/CallWaiting.BareKestrel" --urls "http://127.0.0.1:$bare_port" >"$tmp/bare.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
wait_ok "http://127.0.0.1:$bare_port/ready" 60 || die "bare Kestrel app did not start"
log "cached throughput and bare Kestrel in turn: wrk -t1 -c $connections -d ${cached_seconds}s each, after warm-ups"
wrk -t1 -c "$connections" -d 2s -s "$tmp/post.lua" "$url/v1/tts" -- "$tmp/short.json" "$key" >/dev/null
wrk -t1 -c "$connections" -d 2s "http://127.0.0.1:$bare_port/v1/auth/verify" >/dev/null
wrk -t1 -c "$connections" -d "${cached_seconds}s" --timeout 10s --latency -s "$tmp/post.lua" "$url/v1/tts" -- "$tmp/short.json" "$key" >"$tmp/wrk-cached.txt"
wrk -t1 -c "$connections" -d "${cached_seconds}s" --timeout 10s --latency "http://127.0.0.1:$bare_port/v1/auth/verify" >"$tmp/wrk-bare.txt"
cached_bad=$(wrk_bad "$tmp/wrk-cached.txt")
bare_bad=$(wrk_bad "$tmp/wrk-bare.txt")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Report ----------------------------------------------------------------------------------------------------------------
met() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == "<=") ? v <= t : v >= t; print ok ? "yes" : "**NO**" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cached_rps=$(wrk_rps "$tmp/wrk-cached.txt")
uncached_rps=$(wrk_rps "$tmp/wrk-uncached.txt")
bare_rps=$(wrk_rps "$tmp/wrk-bare.txt")
p50() { awk '/^ +50%/ { print $2 }' "$1"; }
p99() { awk '/^ +99%/ { print $2 }' "$1"; }
# wrk's own rate, scaled by the share of answers that were 200.
ok_rps() { awk '/requests in/ { n = $1 } /^  Non-2xx or 3xx responses:/ { b = $NF } /^Requests\/sec:/ { r = $2 } END { printf "%.2f", r * (n - b) / n }' "$1"; }
cached_ok=$(ok_rps "$tmp/wrk-cached.txt")
uncached_ok=$(ok_rps "$tmp/wrk-uncached.txt")
bare_ok=$(ok_rps "$tmp/wrk-bare.txt")
uncached_why=$(awk '/^refused / { printf " (%s × %s)", $3, $2 } /^first_refusal / { sub(/^first_refusal /, ""); gsub(/\|/, "/"); f = $0 } END { if (f != "") printf "; first: `%s`", f }' "$tmp/wrk-uncached.txt")
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

cat <<EOF
## Streaming and cache

Measured by \`scripts/bench-streaming.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'): $cores cores ($cpu_model), $(uname -sr),
Release builds, loopback; private PostgreSQL 15 and Redis, so auth, per-IP and per-key limits and metering are on.
Load average (1, 5, 15 min) $load_before before and $load_after after: the machine is shared with other builds.

### Time to first audio byte, POST /v1/tts, ${#long_text} characters, pcm16, "stream": true, cache off

Median of $rounds requests per voice (curl \`time_starttransfer\` and \`time_total\`), voices interleaved, after one warm-up each.

| voice | TTFB | total | TTFB / total | first body chunk (Node fetch) | audio bytes | TTFB ≤ 0.1 × total | TTFB ≤ 30 ms |
|---|---|---|---|---|---|---|---|
EOF
for v in $voices; do
  t=$(awk -v v="$v" '$1 == v { print $2 * 1000 }' "$tmp/ttfb.txt" | median)
  a=$(awk -v v="$v" '$1 == v { print $3 * 1000 }' "$tmp/ttfb.txt" | median)
  b=$(awk -v v="$v" '$1 == v { print $4 }' "$tmp/ttfb.txt" | median)
  r=$(ratio "$t" "$a")
  fb=$(awk -v v="$v" '$1 == v { print $2 }' "$tmp/first-body.txt" | median)
  case "$v" in espeak*|*kal16*) abs=$(met "$t" "<=" 30) ;; *) abs="n/a" ;; esac
  printf '| %s | %.1f ms | %.1f ms | %s | %.1f ms | %s | %s | %s |\n' "$v" "$t" "$a" "$r" "$fb" "$b" "$(met "$r" "<=" 0.1)" "$abs"
done
cat <<EOF

### Throughput of one repeated POST /v1/tts body, $connections connections

Body: ${#short_text} characters, voice \`$cache_voice\`, format \`$cache_format\` ($response_bytes bytes a response).
\`wrk -t1 -c $connections\` with a Lua script that POSTs the same body with \`x-api-key\`. Cached: server restarted with
the cache on, one warm-up request (the next answered X-Cache: ${cached_cache_header:-none}), 2 s wrk warm-up, then ${cached_seconds} s.
Uncached: cache off (X-Cache: ${uncached_cache_header:-none}), ${uncached_seconds} s. Bare Kestrel: \`bench/CallWaiting.BareKestrel\`
GET /v1/auth/verify (no auth, no Redis, no body), ${cached_seconds} s, right after the cached run.

| run | all answers, req/s | 200s, req/s | not 200 | p50 | p99 | cached 200s ÷ this |
|---|---|---|---|---|---|---|
| cached (goal ≥ 3,000 req/s: $(met "$cached_ok" ">=" 3000)) | $cached_rps | $cached_ok | $cached_bad | $(p50 "$tmp/wrk-cached.txt") | $(p99 "$tmp/wrk-cached.txt") | 1.00 |
| uncached | $uncached_rps | $uncached_ok | $uncached_bad$uncached_why | $(p50 "$tmp/wrk-uncached.txt") | $(p99 "$tmp/wrk-uncached.txt") | $(ratio "$cached_ok" "$uncached_ok") |
| bare Kestrel | $bare_rps | $bare_ok | $bare_bad | $(p50 "$tmp/wrk-bare.txt") | $(p99 "$tmp/wrk-bare.txt") | $(ratio "$cached_ok" "$bare_ok") |

### WebSocket, GET /v1/tts/ws: first audio after the first complete sentence

Node $(node --version) \`--experimental-websocket\`: connect with \`x-api-key\`, send the config (pcm16, 24 kHz), wait for
\`ready\`, send \`{"text":"Hello there."}\` and time until the first binary frame; one warm-up session, then $ws_rounds
sessions per voice, cache off. All voices ran: $ws_ok.

| voice | median | min | max | ≤ 50 ms |
|---|---|---|---|---|
EOF
for v in $voices; do
  if grep -q "^$v " "$tmp/ws.txt"; then
    m=$(awk -v v="$v" '$1 == v { print $2 }' "$tmp/ws.txt" | median)
    lo=$(awk -v v="$v" '$1 == v { print $2 }' "$tmp/ws.txt" | sort -g | head -n1)
    hi=$(awk -v v="$v" '$1 == v { print $2 }' "$tmp/ws.txt" | sort -g | tail -n1)
    printf '| %s | %s ms | %s ms | %s ms | %s |\n' "$v" "$m" "$lo" "$hi" "$(met "$m" "<=" 50)"
  else
    printf '| %s | failed | | | |\n' "$v"
  fi
done
cat <<EOF

### A burst of identical uncached requests: $burst at once, $burst_rounds rounds

Node fetch sends the same fresh body (a ~240-character greeting, \`$burst_voice\`, mp3; new text each round, so never cached
before) from $burst clients at once and waits for every answer. Cache off: every request needs its own synthesis. Cache
on: the first starts the synthesis and the others join it. Per run, over all rounds: answers by status and X-Cache,
median and max time per request, and the median wall time of a round.

| run | 200 | 503 | X-Cache | request p50 | request max | round wall p50 |
|---|---|---|---|---|---|---|
EOF
for run in off on; do
  f="$tmp/burst-$run.txt"
  ok=$(awk '$1 != "wall" && $2 == 200' "$f" | wc -l)
  busy=$(awk '$1 != "wall" && $2 == 503' "$f" | wc -l)
  caches=$(awk '$1 != "wall" && $2 == 200 { c[$3]++ } END { for (k in c) printf "%s%s × %d", (n++ ? ", " : ""), k, c[k] }' "$f")
  p=$(awk '$1 != "wall" && $2 == 200 { print $4 }' "$f" | median)
  mx=$(awk '$1 != "wall" && $2 == 200 { print $4 }' "$f" | sort -g | tail -n1)
  w=$(awk '$1 == "wall" { print $3 }' "$f" | median)
  printf '| cache %s | %s | %s | %s | %s ms | %s ms | %s ms |\n' "$run" "$ok" "$busy" "${caches:--}" "${p:--}" "${mx:--}" "$w"
done
