#!/usr/bin/env bash
# Faults under load, through the topology of scripts/topology-test.sh (nginx with TLS in front of two replicas, private
# PostgreSQL and Redis, which this script stops and starts). During each fault scripts/load-mix.mjs sends mixed cached and
# uncached requests through nginx at a fixed rate, with its own key. Each fault is asserted: no answer but 200 for that
# load (after a kill -9, requests whose answer was under way in the killed process are cut, and counted apart), and
# GET /v1/usage counts exactly the characters of its answered requests (after kill -9 of a replica: at most those
# answered in the 5 s before the kill, which that replica may not have written yet; the loss is reported). Recovery times are measured.
#   worker    kill -9 of replica 0's engine worker while it streams a long answer (straight to it, to pick the worker)
#   replica   kill -9 of replica 1 while it streams a long answer; then started again
#   redis     Redis stopped for the outage, then started
#   postgres  PostgreSQL stopped (fast) for the outage, then started
#   disk      replica 0's data folder (a tmpfs, with the disk cache tier on) filled to the last byte, then freed
#   slow      a client reading a long stream at 32 KB/s
#   drain     SIGTERM to replica 1 while it streams a long answer: the answer completes, then the replica is started again
# Prints a Markdown section for docs/BENCHMARKS.md on standard output; progress on standard error; non-zero on failure.
# Usage: scripts/faults.sh [--load-seconds S (20)] [--outage S (5)] [--rate R (3)] [--cached-share 0..1 (0.75)] [FAULT...]
#        (default: all faults, in the order above; the load is kept below what one replica alone can answer on a small
#        machine, so that a replica down shows lost requests rather than a full engine queue's 503s)
set -Eeuo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
load_seconds=20 outage=5 rate=3 cached_share=0.75 faults=()
while [ $# -gt 0 ]; do
  case "$1" in
    --load-seconds) load_seconds=$2; shift 2 ;;
    --outage) outage=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --cached-share) cached_share=$2; shift 2 ;;
    worker|replica|redis|postgres|disk|slow|drain) faults+=("$1"); shift ;;
    *) echo "usage: $0 [--load-seconds S] [--outage S] [--rate R] [--cached-share X] [worker|replica|redis|postgres|disk|slow|drain]..." >&2; exit 2 ;;
  esac
