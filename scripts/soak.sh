#!/usr/bin/env bash
# Load and soak through the topology of scripts/topology-test.sh (nginx with TLS, replicas sharing PostgreSQL and Redis).
#   1. Load figures, each against a bare Kestrel endpoint measured in the same run (bench/CallWaiting.BareKestrel):
#      hey on one cached POST /v1/tts body, and closed-loop short uncached requests (scripts/load-mix.mjs, distinct texts).
#   2. Capacity of the mixed traffic (closed loop), then the soak: that mix at a fixed rate of 80 % of it, open loop,
#      for the soak's duration. Latency percentiles per window and the RSS of every replica (with its engine workers)
#      and of nginx are recorded and drawn into a PNG (gnuplot). Error budget 0: any answer but 200 fails the soak;
#      so does a usage record missing (GET /v1/usage characters must equal those of the answered requests).
# Prints a Markdown section for docs/BENCHMARKS.md on standard output; progress on standard error; non-zero on failure.
# Usage: scripts/soak.sh [--duration SECONDS (600)] [--replicas N (3)] [--cached-share 0..1 (0.8)] [--plot FILE (docs/soak.png)]
set -Eeuo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
duration=600 replicas=3 cached_share=0.8 plot="$root/docs/soak.png"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --replicas) replicas=$2; shift 2 ;;
    --cached-share) cached_share=$2; shift 2 ;;
    --plot) plot=$(readlink -f "$2"); shift 2 ;;
    *) echo "usage: $0 [--duration SECONDS] [--replicas N] [--cached-share 0..1] [--plot FILE]" >&2; exit 2 ;;
  esac
done
window=$(( duration >= 300 ? 30 : 5 )) # seconds per latency window in the plot
bench_name=soak
# shellcheck source=bench-common.sh
source "$root/scripts/bench-common.sh"
# shellcheck source=topology-common.sh
source "$root/scripts/topology-common.sh"
"$root/scripts/ensure-deps.sh" test
command -v gnuplot >/dev/null || apt-get install -y -qq --no-install-recommends gnuplot-nox >&2
require_tools "$nginx_bin" openssl hey curl node python3 gnuplot redis-server redis-cli runuser psql
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
all=$(seq 0 $((replicas - 1)))

use_data_stores
"$root/callwaiting" --help >/dev/null
# shellcheck disable=SC2086
launch_replicas $all
{ read -r key; read -r load_key; } < <(create_key soak 1000000000 2)
# shellcheck disable=SC2086
await_replicas $all
start_nginx
dotnet build bench/CallWaiting.BareKestrel/CallWaiting.BareKestrel.csproj -c Release -o "$tmp/bare" -nologo -v quiet -clp:ErrorsOnly >&2
bare_port=$(free_port)
"$tmp/bare/CallWaiting.BareKestrel" --urls "http://127.0.0.1:$bare_port" >"$tmp/bare.log" 2>&1 &
pids+=("$!")
wait_ok "http://127.0.0.1:$bare_port/ready" 60 || die "bare Kestrel did not start"
log "nginx on $base, $replicas replicas; $stores"
export NODE_EXTRA_CA_CERTS="$ngx/certs/fullchain.pem"
mix() { node --no-warnings "$root/scripts/load-mix.mjs" "$base/v1/tts" "$@"; }

# --- 1. Load: cached (hey), short uncached (closed loop), bare Kestrel (hey), in turn ---------------------------------------
tts_body "Thank you for calling. Please hold while we connect you." mp3 false >"$tmp/cached.json"
tls_curl -o /dev/null -H "x-api-key: $load_key" -H 'Content-Type: application/json' --data-binary "@$tmp/cached.json" "$base/v1/tts"
hey_run() { # $1 output, rest: hey arguments
  local out=$1; shift
  hey -z 10s -c 16 -t 30 "$@" >"$out"
  awk '$1 == "[200]" { ok = $2 } /Requests\/sec:/ { r = $2 } $1 ~ /^50%/ && $2 == "in" { p50 = $3 } $1 ~ /^99%/ && $2 == "in" { p99 = $3 }
       END { printf "%s %s %.1f %.1f\n", r, ok + 0, p50 * 1000, p99 * 1000 }' "$out"
}
log "load: hey -c 16 for 10 s on a cached body through nginx, then on bare Kestrel straight"
read -r cached_rps cached_ok cached_p50 cached_p99 < <(hey_run "$tmp/hey-cached.txt" -m POST -T application/json \
  -H "x-api-key: $load_key" -D "$tmp/cached.json" "$base/v1/tts")
