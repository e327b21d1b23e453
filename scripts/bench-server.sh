#!/usr/bin/env bash
# Benchmarks the API service against baselines measured in the same run, on loopback, and prints a Markdown
# section for docs/BENCHMARKS.md ("## API service") on standard output; progress goes to standard error.
#
#   1. POST /v1/tts latency (one client, ~200 characters) against the same synthesis in-process, without HTTP.
#   2. GET /v1/auth/verify throughput (auth, Redis limits, metering to PostgreSQL) against a bare Kestrel endpoint.
#   3. POST /v1/tts throughput (2 x cores clients, distinct texts) against the engine ceiling, cores / synthesis time.
#   4. Resident memory of the server and of its engine workers during and after that load.
#
# Needs (all local): dotnet, wrk, curl, redis-server, PostgreSQL 15 server binaries, runuser (run as root:
# PostgreSQL runs as the `postgres` OS user). Everything it starts listens on 127.0.0.1 and is stopped on exit.
# The machine may be shared, so each measurement alternates with its baseline rather than following it.
# Knobs (environment): BENCH_VOICE, BENCH_FORMAT, BENCH_TEXTS, BENCH_ROUNDS, BENCH_VERIFY_SECONDS,
# BENCH_VERIFY_CONNECTIONS, BENCH_TTS_SECONDS.
set -Eeuo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

voice="${BENCH_VOICE:-emily-en-us}"
format="${BENCH_FORMAT:-wav}"
texts="${BENCH_TEXTS:-6}"
rounds="${BENCH_ROUNDS:-9}"
verify_seconds="${BENCH_VERIFY_SECONDS:-8}"
verify_connections="${BENCH_VERIFY_CONNECTIONS:-32}"
tts_seconds="${BENCH_TTS_SECONDS:-15}"
out="$root/artifacts/bench"
bench_name=bench-server
# shellcheck source=bench-common.sh
source "$root/scripts/bench-common.sh"
require_tools dotnet wrk curl redis-server redis-cli runuser

# --- Build (Release) ------------------------------------------------------------------------------------------------
log "building Release (server CLI, bare Kestrel baseline, direct synthesis baseline)"
for target in "src/CallWaiting.Cli/CallWaiting.Cli.csproj:server" \
              "bench/CallWaiting.BareKestrel/CallWaiting.BareKestrel.csproj:bare" \
              "bench/CallWaiting.DirectSynthesis/CallWaiting.DirectSynthesis.csproj:direct"; do
  dotnet build "${target%%:*}" -c Release -o "$out/${target##*:}" -nologo -v quiet -clp:ErrorsOnly >&2 || die "build of ${target%%:*} failed"
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- The direct baseline: the speech core in-process, no HTTP, kept running to answer commands ------------------------
bodies="$tmp/bodies.jsonl"
coproc DIRECT { exec "$out/direct/CallWaiting.DirectSynthesis" "$bodies" "$voice" "$format" "$texts"; }
pids+=("$DIRECT_PID")
# Coprocess descriptors are not inherited by subshells, so the answer comes back in $reply rather than on stdout.
direct() { echo "$*" >&"${DIRECT[1]}"; read -r -u "${DIRECT[0]}" reply || die "direct synthesis ended unexpectedly"; }
read -r -u "${DIRECT[0]}" reply && [ "$reply" = ready ] || die "direct synthesis did not start"
for ((t = 0; t < texts; t++)); do sed -n "$((t + 1))p" "$bodies" >"$tmp/body-$t.json"; done
chars_mean=$(awk -F'"text":"' '{ split($2, a, "\""); n += length(a[1]) } END { printf "%.0f", n / NR }' "$bodies")
chars_max=$(awk -F'"text":"' '{ split($2, a, "\""); if (length(a[1]) > m) m = length(a[1]) } END { print m }' "$bodies")

# --- Private Redis and PostgreSQL on free loopback ports ---------------------------------------------------------------
start_data_stores

