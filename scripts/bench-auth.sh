#!/usr/bin/env bash
# Benchmarks key guessing against a legitimate client, on loopback, and prints a Markdown section for
# docs/BENCHMARKS.md ("## Authentication under a brute force") on standard output; progress goes to standard error.
#
# For this checkout, and first for BENCH_BASELINE_REF (a git commit, e.g. main) when given, in the same run:
#   1. quiet: a legitimate client calls GET /v1/auth/verify with its key at a steady rate (hey, from 127.0.0.1);
#   2. attack: the same client again, while 50 addresses (127.0.0.2-51, one connection each) guess random secrets for
#      that key's own prefix back to back. An address refused with 429 or 503 waits the Retry-After it is given, as
#      an attacker who wants scrypt work rather than cheap refusals would. The legitimate client's p99 under attack,
#      against its quiet p99, is the figure; the server's CPU time and the attackers' answers say why.
#
# Needs (all local): dotnet, hey, node, curl, redis-server, PostgreSQL 15 server binaries, runuser (run as root:
# PostgreSQL runs as the `postgres` OS user), git when a baseline is asked for. Everything listens on 127.0.0.1
# (the attackers connect from 127.0.0.2-51, which Linux routes to loopback) and is stopped on exit.
# Knobs (environment): BENCH_BASELINE_REF, BENCH_QUIET_SECONDS, BENCH_ATTACK_SECONDS, BENCH_CLIENT_RATE (req/s),
# BENCH_ATTACKERS.
set -Eeuo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

baseline_ref="${BENCH_BASELINE_REF:-}"
quiet_seconds="${BENCH_QUIET_SECONDS:-30}"
attack_seconds="${BENCH_ATTACK_SECONDS:-60}"
client_rate="${BENCH_CLIENT_RATE:-50}"
attackers="${BENCH_ATTACKERS:-50}"
out="$root/artifacts/bench"
bench_name=bench-auth
# shellcheck source=bench-common.sh
source "$root/scripts/bench-common.sh"
require_tools dotnet hey node curl redis-server redis-cli runuser
[ -z "$baseline_ref" ] || command -v git >/dev/null || die "git is needed for BENCH_BASELINE_REF"

# --- Builds: this checkout, and the baseline's source (git archive, so no worktree is left behind) ----------------------
builds=()
if [ -n "$baseline_ref" ]; then
  baseline_sha=$(git rev-parse --short "$baseline_ref^{commit}")
  log "building the baseline $baseline_ref ($baseline_sha), Release"
  mkdir -p "$tmp/baseline-src"
  git archive "$baseline_sha" | tar -x -C "$tmp/baseline-src"
  dotnet build "$tmp/baseline-src/src/CallWaiting.Cli/CallWaiting.Cli.csproj" -c Release -o "$out/auth-baseline" -nologo -v quiet -clp:ErrorsOnly >&2 ||
    die "build of the baseline failed"
  builds+=("baseline:$out/auth-baseline")
fi
log "building this checkout, Release"
dotnet build src/CallWaiting.Cli/CallWaiting.Cli.csproj -c Release -o "$out/server" -nologo -v quiet -clp:ErrorsOnly >&2 || die "build failed"
builds+=("this:$out/server")

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start_data_stores

# --- The attacker: one keep-alive connection per source address, random secrets for one prefix ------------------------
cat >"$tmp/attack.js" <<'JS'
// node attack.js URL PREFIX SECONDS ADDRESSES: prints {"status": count, ...} when done.
const http = require('http');
const crypto = require('crypto');
const [url, prefix, seconds, addresses] = process.argv.slice(2);
const end = Date.now() + Number(seconds) * 1000;
const counts = {};
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
function guess(agent) {
  // A well-formed key: the prefix, then the tail of a fresh random key (43 base64url characters for 32 bytes).
  const key = prefix + crypto.randomBytes(32).toString('base64url').slice(prefix.length - 8);
  return new Promise(resolve => {
    const request = http.get(url, { agent, headers: { 'x-api-key': key } }, response => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, retryAfter: Number(response.headers['retry-after'] || 0) }));
    });
    request.on('error', () => resolve({ status: 'error', retryAfter: 1 }));
  });
}
async function attacker(address) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: address });
  while (Date.now() < end) {
    const { status, retryAfter } = await guess(agent);
    counts[status] = (counts[status] || 0) + 1;
    if (status === 429 || status === 503 || status === 'error') await sleep(Math.min(retryAfter * 1000, Math.max(0, end - Date.now())));
  }
  agent.destroy();
}
Promise.all(Array.from({ length: Number(addresses) }, (_, i) => attacker(`127.0.0.${i + 2}`)))
  .then(() => console.log(JSON.stringify(counts)));
JS

