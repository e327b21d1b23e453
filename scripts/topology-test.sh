#!/usr/bin/env bash
# The scale-out topology, end to end: Debian's nginx (deploy/nginx/nginx.conf rendered for loopback, TLS with a
# self-signed certificate) in front of three server replicas sharing one PostgreSQL and one Redis. Every check goes
# through nginx over TLS and is asserted:
#   1. limits and metering are exact across replicas: a key allowed N requests a minute gets exactly N of 2N, spread
#      over the replicas, and GET /v1/usage counts exactly the characters of the answered ones;
#   2. streaming keeps its time to first byte through nginx: the first byte of audio well before the whole body, and
#      close to the first byte straight from a replica, measured alternately in the same run. (nginx with
#      proxy_buffering on passes this too, as it forwards these large first chunks at once; the Deploy tests check the
#      directive itself.)
#   3. the WebSocket (/v1/tts/ws) works through nginx and sends the whole utterance's audio;
#   4. a rolling restart of all three replicas under load (hey on a cached answer, a loop of uncached streams) loses no
#      request and no usage record. Per replica: SIGTERM, wait for its drain (in-flight requests finish, metering is
#      flushed), start it again on the same port. nginx passes a request that meets the stopped replica (refused
#      connect, a kept-alive connection it closed) to the next one (deploy/nginx/nginx.conf, proxy_next_upstream).
# Prints its figures and a closing line; exits non-zero on any failure.
# Usage: scripts/topology-test.sh [--short]   (--short, or TOPOLOGY_SHORT=1: fewer rounds, for CI, well under 90 s)
# Uses CALLWAITING_TEST_PG / CALLWAITING_TEST_REDIS when set (a fresh database), else private instances.
# Needs: nginx, openssl, hey, curl, node, python3, redis-server, PostgreSQL 15; run as root (scripts/ensure-deps.sh test).
set -Eeuo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
short="${TOPOLOGY_SHORT:-0}"
[ "${1:-}" = --short ] && short=1
if [ "$short" = 1 ]; then limit=20 ttfb_rounds=3 ws_sessions=1 hey_clients=4; else limit=60 ttfb_rounds=9 ws_sessions=5 hey_clients=8; fi
bench_name=topology
# shellcheck source=bench-common.sh
source "$root/scripts/bench-common.sh"
# shellcheck source=topology-common.sh
source "$root/scripts/topology-common.sh"
"$root/scripts/ensure-deps.sh" test
require_tools "$nginx_bin" openssl hey curl node python3 redis-server redis-cli runuser psql
failures=0
check() { # $1 description, $2 1 (passed) or 0; prints the verdict and counts failures
  if [ "$2" = 1 ]; then log "PASS $1"; else log "FAIL $1"; failures=$((failures + 1)); fi
}
is() { awk "BEGIN { exit !($1) }" && echo 1 || echo 0; }
phases=""
phase_started=$SECONDS
phase() { phases+="$1 $((SECONDS - phase_started)) s, "; phase_started=$SECONDS; } # $1 name of the phase just ended
started=$SECONDS

use_data_stores
"$root/callwaiting" --help >/dev/null # builds once, before three replicas start it at once
launch_replicas 0 1 2
# The keys, while the replicas start: one for the limit, and unlimited ones for the other checks.
limit_key=$(create_key limits "$limit")
{ read -r warm_key; read -r ttfb_key; read -r stream_key; read -r ws_key; read -r roll_key; } < <(create_key free 1000000000 5)
[ -n "$roll_key" ] || die "keys create printed too few keys"
await_replicas 0 1 2
start_nginx
phase start
log "nginx on $base in front of replicas on ports ${replica_ports[*]}; $stores"

# --- 1. Limits and metering across replicas ----------------------------------------------------------------------------
# The minute window is fixed (aligned to the epoch, the same on every replica): the burst must not straddle two.
# Each replica answers once first (straight), so cold starts do not stretch the burst over a minute boundary.
for i in 0 1 2; do
  tts_body "Warming up replica $i, run $run_id." pcm16 false >"$tmp/warm.json"
  curl -s -o /dev/null -H "x-api-key: $warm_key" -H 'Content-Type: application/json' --data-binary "@$tmp/warm.json" "http://127.0.0.1:${replica_ports[i]}/v1/tts"
