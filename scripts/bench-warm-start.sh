#!/usr/bin/env bash
# Benchmarks a cold start of the embedded server (SQLite, no Redis) and prints a Markdown section for
# docs/BENCHMARKS.md ("## Start-up and the first request") on standard output; progress goes to standard error.
#
# Each round starts a fresh server on a fresh data folder, polls GET /ready every 20 ms, then at once times the first
# POST /v1/tts's time to first byte, then that of LATER more requests, one after another. The baseline is those later
# requests, measured in the same round: every request uses a key never used before (each pays the one scrypt check a
# key's first use costs) and a text of its own (no cache hits), so the first differs only in coming first.
# It also reports the time from spawn to /ready and the warm-up times the server logs.
#
# Needs (all local): dotnet, curl, python3. Knobs (environment): BENCH_ROUNDS (5), BENCH_LATER (8), BENCH_WORKERS
# (cores), BENCH_VOICE (emily-en-us), BENCH_FORMAT (mp3), BENCH_SERVER_DIR (a CLI build folder to run instead of
# building this tree, e.g. an older commit's, to compare two builds on the same machine).
set -Eeuo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

rounds="${BENCH_ROUNDS:-5}"
later="${BENCH_LATER:-8}"
voice="${BENCH_VOICE:-emily-en-us}"
format="${BENCH_FORMAT:-mp3}"
out="$root/artifacts/bench"
bench_name=bench-warm-start
# shellcheck source=bench-common.sh
source "$root/scripts/bench-common.sh"
workers="${BENCH_WORKERS:-$cores}"
for tool in dotnet curl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

if [ -n "${BENCH_SERVER_DIR:-}" ]; then
  cli="$BENCH_SERVER_DIR/callwaiting"
else
  log "building Release (server CLI)"
  dotnet build src/CallWaiting.Cli/CallWaiting.Cli.csproj -c Release -o "$out/server" -nologo -v quiet -clp:ErrorsOnly >&2 || die "build failed"
  cli="$out/server/callwaiting"
fi
[ -x "$cli" ] || die "no CLI at $cli"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

now() { date +%s.%N; }
ttfb() {
  curl -s -o /dev/null -w '%{time_starttransfer}' -H "x-api-key: $1" -H 'content-type: application/json' \
    -d "{\"text\":\"This is request number $2 of the warm start benchmark.\",\"voice_id\":\"$voice\",\"format\":\"$format\"}" \
    "http://127.0.0.1:$3/v1/tts"
}
logged_ms() { grep -o "\"Message\":\"$2 [^\"]*" "$1" | grep -o '[0-9]\+ ms' | head -1 | cut -d' ' -f1; }

: >"$tmp/rounds.txt"
for ((r = 1; r <= rounds; r++)); do
  data="$tmp/data-$r"
  mkdir -p "$data"
  CALLWAITING_DATA_DIR="$data" "$cli" keys create --name bench --scopes tts:write -n $((later + 1)) --json >"$data/keys.jsonl"
  mapfile -t keys < <(python3 -c 'import json, sys; [print(json.loads(l)["key"]) for l in sys.stdin]' <"$data/keys.jsonl")
  port=$(free_port)
  started=$(now)
  CALLWAITING_DATA_DIR="$data" CALLWAITING_Speech__Workers="$workers" "$cli" serve --urls "http://127.0.0.1:$port" >"$data/server.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || die "the server exited (see $data/server.log)"
    sleep 0.02
  done
  ready=$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
  first=$(ttfb "${keys[0]}" 0 "$port")
  : >"$tmp/later.txt"
  for ((i = 1; i <= later; i++)); do ttfb "${keys[$i]}" "$i" "$port" >>"$tmp/later.txt"; echo >>"$tmp/later.txt"; done
  stop_process "$pid"
  median_later=$(median <"$tmp/later.txt")
  echo "$r $ready $first $median_later $(logged_ms "$data/server.log" 'Warm-up done in') $(logged_ms "$data/server.log" 'Request path warm in')" >>"$tmp/rounds.txt"
  log "round $r: ready in ${ready} s, first ${first} s, later median ${median_later} s"
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cat <<EOF
## Start-up and the first request

Measured by \`scripts/bench-warm-start.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC: $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),
$(uname -sr), .NET $(dotnet --list-runtimes | awk '/NETCore.App/ { v = $2 } END { print v }'), Release build; load average $load_before before and $load_after after.
Embedded server (SQLite, no Redis), $workers engine workers, POST /v1/tts $format with $voice. Each round is a fresh server;
the baseline is the median of the $later requests after the first, in the same round (fresh key and text each).

| round | spawn to /ready | speech warm-up | request-path warm-up | first TTFB | later TTFB (median) | first / later |
|---|---|---|---|---|---|---|
EOF
awk '{ printf "| %s | %.2f s | %s | %s | %.0f ms | %.0f ms | %.2f |\n", $1, $2, ($5 == "" ? "-" : $5 " ms"), ($6 == "" ? "-" : $6 " ms"), $3 * 1000, $4 * 1000, $3 / $4 }' "$tmp/rounds.txt"