# --- The API server, configured as in production but with limits the load cannot reach -----------------------------
# The per-IP limit is checked on every request (one Redis round trip); only its size is raised, since all load comes from 127.0.0.1.
export CALLWAITING_RateLimits__PerIpPerMinute=1000000000
# These are the uncached figures: the texts repeat, so the audio cache would otherwise answer from memory.
export CALLWAITING_Cache__Enabled=false
port=$(free_port)
url="http://127.0.0.1:$port"
"$out/server/callwaiting" serve --urls "$url" >"$tmp/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
log "server pid $server_pid on $url; waiting for /ready"
wait_ok "$url/ready" 120 || { tail -n 20 "$tmp/server.log" >&2; die "server not ready in 120 s"; }

key_json=$("$out/server/callwaiting" keys create --name bench --scopes tts:write,voices:read,usage:read \
  --rate-limit-per-min 1000000000 --rate-limit-per-day 1000000000 --json)
key=$(sed -n 's/.*"key":"\([^"]*\)".*/\1/p' <<<"$key_json")
[ -n "$key" ] || die "keys create printed no key"
for k in "$bootstrap_key" "$key"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "x-api-key: $k" "$url/v1/auth/verify")" = 200 ] || die "GET /v1/auth/verify refused a key"
done
server_rss_idle_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status")

# --- 1: POST /v1/tts one at a time, each request paired with the same synthesis in-process --------------------------
tts_once() { # $1 text index; appends "index http ms" to latency.txt
  local result
  result=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "x-api-key: $key" -H 'Content-Type: application/json' \
    --data-binary "@$tmp/body-$1.json" "$url/v1/tts")
  [ "${result%% *}" = 200 ] || die "POST /v1/tts answered ${result%% *}"
  awk -v t="$1" -v s="${result#* }" 'BEGIN { printf "%d http %.3f\n", t, s * 1000 }' >>"$tmp/latency.txt"
}
log "tts latency: $rounds rounds over $texts texts, one request at a time, HTTP and in-process alternating"
for ((t = 0; t < texts; t++)); do tts_once "$t"; done # warm-up
: >"$tmp/latency.txt"
for ((r = 0; r < rounds; r++)); do
  for ((t = 0; t < texts; t++)); do
    # Alternate which goes first, so neither always follows the other's left-overs (caches, pending flushes).
    if ((r % 2)); then tts_once "$t"; fi
    direct one "$t"
    echo "$t direct $reply" >>"$tmp/latency.txt"
    if ! ((r % 2)); then tts_once "$t"; fi
  done
done
tts_bytes=$(curl -s -o "$tmp/sample.$format" -w '%{size_download}' -H "x-api-key: $key" -H 'Content-Type: application/json' \
  --data-binary "@$tmp/body-0.json" "$url/v1/tts")
# Per text the median of each kind; then their mean over the texts.
text_medians() { # $1 kind
  local t
  for ((t = 0; t < texts; t++)); do awk -v t="$t" -v k="$1" '$1 == t && $2 == k { print $3 }' "$tmp/latency.txt" | median; done |
    awk '{ n += $1 } END { printf "%.1f", n / NR }'
}
http_ms=$(text_medians http)
direct_ms=$(text_medians direct)