done
cat >"$tmp/burst.py" <<'PY'
# 2N distinct POST /v1/tts bodies, 6 at a time, through nginx; prints "status characters detail" per answer.
import concurrent.futures, http.client, json, ssl, sys
port, ca, key, n, run = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
context = ssl.create_default_context(cafile=ca)
def one(i):
    c = http.client.HTTPSConnection("localhost", port, context=context, timeout=60)
    c.request("POST", "/v1/tts", json.dumps({"text": f"Limit check number {i}, run {run}.", "voice_id": "emily-en-us", "format": "pcm16"}),
              {"x-api-key": key, "content-type": "application/json"})
    r = c.getresponse(); body = r.read()
    return r.status, int(r.getheader("x-text-length") or 0), "-" if r.status == 200 else json.dumps(json.loads(body).get("detail"))
with concurrent.futures.ThreadPoolExecutor(6) as pool:
    for answer in pool.map(one, range(n)): print(*answer)
PY
for attempt in 1 2; do
  [ "$attempt" = 1 ] || limit_key=$(create_key "limits-$attempt" "$limit")
  (( 10#$(date -u +%S) <= 45 )) || sleep $((61 - 10#$(date -u +%S)))
  limit_minute=$(date -u +%Y%m%d%H%M)
  before=(); for i in 0 1 2; do before[i]=$(replica_counter "$i" tts_requests_total); done
  python3 "$tmp/burst.py" "$https_port" "$ngx/certs/fullchain.pem" "$limit_key" $((2 * limit)) "$run_id-$attempt" >"$tmp/burst.txt"
  [ "$(date -u +%Y%m%d%H%M)" = "$limit_minute" ] && break
  log "the burst straddled a minute boundary; again with a new key"
  [ "$attempt" = 1 ] || die "the burst straddled a minute boundary twice"
done
limit_ok=$(awk '$1 == 200' "$tmp/burst.txt" | wc -l)
limit_refused=$(awk '$1 == 429' "$tmp/burst.txt" | wc -l)
limit_chars=$(awk '$1 == 200 { n += $2 } END { print n + 0 }' "$tmp/burst.txt")
served=(); for i in 0 1 2; do served[i]=$(( $(replica_counter "$i" tts_requests_total) - before[i] )); done
check "limit: $limit_ok of $((2 * limit)) answered 200 with a limit of $limit a minute, $limit_refused answered 429" \
  "$(is "$limit_ok == $limit && $limit_refused == $limit")"
[ "$limit_ok" = "$limit" ] || awk '$1 != 200 { $2 = ""; print }' "$tmp/burst.txt" | sort | uniq -c >&2
check "limit: every replica answered some (${served[*]})" "$(is "${served[0]} > 0 && ${served[1]} > 0 && ${served[2]} > 0")"

phase limits
# --- 2. Streaming time to first byte, through nginx and straight from a replica, alternating ---------------------------
long_text="Thank you for calling the Acme Dental office. Our hours are Monday to Friday, eight in the morning to six in the evening. \
If you would like to book, change or cancel an appointment, please stay on the line and the next available member of our \
team will be with you shortly. For billing questions, please have your statement ready. If this is a dental emergency \
outside our opening hours, please call the on-call dentist, whose number is on our website. Thank you for your patience."
cat >"$tmp/ttfb.py" <<'PY'
# Streamed pcm16 answers, through nginx and straight from a replica in turn, each on a connection opened (and TLS
# set up) beforehand; per answer "label first-body-byte-ms total-ms bytes". Every replica is warmed up straight first.
import http.client, json, ssl, sys, time
port, ca, key, rounds, text, run = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
replicas = [int(p) for p in sys.argv[7:]]
context = ssl.create_default_context(cafile=ca)
def once(label, connection, n):
    body = json.dumps({"text": f"{text} Reference {label} {n} of run {run}.", "voice_id": "emily-en-us", "format": "pcm16", "stream": True})
    connection.connect()
    t0 = time.perf_counter()
    connection.request("POST", "/v1/tts", body, {"x-api-key": key, "content-type": "application/json"})
    r = connection.getresponse()
    if r.status != 200: sys.exit(f"streaming request ({label}) answered {r.status}: {r.read()[:200]}")
    first = r.read(1)
    t1 = time.perf_counter()
    size = len(first) + len(r.read())
    t2 = time.perf_counter()
    connection.close()
    return f"{label} {(t1 - t0) * 1000:.1f} {(t2 - t0) * 1000:.1f} {size}"
nginx = lambda: http.client.HTTPSConnection("localhost", port, context=context, timeout=60)
direct = lambda i: http.client.HTTPConnection("127.0.0.1", replicas[i % len(replicas)], timeout=60)
for i in range(len(replicas)): once("direct", direct(i), f"warm{i}")
once("nginx", nginx(), "warm")
for r in range(rounds):
    pair = [once("nginx", nginx(), r), once("direct", direct(r), r)] if r % 2 == 0 else [once("direct", direct(r), r), once("nginx", nginx(), r)]
    print(*pair, sep="\n")
PY
python3 "$tmp/ttfb.py" "$https_port" "$ngx/certs/fullchain.pem" "$ttfb_key" "$ttfb_rounds" "$long_text" "$run_id" "${replica_ports[@]}" >"$tmp/ttfb.txt"
med() { awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$tmp/ttfb.txt" | median; }
nginx_ttfb=$(med nginx 2) nginx_total=$(med nginx 3) direct_ttfb=$(med direct 2) direct_total=$(med direct 3)
stream_bytes=$(med nginx 4)
log "TTFB medians of $ttfb_rounds: nginx ${nginx_ttfb} ms of ${nginx_total} ms, direct ${direct_ttfb} ms of ${direct_total} ms ($stream_bytes bytes)"
check "streaming: first audio byte through nginx at ${nginx_ttfb} ms, before half of the whole body's ${nginx_total} ms" "$(is "$nginx_ttfb <= 0.5 * $nginx_total")"
check "streaming: first audio byte through nginx (${nginx_ttfb} ms) within 2 x direct (${direct_ttfb} ms) + 50 ms" "$(is "$nginx_ttfb <= 2 * $direct_ttfb + 50")"

phase streaming
# --- 3. WebSocket through nginx ----------------------------------------------------------------------------------------
cat >"$tmp/ws.mjs" <<'JS'
// Per session: config, "ready", two sentences, close; counts the binary audio until "final", and its loudness.
const [url, key, sessions] = process.argv.slice(2);
const sentences = ["Hello through nginx.", `This second sentence arrives in the same session, run ${process.pid}.`];
const text = sentences.join("");
const once = () => new Promise((resolve, reject) => {
  const ws = new WebSocket(url, { headers: { "x-api-key": key } });
  ws.binaryType = "arraybuffer";
  const chunks = [];
  let t0 = 0, first = 0;
  const timer = setTimeout(() => { ws.close(); reject(new Error("no final message in 30 s")); }, 30000);
  ws.onopen = () => ws.send(JSON.stringify({ voice_id: "emily-en-us", format: "pcm16", sample_rate: 24000 }));
  ws.onmessage = (e) => {
    if (typeof e.data !== "string") { if (!first) first = performance.now() - t0; chunks.push(Buffer.from(e.data)); return; }
    const m = JSON.parse(e.data);
    if (m.type === "ready") { t0 = performance.now(); for (const s of sentences) ws.send(JSON.stringify({ text: s })); ws.send(JSON.stringify({ close: true })); }
    else if (m.type === "error") { clearTimeout(timer); reject(new Error(e.data)); }
    else if (m.type === "final") {
      clearTimeout(timer);
      const pcm = Buffer.concat(chunks);
      const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2));
      let sum = 0; for (const s of samples) sum += s * s;
      const rms = Math.sqrt(sum / Math.max(samples.length, 1));
      resolve(`${pcm.length} ${(samples.length / 24).toFixed(0)} ${m.audio_ms} ${m.characters} ${text.length} ${rms.toFixed(0)} ${first.toFixed(1)}`);
    }
  };
  ws.onerror = (e) => { clearTimeout(timer); reject(new Error("websocket error: " + (e.message ?? "connect failed"))); };
});
for (let i = 0; i < Number(sessions); i++) console.log(await once());
JS
if NODE_EXTRA_CA_CERTS="$ngx/certs/fullchain.pem" node --experimental-websocket --no-warnings "$tmp/ws.mjs" \
    "wss://localhost:$https_port/v1/tts/ws" "$ws_key" "$ws_sessions" >"$tmp/ws.txt" 2>"$tmp/ws.err"; then
  # bytes, audio ms from the bytes, audio ms the server reported, characters reported and sent, RMS, first audio ms
  ws_bad=$(awk '!($1 > 0 && ($2 - $3) * ($2 - $3) <= 4 && $4 == $5 && $6 > 100) { n++ } END { print n + 0 }' "$tmp/ws.txt")
  ws_first=$(awk '{ print $7 }' "$tmp/ws.txt" | median)
  ws_audio=$(awk '{ print $2 }' "$tmp/ws.txt" | median)
  check "websocket: $ws_sessions sessions through nginx, each with all its characters and ${ws_audio} ms of audible pcm16 (first audio ${ws_first} ms)" \
    "$(is "$ws_bad == 0 && $(wc -l <"$tmp/ws.txt") == $ws_sessions")"
else
  check "websocket through nginx: $(head -c 300 "$tmp/ws.err" | tr '\n' ' ')" 0
fi

phase websocket
# --- 4. Rolling restart of all three replicas under load -----------------------------------------------------------------
roll_text="Thank you for calling. Please hold while we connect you. Run $run_id."
tts_body "$roll_text" mp3 false >"$tmp/roll.json"
tls_curl -o /dev/null -H "x-api-key: $roll_key" -H 'Content-Type: application/json' --data-binary "@$tmp/roll.json" "$base/v1/tts" # cached from now on
hey -z 600s -c "$hey_clients" -t 60 -m POST -T application/json -H "x-api-key: $roll_key" -D "$tmp/roll.json" "$base/v1/tts" >"$tmp/hey-roll.txt" 2>&1 &
hey_pid=$!
pids+=("$hey_pid")
stream_loop() { # uncached streams, one after another, until told to stop: "status curl-exit characters bytes" each
  local n=0 result text
  while [ ! -e "$tmp/stop-streams" ]; do
    n=$((n + 1))
    text="$long_text Stream number $n of run $run_id."
    tts_body "$text" pcm16 true >"$tmp/loop.json"
    result=$(curl -s --cacert "$ngx/certs/fullchain.pem" -o /dev/null -w '%{http_code} %{size_download}' -H "x-api-key: $stream_key" \
      -H 'Content-Type: application/json' --data-binary "@$tmp/loop.json" "$base/v1/tts") && rc=0 || rc=$?
    echo "${result%% *} $rc ${#text} ${result#* }" >>"$tmp/streams.txt"
  done
}
: >"$tmp/streams.txt"
stream_loop &
loop_pid=$!
pids+=("$loop_pid")
sleep 2
roll_started=$SECONDS
drains=()
# nginx counts the connections a draining replica refuses against it and keeps it out of rotation for fail_timeout
# even once it is ready again; the next replica goes only after that, as a deploy waits for its load balancer. Going
# sooner can leave nginx with no replica it believes in, and every request then gets 502 at once.
rotation_wait=$(grep -o 'fail_timeout=[0-9]*' deploy/nginx/nginx.conf | head -n 1 | cut -d= -f2)
for i in 0 1 2; do
  drains[i]=$(stop_replica "$i")
  start_replicas "$i"
  log "replica $i: drained in ${drains[i]} s, restarted and ready"
  [ "$i" -lt 2 ] && sleep "${rotation_wait:-10}"
done
roll_seconds=$((SECONDS - roll_started))
sleep 2
touch "$tmp/stop-streams"
wait "$loop_pid"
kill -INT "$hey_pid"
wait "$hey_pid" || true
hey_ok=$(awk '$1 == "[200]" { print $2 }' "$tmp/hey-roll.txt"); hey_ok=${hey_ok:-0}
hey_other=$(awk '/^Status code distribution:/ { s = 1; next } s && $1 ~ /^\[[0-9]+\]$/ && $1 != "[200]" { n += $2 } /^$/ { s = 0 } END { print n + 0 }' "$tmp/hey-roll.txt")
hey_errors=$(awk '/^Error distribution:/ { e = 1; next } e && $1 ~ /^\[[0-9]+\]$/ { gsub(/[\[\]]/, "", $1); n += $1 } END { print n + 0 }' "$tmp/hey-roll.txt")
hey_rps=$(awk '/Requests\/sec:/ { print $2 }' "$tmp/hey-roll.txt")
streams_ok=$(awk '$1 == 200 && $2 == 0' "$tmp/streams.txt" | wc -l)
streams_all=$(wc -l <"$tmp/streams.txt")
streams_chars=$(awk '$1 == 200 && $2 == 0 { n += $3 } END { print n + 0 }' "$tmp/streams.txt")
check "rolling restart: hey got $hey_ok answers 200 ($hey_rps req/s over the restart), $hey_other others, $hey_errors connection errors" \
  "$(is "$hey_ok > 0 && $hey_other == 0 && $hey_errors == 0")"
check "rolling restart: $streams_ok of $streams_all uncached streams complete with 200" "$(is "$streams_all > 0 && $streams_ok == $streams_all")"
[ "$hey_other" = 0 ] && [ "$hey_errors" = 0 ] || sed -n '/^Status code distribution:/,$p' "$tmp/hey-roll.txt" >&2

phase rolling
# --- Usage records: every answered request metered, once ---------------------------------------------------------------
roll_expected=$((hey_ok * ${#roll_text} + ${#roll_text})) # the warm-up request too
read -r roll_requests roll_chars <<<"$(await_usage "$roll_key" "$roll_expected" 30)"
check "usage: cached key metered $roll_chars characters over $roll_requests requests; answered $((hey_ok + 1)) x ${#roll_text} = $roll_expected" \
  "$(is "$roll_chars == $roll_expected && $roll_requests == $hey_ok + 1")"
read -r stream_requests stream_seen <<<"$(await_usage "$stream_key" "$streams_chars" 30)"
check "usage: stream key metered $stream_seen characters over $stream_requests requests; answered $streams_chars over $streams_ok" \
  "$(is "$stream_seen == $streams_chars && $stream_requests == $streams_ok")"
# The limit key's minute is spent (GET /v1/usage counts against it too): its usage is read in the next minute.
while [ "$(date -u +%Y%m%d%H%M)" = "$limit_minute" ]; do sleep 1; done
read -r limit_requests limit_seen <<<"$(await_usage "$limit_key" "$limit_chars" 30)"
check "usage: limit key metered $limit_seen characters over $limit_requests requests; answered $limit_chars over $limit_ok" \
  "$(is "$limit_seen == $limit_chars && $limit_requests == $limit_ok")"

phase usage
# --- Figures and the closing line ----------------------------------------------------------------------------------------
cat <<REPORT
topology: nginx $("$nginx_bin" -v 2>&1 | sed 's|.*/||') (TLS, self-signed) in front of 3 replicas; $stores
  limits     key at $limit/min: $limit_ok x 200, $limit_refused x 429 of $((2 * limit)); replicas served ${served[*]}
  streaming  TTFB median of $ttfb_rounds (pcm16, ${#long_text} chars): nginx $nginx_ttfb ms of $nginx_total ms, direct $direct_ttfb ms of $direct_total ms
  websocket  $ws_sessions session(s): first audio ${ws_first:-?} ms, ${ws_audio:-?} ms of audio each
  rolling    restart of 3 replicas in $roll_seconds s (drains ${drains[*]} s): hey $hey_ok x 200 at $hey_rps req/s, $hey_other other, $hey_errors errors; streams $streams_ok/$streams_all
  phases     ${phases%, }
  usage      cached key $roll_chars chars ($roll_requests requests), streams $stream_seen chars, limit key $limit_seen chars: all as answered
REPORT
if [ "$failures" = 0 ]; then
  echo "topology test passed: all checks in $((SECONDS - started)) s"
else
  echo "topology test FAILED: $failures check(s) failed in $((SECONDS - started)) s"
  exit 1
fi
