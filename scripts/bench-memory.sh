#!/usr/bin/env bash
# Memory under large whole-file answers: parallel loops post long texts of random digits to /v1/tts/with-timestamps at
# 48 kHz (each answer 48 to 56 MB of JSON: a 6-minute WAV in base64) and the server's resident memory (VmRSS, from
# /proc/PID/status) is sampled idle before (cold, then warm), every 0.5 s under the load, and 30 s after it. Prints a
# row of the table in docs/BENCHMARKS.md ("Memory under large whole-file answers") and the run's conditions on
# standard output; progress goes to standard error.
#
#   scripts/bench-memory.sh                            # this tree
#   BENCH_SOURCE=/path/to/other/worktree scripts/bench-memory.sh   # another tree (e.g. a baseline), built the same way
#
# Needs (all local): dotnet, curl, redis-server, PostgreSQL 15 server binaries, runuser (run as root). Everything it
# starts listens on 127.0.0.1 and is stopped on exit. Knobs: BENCH_SOURCE, BENCH_LABEL (a note for the table row),
# BENCH_LOOPS (8), BENCH_SECONDS (20), BENCH_DIGITS (1200), BENCH_RATE (48000), BENCH_AFTER_SECONDS (30).
set -Eeuo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

source_tree="$(readlink -f "${BENCH_SOURCE:-$root}")"
loops="${BENCH_LOOPS:-8}"
seconds="${BENCH_SECONDS:-20}"
digits="${BENCH_DIGITS:-1200}"
rate="${BENCH_RATE:-48000}"
after="${BENCH_AFTER_SECONDS:-30}"
bench_name=bench-memory
out="$root/artifacts/bench"
# shellcheck source=bench-common.sh
source "$root/scripts/bench-common.sh"
require_tools dotnet curl redis-server redis-cli runuser

commit=$(git -C "$source_tree" rev-parse --short HEAD)
build="$out/memory-$commit"
log "building Release from $source_tree ($commit)"
dotnet build "$source_tree/src/CallWaiting.Cli/CallWaiting.Cli.csproj" -c Release -o "$build" -nologo -v quiet -clp:ErrorsOnly >&2 \
  || die "build failed"

start_data_stores
export CALLWAITING_RateLimits__PerIpPerMinute=1000000000
# As ./callwaiting starts the server (see docs/BENCHMARKS.md, "API service": .NET sizes gen0 from this VM's large L3).
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x1000000}"
port=$(free_port)
url="http://127.0.0.1:$port"
"$build/callwaiting" serve --urls "$url" >"$tmp/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
log "server pid $server_pid on $url; waiting for /ready"
wait_ok "$url/ready" 120 || { tail -n 20 "$tmp/server.log" >&2; die "server not ready in 120 s"; }
key_json=$("$build/callwaiting" keys create --name bench --scopes tts:write --rate-limit-per-min 1000000000 --rate-limit-per-day 1000000000 --json)
key=$(sed -n 's/.*"key":"\([^"]*\)".*/\1/p' <<<"$key_json")
[ -n "$key" ] || die "keys create printed no key"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
rss_parts() { # "anonymous MB / mapped files MB" of the server now
  awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { printf "%.0f / %.0f", a / 1024, f / 1024 }' "/proc/$server_pid/status"
}
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
body() { # a fresh text of random digits, so that no two requests share (or coalesce into) one rendering
  printf '{"text":"%s","voice_id":"emily-en-us","format":"wav","sample_rate":%s}' \
    "$(head -c "$digits" /dev/urandom | od -An -v -tu1 | awk '{ for (i = 1; i <= NF; i++) printf "%d", $i % 10 }')" "$rate"
}
post() { # $1 body file; prints "status bytes seconds"
  curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}\n' -H "x-api-key: $key" -H 'content-type: application/json' \
    --data-binary "@$1" "$url/v1/tts/with-timestamps"
}

# Idle twice: after one short answer (cold), then after one answer of the load's size alone (warm: code paths
# compiled, pools and thread pool grown), each once the runtime has settled for 5 s.
printf '{"text":"12345","voice_id":"emily-en-us","format":"wav","sample_rate":%s}' "$rate" >"$tmp/warm.json"
[ "$(post "$tmp/warm.json" | cut -d' ' -f1)" = 200 ] || die "warm-up request failed"
sleep 5
cold_kb=$(rss_kb "$server_pid")
body >"$tmp/warm.json"
[ "$(post "$tmp/warm.json" | cut -d' ' -f1)" = 200 ] || die "full-size warm-up request failed"
sleep 5
idle_kb=$(rss_kb "$server_pid")
idle_parts=$(rss_parts)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "idle RSS $(mb "$cold_kb") MB cold, $(mb "$idle_kb") MB warm; $loops loops for $seconds s"

( while kill -0 "$server_pid" 2>/dev/null; do rss_kb "$server_pid"; sleep 0.5; done ) >"$tmp/rss.txt" &
sampler=$!
pids+=("$sampler")
deadline=$((SECONDS + seconds))
for ((l = 0; l < loops; l++)); do
  (
    while [ $SECONDS -lt $deadline ]; do
      body >"$tmp/body-$l.json"
      post "$tmp/body-$l.json"
    done
  ) >"$tmp/results-$l.txt" &
  loop_pids+=($!)
done
wait "${loop_pids[@]}"
load_end=$SECONDS
peak_kb=$(awk '$1 > m { m = $1 } END { print m + 0 }' "$tmp/rss.txt")
end_kb=$(rss_kb "$server_pid")
log "load done after $((load_end - deadline + seconds)) s; peak $(mb "$peak_kb") MB; waiting $after s"
sleep "$after"
after_kb=$(rss_kb "$server_pid")
after_parts=$(rss_parts)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cat "$tmp"/results-*.txt >"$tmp/results.txt"
ok=$(awk '$1 == 200' "$tmp/results.txt" | wc -l)
failed=$(awk '$1 != 200' "$tmp/results.txt" | wc -l)
statuses=$(awk '{ print $1 }' "$tmp/results.txt" | sort | uniq -c | awk '{ printf "%s%s×%s", sep, $2, $1; sep = ", " }')
answer_mb=$(awk '$1 == 200 { n++; b += $2 } END { printf "%.1f", n ? b / n / 1048576 : 0 }' "$tmp/results.txt")
answer_s=$(awk '$1 == 200 { n++; t += $3 } END { printf "%.1f", n ? t / n : 0 }' "$tmp/results.txt")
within=$(awk -v a="$after_kb" -v i="$idle_kb" 'BEGIN { printf "%+.0f", (a / i - 1) * 100 }')
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

cat <<MD
| $commit${BENCH_LABEL:+ ($BENCH_LABEL)} | $(mb "$cold_kb") MB | $(mb "$idle_kb") MB ($idle_parts) | $(mb "$peak_kb") MB | $(mb "$end_kb") MB | $(mb "$after_kb") MB ($after_parts), $within % | $ok ($statuses), $answer_mb MB, $answer_s s each |

<!-- $(date -u '+%Y-%m-%d %H:%M UTC'), $cores cores ($cpu_model), $(uname -sr); source $source_tree; $loops loops x $seconds s,
$digits digits at $rate Hz; DOTNET_GCgen0size=$DOTNET_GCgen0size; load average $load_before before, $load_after after; $failed non-200. -->
MD