# --- 3, 4: POST /v1/tts with 2 x cores clients, in turn with the same load in-process; memory and CPU sampled -----------
# Before the verify load, so that the memory figures are this load's own.
wrk_timeouts() { awk '/^  Socket errors:/ { print $NF; found = 1 } END { if (!found) print 0 }' "$1"; }
cat >"$tmp/tts.lua" <<'LUA'
-- Each request sends the next of the benchmark's bodies (one JSON object a line), so consecutive requests differ.
local bodies, next_body = {}, 0
function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["x-api-key"] = args[2]
end
function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
LUA
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
workers() { cat /proc/"$server_pid"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$' | sort -u; }
cpu_ticks() { for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null; done | awk '{ n += $1 } END { print n + 0 }'; }
sample_memory() { # one line per 0.5 s: server RSS, largest worker RSS, sum of workers' RSS (kB)
  while kill -0 "$server_pid" 2>/dev/null; do
    local biggest=0 sum=0 w r
    for w in $(workers); do r=$(rss_kb "$w"); sum=$((sum + r)); [ "$r" -gt "$biggest" ] && biggest=$r; done
    echo "$(rss_kb "$server_pid") $biggest $sum"
    sleep 0.5
  done
}
clients=$((cores * 2))
log "tts throughput: $clients clients, ${tts_seconds} s through HTTP and ${tts_seconds} s in-process, in turn, twice"
worker_pids=$(workers)
tts_requests=0 tts_elapsed=0 direct_requests=0 direct_elapsed=0 server_ticks=0 worker_ticks=0
for rep in 1 2; do
  direct parallel "$clients" "$tts_seconds"
  direct_requests=$((direct_requests + ${reply% *}))
  direct_elapsed=$(awk -v a="$direct_elapsed" -v b="${reply#* }" 'BEGIN { print a + b }')

  sample_memory >>"$tmp/memory.txt" &
  sampler_pid=$!
  pids+=("$sampler_pid")
  s0=$(cpu_ticks "$server_pid"); w0=$(cpu_ticks $worker_pids)
  wrk -t1 -c "$clients" -d "${tts_seconds}s" --timeout 60s --latency -s "$tmp/tts.lua" "$url/v1/tts" -- "$bodies" "$key" >"$tmp/wrk-tts-$rep.txt"
  server_ticks=$((server_ticks + $(cpu_ticks "$server_pid") - s0)); worker_ticks=$((worker_ticks + $(cpu_ticks $worker_pids) - w0))
  stop_process "$sampler_pid"
  [ "$(wrk_bad "$tmp/wrk-tts-$rep.txt")" = 0 ] && [ "$(wrk_timeouts "$tmp/wrk-tts-$rep.txt")" = 0 ] || { cat "$tmp/wrk-tts-$rep.txt" >&2; die "tts throughput: some requests failed"; }
  tts_requests=$((tts_requests + $(awk '/requests in/ { print $1 }' "$tmp/wrk-tts-$rep.txt")))
  tts_elapsed=$(awk -v a="$tts_elapsed" -v b="$(awk '/requests in/ { sub(/s,$/, "", $4); print $4 }' "$tmp/wrk-tts-$rep.txt")" 'BEGIN { print a + b }')
done
sleep 2 # the load is over: what stays resident
tts_rps=$(awk -v n="$tts_requests" -v s="$tts_elapsed" 'BEGIN { printf "%.2f", n / s }')
direct_rps=$(awk -v n="$direct_requests" -v s="$direct_elapsed" 'BEGIN { printf "%.2f", n / s }')
tts_p50=$(awk '/^ +50%/ { print $2 }' "$tmp/wrk-tts-2.txt")
clk_tck=$(getconf CLK_TCK)
server_cpu_ms=$(awk -v t="$server_ticks" -v h="$clk_tck" -v n="$tts_requests" 'BEGIN { printf "%.0f", t * 1000 / h / n }')
worker_cpu_ms=$(awk -v t="$worker_ticks" -v h="$clk_tck" -v n="$tts_requests" 'BEGIN { printf "%.0f", t * 1000 / h / n }')
# How much CPU the server and its workers actually got during the HTTP load: below the core count, others had the rest.
cores_used=$(awk -v s="$server_ticks" -v w="$worker_ticks" -v h="$clk_tck" -v e="$tts_elapsed" 'BEGIN { printf "%.2f", (s + w) / h / e }')
server_rss_peak_kb=$(awk '$1 > m { m = $1 } END { print m + 0 }' "$tmp/memory.txt")
worker_rss_peak_kb=$(awk '$2 > m { m = $2 } END { print m + 0 }' "$tmp/memory.txt")
workers_sum_peak_kb=$(awk '$3 > m { m = $3 } END { print m + 0 }' "$tmp/memory.txt")
read -r server_rss_after_kb server_anon_kb server_file_kb server_shmem_kb < <(awk '
  /^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } /^RssShmem:/ { s = $2 } END { print r, a, f, s }' "/proc/$server_pid/status")
worker_hwm_kb=0
worker_count=0
for w in $(workers); do
  h=$(hwm_kb "$w"); worker_count=$((worker_count + 1))
  [ "$h" -gt "$worker_hwm_kb" ] && worker_hwm_kb=$h
done

# --- 2: GET /v1/auth/verify against a bare Kestrel endpoint, alternating, best of two each ----------------------------
# One wrk thread: the load generator shares the cores with the server, and one event loop keeps its share small.
bare_port=$(free_port)
"$out/bare/CallWaiting.BareKestrel" --urls "http://127.0.0.1:$bare_port" >"$tmp/bare.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
wait_ok "http://127.0.0.1:$bare_port/ready" 60 || die "bare Kestrel app did not start"
verify_run() { # $1 label, $2 url, $3 output file; a response slower than 10 s counts as a timeout and is reported
  wrk -t1 -c "$verify_connections" -d "${verify_seconds}s" --timeout 10s --latency -H "x-api-key: $key" "$2" >"$3"
  [ "$(wrk_bad "$3")" = 0 ] || { cat "$3" >&2; die "$1: some requests failed"; }
}
log "verify throughput: bare Kestrel and the API server in turn, twice (${verify_seconds} s each, $verify_connections connections)"
wrk -t1 -c "$verify_connections" -d 3s "http://127.0.0.1:$bare_port/v1/auth/verify" >/dev/null # warm-up
wrk -t1 -c "$verify_connections" -d 3s -H "x-api-key: $key" "$url/v1/auth/verify" >/dev/null
for rep in 1 2; do
  verify_run "bare Kestrel" "http://127.0.0.1:$bare_port/v1/auth/verify" "$tmp/wrk-bare-$rep.txt"
  verify_run "API server" "$url/v1/auth/verify" "$tmp/wrk-verify-$rep.txt"
done
stop_process "$bare_pid"
best() { for f in "$@"; do wrk_rps "$f"; done | sort -g | tail -n1; }
bare_rps=$(best "$tmp"/wrk-bare-*.txt)
verify_rps=$(best "$tmp"/wrk-verify-*.txt)
best_verify=$(for f in "$tmp"/wrk-verify-*.txt; do echo "$(wrk_rps "$f") $f"; done | sort -g | tail -n1 | cut -d' ' -f2)
verify_p50=$(awk '/^ +50%/ { print $2 }' "$best_verify")
verify_p99=$(awk '/^ +99%/ { print $2 }' "$best_verify")
verify_max=$(awk '/^    Latency/ { print $4 }' "$best_verify")
verify_timeouts=$(wrk_timeouts "$best_verify")

server_hwm_kb=$(hwm_kb "$server_pid")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Report ----------------------------------------------------------------------------------------------------------
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
met() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == "<=") ? v <= t : v >= t; print ok ? "yes" : "**NO**" }'; }