# Figures from hey's CSV (one line per response: seconds first, status seventh): a percentile in ms, 200s, others.
# hey's own summary leaves out percentiles it has too few samples for, which a starved client is.
hey_ms() { awk -F, 'NR > 1 { print $1 }' "$1" | sort -g | awk -v p="$2" '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } i = int((NR * p + 99) / 100); printf "%.2f", v[i] * 1000 }'; }
hey_ok() { awk -F, 'NR > 1 && $7 == 200 { n++ } END { print n + 0 }' "$1"; }
hey_bad() { awk -F, 'NR > 1 && $7 != 200 { n++ } END { print n + 0 }' "$1"; }
cpu_seconds() { awk -v h="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / h }' "/proc/$1/stat"; }
metric() { curl -s "$1/metrics" | awk -v s="$2" '$1 == s { print $2; found = 1 } END { if (!found) print "n/a" }'; }
client() { # $1 url, $2 seconds, $3 output file
  local workers=2
  hey -z "${2}s" -c "$workers" -q "$((client_rate / workers))" -o csv -H "x-api-key: $key" "$1/v1/auth/verify" >"$3"
}

# --- One build: quiet, then under attack ----------------------------------------------------------------------------------
rows=()
notes=()
run_build() { # $1 label, $2 build folder
  local label=$1 dir=$2 port url server_pid prefix cpu0 cpu1 cpu2 scrypt0 scrypt1 attack_pid counts
  redis-cli -p "$redis_port" flushall >/dev/null
  export CALLWAITING_RateLimits__PerIpPerMinute=1000000000
  port=$(free_port)
  url="http://127.0.0.1:$port"
  "$dir/callwaiting" serve --urls "$url" >"$tmp/server-$label.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  log "$label: server pid $server_pid on $url; waiting for /ready"
  wait_ok "$url/ready" 120 || { tail -n 20 "$tmp/server-$label.log" >&2; die "server not ready in 120 s"; }

  key=$("$dir/callwaiting" keys create --name "bench-$label" --scopes voices:read \
    --rate-limit-per-min 1000000000 --rate-limit-per-day 1000000000 --json | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
  [ -n "$key" ] || die "keys create printed no key"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "x-api-key: $key" "$url/v1/auth/verify")" = 200 ] || die "the new key was refused"
  prefix=${key:0:20}
  hey -z 3s -c 2 -H "x-api-key: $key" "$url/v1/auth/verify" >/dev/null # warm-up

  log "$label: quiet, ${quiet_seconds} s at $client_rate req/s"
  cpu0=$(cpu_seconds "$server_pid")
  client "$url" "$quiet_seconds" "$tmp/quiet-$label.txt"
  cpu1=$(cpu_seconds "$server_pid")

  log "$label: attack from $attackers addresses on prefix $prefix, ${attack_seconds} s, the same client alongside"
  scrypt0=$(metric "$url" api_key_scrypt_total)
  node "$tmp/attack.js" "$url/v1/auth/verify" "$prefix" "$((attack_seconds + 2))" "$attackers" >"$tmp/attack-$label.json" &
  attack_pid=$!
  pids+=("$attack_pid")
  sleep 1
  client "$url" "$attack_seconds" "$tmp/attacked-$label.txt"
  wait "$attack_pid" || die "the attacker failed"
  cpu2=$(cpu_seconds "$server_pid")
  scrypt1=$(metric "$url" api_key_scrypt_total)
  counts=$(tr -d '{}"' <"$tmp/attack-$label.json" | sed 's/,/, /g; s/:/ × /g')
  stop_process "$server_pid"

  local q99 a99 q50 a50 amax ratio met
  q50=$(hey_ms "$tmp/quiet-$label.txt" 50); q99=$(hey_ms "$tmp/quiet-$label.txt" 99)
  a50=$(hey_ms "$tmp/attacked-$label.txt" 50); a99=$(hey_ms "$tmp/attacked-$label.txt" 99); amax=$(hey_ms "$tmp/attacked-$label.txt" 100)
  ratio=$(awk -v a="$a99" -v q="$q99" 'BEGIN { printf "%.2f", a / q }')
  met=$(awk -v r="$ratio" 'BEGIN { print (r <= 2) ? "yes" : "NO" }')
  rows+=("| $label | $q50 ms | $q99 ms | $a50 ms | $a99 ms (max $amax ms) | $ratio | $met | $(hey_ok "$tmp/quiet-$label.txt") / $(hey_bad "$tmp/quiet-$label.txt") | $(hey_ok "$tmp/attacked-$label.txt") / $(hey_bad "$tmp/attacked-$label.txt") |")
  notes+=("- $label: attackers' answers $counts; server CPU $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.1f", b - a }') s over the quiet ${quiet_seconds} s and $(awk -v a="$cpu1" -v b="$cpu2" 'BEGIN { printf "%.1f", b - a }') s over the attack; scrypt runs during the attack: $(awk -v a="$scrypt0" -v b="$scrypt1" 'BEGIN { if (a == "n/a" || b == "n/a") print "not counted by this build"; else print b - a }').")
}

for build in "${builds[@]}"; do run_build "${build%%:*}" "${build#*:}"; done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
cat <<EOF
## Authentication under a brute force

Measured by \`scripts/bench-auth.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'): $cores cores ($cpu_model), $(uname -sr),
Release builds, loopback; private PostgreSQL 15 and Redis (limits in Redis). Load average (1, 5, 15 min) $load_before
before and $load_after after. The legitimate client: \`hey -c 2\` at $client_rate req/s in all on GET /v1/auth/verify
with its key, from 127.0.0.1 (per-IP limit raised for it; the failed-authentication limits keep their defaults).
The attack: $attackers addresses (127.0.0.2–$((attackers + 1)), one keep-alive connection each, Node) guessing random
secrets for the client's own key prefix, each waiting out the Retry-After of a 429 or 503. Quiet ${quiet_seconds} s, then
${attack_seconds} s under attack, per build, one build after the other.${baseline_ref:+ Baseline: \`$baseline_ref\` at $baseline_sha, built from the same run.}

| build | quiet p50 | quiet p99 | attacked p50 | attacked p99 | p99 attacked ÷ quiet | ≤ 2 | quiet 200 / other | attacked 200 / other |
|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

$(printf '%s\n' "${notes[@]}")
EOF