read -r bare_rps bare_ok bare_p50 bare_p99 < <(hey_run "$tmp/hey-bare.txt" "http://127.0.0.1:$bare_port/v1/auth/verify")
log "load: 8 clients for 10 s on short uncached texts through nginx"
mix "$load_key" closed 8 10 0 "uncached-$run_id" >"$tmp/uncached.txt"
read -r uncached_n uncached_bad uncached_p50 uncached_p99 < <(python3 - "$tmp/uncached.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
lat = sorted(float(r[3]) for r in rows if r[2] == "200")
pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] if lat else 0
print(len(rows), sum(r[2] != "200" for r in rows), f"{pct(50):.1f}", f"{pct(99):.1f}")
PY
)
uncached_rps=$(awk -v n="$uncached_n" 'BEGIN { printf "%.1f", n / 10 }')
for f in "$tmp/hey-cached.txt" "$tmp/hey-bare.txt"; do
  if awk '/^Status code distribution:/ { s = 1; next } s && $1 ~ /^\[/ && $1 != "[200]" { bad = 1 } /^Error distribution:/ { bad = 1 } END { exit !bad }' "$f"; then
    sed -n '/^Status code distribution:/,$p' "$f" >&2; die "load: some answers were not 200 ($f)"
  fi
done
[ "$uncached_bad" = 0 ] || die "load: $uncached_bad uncached answers were not 200"

# --- 2. Capacity of the mix, then the soak at 80 % of it ------------------------------------------------------------------
log "capacity: the mix (cached share $cached_share), 8 clients, closed loop, 15 s"
mix "$key" closed 8 15 "$cached_share" "capacity-$run_id" >"$tmp/capacity.txt"
capacity=$(awk '$3 == 200 { n++ } END { printf "%.1f", n / 15 }' "$tmp/capacity.txt")
rate=$(awk -v c="$capacity" 'BEGIN { printf "%.1f", c * 0.8 }')
rss_of() { # kB of a process and all its descendants (engine workers)
  local pid=$1 child total
  total=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
  # A thread or child may end between the glob and the read: that is no error, just one fewer process to count.
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null || true); do total=$((total + $(rss_of "$child"))); done
  echo "${total:-0}"
}
sample_rss() { # every 2 s: "unix-seconds rss-MB of each replica ... nginx"
  while :; do
    local line i
    line="$(date +%s)"
    for i in $all; do line+=" $(( $(rss_of "${replica_pids[i]}") / 1024 ))"; done
    echo "$line $(( $(rss_of "$nginx_pid") / 1024 ))"
    sleep 2
  done
}
sample_rss >"$tmp/rss.txt" &
sampler_pid=$!
pids+=("$sampler_pid")
log "soak: $rate requests a second (80 % of $capacity) for $duration s, open loop"
soak_started=$(date +%s)
mix "$key" open "$rate" "$duration" "$cached_share" "soak-$run_id" >"$tmp/soak.txt"
stop_process "$sampler_pid"