overhead_pct=$(awk -v h="$http_ms" -v d="$direct_ms" 'BEGIN { printf "%+.1f", (h / d - 1) * 100 }')
overhead_ms=$(awk -v h="$http_ms" -v d="$direct_ms" 'BEGIN { printf "%+.1f", h - d }')
ceiling_rps=$(awk -v c="$cores" -v t="$direct_ms" 'BEGIN { printf "%.2f", c / (t / 1000) }')
tts_ratio=$(ratio "$tts_rps" "$ceiling_rps")
tts_vs_direct=$(ratio "$tts_rps" "$direct_rps")
verify_ratio=$(ratio "$verify_rps" "$bare_rps")
cpu_ceiling_rps=$(awk -v c="$cores" -v s="$server_cpu_ms" -v w="$worker_cpu_ms" 'BEGIN { printf "%.2f", c * 1000 / (s + w) }')
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
runtime_version=$(dotnet --list-runtimes | awk '/^Microsoft.AspNetCore.App/ { v = $2 } END { print v }')
# Runtime knobs inherited from the environment change the figures (GC budgets, spinning), so the report names them.
runtime_knobs=$(env | { grep -E '^(DOTNET|COMPlus)_' || true; } | { grep -vE '^DOTNET_(CLI_|NOLOGO|GENERATE_ASPNET_CERTIFICATE|ROOT|SKIP_FIRST_TIME_EXPERIENCE|INSTALL_DIR)' || true; } | sort | sed 's/^/`/; s/$/`/' | paste -sd' ' -)

cat <<EOF
## API service