done
[ ${#faults[@]} -gt 0 ] || faults=(worker replica redis postgres disk slow drain)
bench_name=faults
# shellcheck source=bench-common.sh
source "$root/scripts/bench-common.sh"
# shellcheck source=topology-common.sh
source "$root/scripts/topology-common.sh"
"$root/scripts/ensure-deps.sh" test
require_tools "$nginx_bin" openssl curl node python3 redis-server redis-cli runuser psql mount
failures=0
ms_now() { date +%s%3N; }
seconds_since() { awk -v a="$1" -v b="$(ms_now)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

use_data_stores private
# Replica 0's data folder is a small tmpfs, and the disk cache tier is on, so that folder is written on every miss.
mkdir -p "$tmp/data-0"
mount -t tmpfs -o size=8m tmpfs "$tmp/data-0" || die "could not mount a tmpfs (root needed)"
umount_data() { umount -l "$tmp/data-0"; }
cleanup_hooks+=(umount_data)
export CALLWAITING_Cache__DiskMaxBytes=$((4 * 1024 * 1024))
"$root/callwaiting" --help >/dev/null
launch_replicas 0 1
mapfile -t keys < <(create_key faults 1000000000 $(( ${#faults[@]} + 1 )))
victim_key=${keys[-1]}
await_replicas 0 1
start_nginx
export NODE_EXTRA_CA_CERTS="$ngx/certs/fullchain.pem"
log "nginx on $base, replicas on ${replica_ports[*]}; $stores"
long_text="Thank you for calling the Acme Dental office. Our hours are Monday to Friday, eight in the morning to six in the evening. \
If you would like to book, change or cancel an appointment, please stay on the line and the next available member of our team \
will be with you shortly. For billing questions, please have your statement ready. Thank you for your patience."

# The background load of one fault: starts now, runs for --load-seconds; load_end waits for it and checks it.
load_begin() { # $1 fault name, $2 key
  node --no-warnings "$root/scripts/load-mix.mjs" "$base/v1/tts" "$2" open "$rate" "$load_seconds" "$cached_share" "$1-$run_id" \
    >"$tmp/load-$1.txt" 2>"$tmp/load-$1.err" &
  load_pid=$!
  pids+=("$load_pid")
  # The fault comes 3 s into the load, after the generator's warm-up (whose requests must not meet the fault).
  for _ in $(seq 600); do grep -q "warmed up" "$tmp/load-$1.err" && break; sleep 0.1; done
  grep -q "warmed up" "$tmp/load-$1.err" || die "$1: the load generator did not warm up in 60 s"
  sleep 3
}
# A long streamed answer straight from replica $1 in the background: "status curl-exit bytes" into $tmp/victim-$2.txt.
victim_begin() {
  tts_body "$long_text Victim $2 of run $run_id." pcm16 true >"$tmp/victim-$2.json"
  (
    r=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -H "x-api-key: $victim_key" -H 'Content-Type: application/json' \
      --data-binary "@$tmp/victim-$2.json" "http://127.0.0.1:${replica_ports[$1]}/v1/tts") && rc=0 || rc=$?
    echo "${r% *} $rc ${r#* }"
  ) >"$tmp/victim-$2.txt" &
  victim_pid=$!
  sleep 0.4 # mid-stream: the first audio has gone out, the rest is being synthesized
}
# Waits for the victim stream (in this shell: a subshell cannot wait for it) and sets $victim to its outcome.
victim_end() { wait "$victim_pid" || true; read -r code rc bytes <"$tmp/victim-$1.txt"; victim="$code (curl exit $rc, $bytes bytes)"; }
# Polls until replica $1 synthesizes a new text straight (a miss), for up to 60 s; prints the seconds since $2 (Unix ms).
await_synthesis() {
  local n=0
  while [ $n -lt 300 ]; do
    n=$((n + 1))
    tts_body "Are you back, number $n, run $run_id-$RANDOM?" mp3 false >"$tmp/probe.json"
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "x-api-key: $victim_key" -H 'Content-Type: application/json' \
      --data-binary "@$tmp/probe.json" "http://127.0.0.1:${replica_ports[$1]}/v1/tts")" = 200 ] && { seconds_since "$2"; return; }
    sleep 0.2
  done
  echo "never"
}
# Polls every replica's /health until component $1 is true on all, for up to 60 s; prints the seconds since $2.
await_component() {
  local deadline=$((SECONDS + 60)) i ok
  while [ $SECONDS -lt $deadline ]; do
    ok=1
    for i in "${!replica_ports[@]}"; do
      curl -s "http://127.0.0.1:${replica_ports[i]}/health" | python3 -c "import json, sys; sys.exit(0 if json.load(sys.stdin)['components']['$1'] else 1)" || ok=0
    done
    [ $ok = 1 ] && { seconds_since "$2"; return; }
    sleep 0.2
  done
  echo "never"
}
results=()
# Waits for the fault's load and checks it: $1 fault, $2 key, $3 what happened, $4 recovery, $5 characters the usage may
# lack, $6 the kill's time (Unix ms): a request whose answer was under way in the killed process then is cut, and cannot
# be passed on once its first bytes went out; such requests (started before the kill, ended after) are counted apart.
load_end() {
  wait "$load_pid" || die "$1: the load generator failed"
  local answered bad cut chars warm metered allowed=${5:-0} kill=${6:-0} verdict=ok note=""
  answered=$(awk '$3 == 200' "$tmp/load-$1.txt" | wc -l)
  cut=$(awk -v k="$kill" '$3 != 200 && $1 <= k && $1 + $4 >= k' "$tmp/load-$1.txt" | wc -l)
  bad=$(( $(awk '$3 != 200' "$tmp/load-$1.txt" | wc -l) - cut ))
  chars=$(awk '$3 == 200 { n += $5 } END { print n + 0 }' "$tmp/load-$1.txt")
  warm=$(python3 -c 'import re, sys; print(sum(len(m) for m in re.findall(r"^  \"(.*)\",$", open(sys.argv[1]).read(), re.M)))' "$root/scripts/load-mix.mjs")
  read -r _ metered < <(await_usage "$2" $((chars + warm)) 30)
  [ "$bad" = 0 ] || verdict="**FAILED**: $bad not 200 ($(awk '$3 != 200 { print $3 }' "$tmp/load-$1.txt" | sort | uniq -c | xargs))"
  if [ "$metered" -gt $((chars + warm)) ] || [ "$metered" -lt $((chars + warm - allowed)) ]; then
    [ "$verdict" = ok ] && verdict="**FAILED**: " || verdict+="; "
    verdict+="usage $metered characters, answered $((chars + warm))"
  fi
  [ "$verdict" = ok ] || failures=$((failures + 1))
  [ "$cut" = 0 ] || note+=" ($cut in flight at the kill cut)"
  [ "$metered" -ge $((chars + warm)) ] || note+=" ($((chars + warm - metered)) characters of the killed replica's last batch lost; bound $allowed)"
  log "$1: $answered answered, $bad not 200, usage $metered of $((chars + warm)) characters; $3; recovery $4 s: $verdict$note"
  results+=("| $1 | $answered | $bad | $metered / $((chars + warm)) | $3 | $4 | $verdict$note |")
}

fault_index=0
for fault in "${faults[@]}"; do
  key=${keys[fault_index]}
  fault_index=$((fault_index + 1))
  load_begin "$fault" "$key"
  case "$fault" in
    worker)
      victim_begin 0 worker
      at=$(ms_now)
      kill -KILL $(cat /proc/"${replica_pids[0]}"/task/*/children)
      recovery=$(await_synthesis 0 "$at")
      victim_end worker
      load_end worker "$key" "victim stream $victim" "$recovery" 0 "$at" ;;
    replica)
      victim_begin 1 replica
      at=$(ms_now)
      kill -KILL "${replica_pids[1]}"
      wait "${replica_pids[1]}" 2>/dev/null || true
      victim_end replica
      start_replicas 1
      recovery=$(await_synthesis 1 "$at")
      # Answered in the 5 s before the kill: a bound on what the killed replica can have left unwritten (it writes a
      # batch 250 ms after its first item; on a loaded machine the write itself takes longer).
      unwritten=$(awk -v t="$at" '$3 == 200 && $1 + $4 >= t - 5000 && $1 + $4 <= t { n += $5 } END { print n + 0 }' "$tmp/load-replica.txt")
      load_end replica "$key" "victim stream $victim; started again" "$recovery" "$unwritten" "$at" ;;
    redis)
      redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
      sleep "$outage"
      at=$(ms_now)
      redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >>"$tmp/redis.log" 2>&1 &
      pids+=("$!")
      recovery=$(await_component redis "$at")
      load_end redis "$key" "down ${outage} s" "$recovery" ;;
    postgres)
      runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null
      sleep "$outage"
      at=$(ms_now)
      runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
        -o "-p $pg_port -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null
      recovery=$(await_component database "$at")
      load_end postgres "$key" "down ${outage} s" "$recovery" ;;
    disk)
      dd if=/dev/zero of="$tmp/data-0/filler" bs=64k 2>/dev/null || true # until the device is full
      free=$(df --output=avail -B1 "$tmp/data-0" | tail -n1 | tr -d " ")
      sleep "$outage"
      rm -f "$tmp/data-0/filler"
      at=$(ms_now)
      recovery=$(await_synthesis 0 "$at")
      load_end disk "$key" "full (${free} bytes free) for ${outage} s" "$recovery" ;;
    slow)
      tts_body "$long_text Slow reader of run $run_id." pcm16 true >"$tmp/slow.json"
      at=$(ms_now)
      slow=$(curl -s --cacert "$ngx/certs/fullchain.pem" --limit-rate 32k -o /dev/null -w '%{http_code} %{size_download}' \
        -H "x-api-key: $victim_key" -H 'Content-Type: application/json' --data-binary "@$tmp/slow.json" "$base/v1/tts") || slow="curl-failed $?"
      load_end slow "$key" "slow reader: ${slow% *} after $(seconds_since "$at") s, ${slow#* } bytes" "-"
      [ "${slow% *}" = 200 ] || { failures=$((failures + 1)); log "slow: the slow reader got ${slow}"; } ;;
    drain)
      victim_begin 1 drain
      at=$(ms_now)
      drained=$(stop_replica 1)
      victim_end drain
      start_replicas 1
      recovery=$(seconds_since "$at")
      load_end drain "$key" "victim stream $victim, drained in ${drained} s" "$recovery"
      [ "${victim%% *}" = 200 ] && [ "$(cut -d' ' -f2 "$tmp/victim-drain.txt")" = 0 ] ||
        { failures=$((failures + 1)); log "drain: the stream in flight did not complete: $victim"; } ;;
  esac
done

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
cat <<EOF
## Faults under load

Measured by \`scripts/faults.sh --load-seconds $load_seconds --outage $outage --rate $rate --cached-share $cached_share\` on $(date -u '+%Y-%m-%d %H:%M UTC'): $cores cores
($cpu_model), $(uname -sr); nginx with TLS in front of 2 replicas (one engine worker each), $stores.
Load average $(cut -d' ' -f1-3 /proc/loadavg) at the end: the machine is shared with other builds.
Per fault, $rate requests a second (a share of $cached_share cached prompts, the rest new short texts, mp3) through nginx
for $load_seconds s after the generator's warm-up, the fault 3 s in. Recovery: worker, replica, disk: from the kill (or the freed disk) until the replica synthesizes a new
text again; redis, postgres: from the start until every replica's /health says the component is up; drain: from the
SIGTERM until the replica is ready again. Victim streams go straight to the replica at fault (pcm16, ${#long_text}+ characters).

| fault | answered | not 200 | usage / answered characters | what happened | recovery (s) | verdict |
|---|---|---|---|---|---|---|
$(printf '%s\n' "${results[@]}")
EOF
[ "$failures" = 0 ] || die "$failures fault check(s) failed"
log "faults passed: ${faults[*]}"