# Per window: start (s from the soak's start), answers, not-200, p50, p95, p99 (ms); and the whole run's figures.
python3 - "$tmp/soak.txt" "$soak_started" "$window" >"$tmp/windows.txt" 2>"$tmp/summary.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
start, window = int(sys.argv[2]) * 1000, int(sys.argv[3]) * 1000
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] if values else 0
groups = {}
for r in rows: groups.setdefault((int(r[0]) - start) // window, []).append(r)
for w in sorted(groups):
    g = groups[w]; lat = [float(r[3]) for r in g if r[2] == "200"]
    print(w * window / 1000, len(g), sum(r[2] != "200" for r in g), pct(lat, 50), pct(lat, 95), pct(lat, 99))
for kind in ("cached", "uncached", "all"):
    lat = [float(r[3]) for r in rows if r[2] == "200" and kind in ("all", r[1])]
    n = sum(1 for r in rows if kind in ("all", r[1]))
    print(kind, n, sum(1 for r in rows if r[2] != "200" and kind in ("all", r[1])),
          f"{pct(lat, 50):.1f} {pct(lat, 95):.1f} {pct(lat, 99):.1f} {max(lat, default=0):.1f}", file=sys.stderr)
print("chars", sum(int(r[4]) for r in rows if r[2] == "200"), file=sys.stderr)
# What the refused answers were (status x count, per kind; status 0: no answer), so a failed soak says why.
refused = {}
for r in rows:
    if r[2] != "200": refused[(r[1], r[2])] = refused.get((r[1], r[2]), 0) + 1
print("refused", " ".join(f"{k}:{s}x{n}" for (k, s), n in sorted(refused.items())) or "none", file=sys.stderr)
PY
soak_bad=$(awk '$1 == "all" { print $3 }' "$tmp/summary.txt")
soak_chars=$(awk '$1 == "chars" { print $2 }' "$tmp/summary.txt")
capacity_chars=$(awk '$3 == 200 { n += $5 } END { print n + 0 }' "$tmp/capacity.txt")
# The generator's warm-up requests (one per prompt, before each run) are metered too.
warm_chars=$(python3 -c 'import re, sys; print(2 * sum(len(m) for m in re.findall(r"^  \"(.*)\",$", open(sys.argv[1]).read(), re.M)))' "$root/scripts/load-mix.mjs")
expected=$((soak_chars + capacity_chars + warm_chars))
read -r _ metered < <(await_usage "$key" "$expected" 30)
t0=$(head -n1 "$tmp/rss.txt" | cut -d' ' -f1)
awk -v t0="$t0" '{ $1 = $1 - t0; print }' "$tmp/rss.txt" >"$tmp/rss-rel.txt"
rss_first=$(awk 'NR == 2 { s = 0; for (i = 2; i < NF; i++) s += $i; print s }' "$tmp/rss-rel.txt")
rss_last=$(awk '{ s = 0; for (i = 2; i < NF; i++) s += $i; last = s } END { print last }' "$tmp/rss-rel.txt")
rss_peak=$(awk '{ s = 0; for (i = 2; i < NF; i++) s += $i; if (s > m) m = s } END { print m }' "$tmp/rss-rel.txt")

# --- Plot ------------------------------------------------------------------------------------------------------------------
mkdir -p "$(dirname "$plot")"
{
  echo "set terminal pngcairo size 1000,700 font ',10' noenhanced"
  echo "set output '$plot'"
  echo "set multiplot layout 2,1 title 'Soak through nginx: $rate req/s (80 % of $capacity), cached share $cached_share, $replicas replicas, $(date -u '+%Y-%m-%d')'"
  echo "set grid; set key outside right; set xlabel 'seconds'"
  echo "set ylabel 'latency (ms)'; set logscale y"
  echo "plot '$tmp/windows.txt' using 1:4 with linespoints title 'p50', '' using 1:5 with linespoints title 'p95', '' using 1:6 with linespoints title 'p99'"
  echo "unset logscale y; set ylabel 'RSS (MB)'; set yrange [0:*]"
  printf "plot "
  for i in $all; do printf "'%s' using 1:%d with lines title 'replica %d + workers', " "$tmp/rss-rel.txt" $((i + 2)) "$i"; done
  printf "'%s' using 1:%d with lines title 'nginx'\n" "$tmp/rss-rel.txt" $((replicas + 2))
  echo "unset multiplot"
} >"$tmp/plot.gp"
gnuplot "$tmp/plot.gp" || die "gnuplot failed"

# --- Report ----------------------------------------------------------------------------------------------------------------
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
row() { awk -v k="$1" '$1 == k { printf "| %s | %d | %d | %s ms | %s ms | %s ms | %s ms |\n", k, $2, $3, $4, $5, $6, $7 }' "$tmp/summary.txt"; }
cat <<EOF
## Load and soak through nginx

Measured by \`scripts/soak.sh --duration $duration\` on $(date -u '+%Y-%m-%d %H:%M UTC'): $cores cores ($cpu_model), $(uname -sr),
$(free -g | awk '/^Mem:/ { print $2 }') GB; nginx $("$nginx_bin" -v 2>&1 | sed 's|.*/||') with TLS in front of $replicas replicas (one engine worker each),
$stores. Load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after: the machine is shared with other
builds, so absolute figures are noisy; compare only with the baseline measured in the same run.

### Load (10 s each, in turn)

| run | req/s | answers 200 | p50 | p99 |
|---|---|---|---|---|
| cached POST /v1/tts (mp3, 56 characters) through nginx, \`hey -c 16\` | $cached_rps | $cached_ok | $cached_p50 ms | $cached_p99 ms |
| short uncached POST /v1/tts (mp3, ~35 characters, distinct texts) through nginx, 8 clients (load-mix.mjs) | $uncached_rps | $((uncached_n - uncached_bad)) | $uncached_p50 ms | $uncached_p99 ms |
| baseline: bare Kestrel GET /v1/auth/verify straight (no TLS, no proxy), \`hey -c 16\` | $bare_rps | $bare_ok | $bare_p50 ms | $bare_p99 ms |

### Soak: $duration s at $rate req/s, open loop

Capacity of the mix (cached share $cached_share: 8 phone prompts, the rest distinct short texts; mp3): $capacity req/s
with 8 clients in a closed loop for 15 s. The soak sends 80 % of that on a fixed schedule (slow answers show as latency,
not as a lower rate). Error budget 0. Usage: GET /v1/usage counted $metered characters; the answered requests
(capacity run, soak, warm-ups) had $expected. RSS of all replicas with their workers: $rss_first MB at the start,
$rss_peak MB at the peak, $rss_last MB at the end. Plot: \`docs/$(basename "$plot")\` (latency per ${window}-s window, RSS every 2 s).

| requests | answered | not 200 | p50 | p95 | p99 | max |
|---|---|---|---|---|---|---|
$(row cached)
$(row uncached)
$(row all)

Answers other than 200 (kind:status×count): $(awk '$1 == "refused" { $1 = ""; print substr($0, 2) }' "$tmp/summary.txt").
EOF
[ "$soak_bad" = 0 ] || die "soak: $soak_bad answers were not 200 (error budget 0)"
[ "$metered" = "$expected" ] || die "soak: usage counted $metered characters, the answers had $expected"
log "soak passed: $rate req/s for $duration s, 0 errors, usage exact"