Measured by \`scripts/bench-server.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'): $cores cores ($cpu_model), $(uname -sr),
.NET $runtime_version (runtime settings from the environment: ${runtime_knobs:-none}), Release builds, everything on loopback. PostgreSQL 15 (\`CALLWAITING_DB\`) and Redis
(\`CALLWAITING_REDIS\`) run privately on this machine, so auth, the per-IP and per-key limits (Redis), request logs
and metering (PostgreSQL) are all on. Voice \`$voice\`, format \`$format\`, $texts texts of $chars_mean characters on average
(at most $chars_max). Load average (1, 5, 15 min) $load_before before and $load_after after: the machine is shared
with other builds, so figures are noisy, and each measurement alternates with its baseline to share the noise. The
load generators (curl, wrk) and the data stores run on the same $cores cores as the server.

| target | API server | baseline, same run | ratio | goal | met |
|---|---|---|---|---|---|
| POST /v1/tts, one request at a time: median latency | $http_ms ms | $direct_ms ms in-process | $overhead_pct % ($overhead_ms ms) | ≤ +10 % | $(met "${overhead_pct#+}" "<=" 10) |
| GET /v1/auth/verify throughput | $verify_rps req/s (p50 $verify_p50, p99 $verify_p99, max $verify_max, $verify_timeouts over 10 s) | $bare_rps req/s bare Kestrel | $verify_ratio | ≥ 3,000 req/s | $(met "$verify_rps" ">=" 3000) |
| POST /v1/tts throughput, $clients clients | $tts_rps req/s | $ceiling_rps req/s ceiling: $cores cores ÷ $direct_ms ms | $tts_ratio | ≥ 0.9 | $(met "$tts_ratio" ">=" 0.9) |
| the same, against the speech core in-process with $clients clients | $tts_rps req/s | $direct_rps req/s in-process | $tts_vs_direct | | |
| server RSS under that load (peak, sampled every 0.5 s) | $(mb "$server_rss_peak_kb") MB | $(mb "$server_rss_idle_kb") MB idle before | | ≤ 300 MB | $(met "$(mb "$server_rss_peak_kb")" "<=" 300) |
| each engine worker's RSS under that load (peak) | $(mb "$worker_rss_peak_kb") MB | | | | |

- Latency: $rounds rounds over the $texts texts; each HTTP request (curl, from sending to the last byte of the streamed
  response) is paired with the same synthesis in-process, alternating which goes first. The figure is the mean over
  the texts of each text's median. One response for the first text is $tts_bytes bytes.
- In-process: \`bench/CallWaiting.DirectSynthesis\` starts the speech core as the server does (one warm worker per
  core) and times prepare, synthesis and encoding into a null pipe. Its texts are the speech core benchmark's
  sentences, clipped to whole words of at most 200 characters.
- Verify: \`wrk -t1 -c $verify_connections\` for $verify_seconds s, against the server and against
  \`bench/CallWaiting.BareKestrel\` (one endpoint answering the same JSON shape, with the server's Kestrel settings and
  GC mode and no logging), in turn, twice, after warm-ups; best of two each. Every server request makes two Redis
  round trips (the per-IP limit and the failed-auth budget together, then the per-key limit), writes a JSON log line
  and queues a request_logs row.
- TTS throughput: \`wrk -t1 -c $clients\`, each request the next of the texts (the audio cache is turned off for this run, so each
  is synthesized), $tts_seconds s at a time, in turn with the same clients in-process; $tts_requests HTTP requests in all,
  p50 latency $tts_p50. CPU per HTTP request: $server_cpu_ms ms in the server process (HTTP, auth, resampling,
  encoding) and $worker_cpu_ms ms in the workers (synthesis), so the CPU-bound ceiling is $cpu_ceiling_rps req/s; the
  server and its workers were given $cores_used of the $cores cores during the HTTP load.
- Memory: server VmHWM over the whole run (including the verify load, which comes after the TTS load) $(mb "$server_hwm_kb") MB; 2 s after the load VmRSS
  $(mb "$server_rss_after_kb") MB, of which $(mb "$server_anon_kb") MB anonymous, $(mb "$server_file_kb") MB mapped files (shared with any other .NET
  process) and $(mb "$server_shmem_kb") MB shared memory (the runtime's double-mapped code). The $worker_count workers are separate
  processes: together at most $(mb "$workers_sum_peak_kb") MB, each VmHWM at most $(mb "$worker_hwm_kb") MB.
EOF
