# Shared set-up for the benchmark scripts (sourced, not run): logging, clean-up of everything they start, free ports,
# and private Redis and PostgreSQL instances on loopback. Callers set `bench_name` and `out` first.
# shellcheck shell=bash

pgbin=/usr/lib/postgresql/15/bin
cores=$(nproc)

log() { printf '[%s] %s\n' "$bench_name" "$*" >&2; }
die() { log "error: $*"; exit 1; }
trap 'log "error: line $LINENO: \"$BASH_COMMAND\" failed"' ERR

# Fails unless every named tool, PostgreSQL 15's server binaries and root (for runuser) are there.
require_tools() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
  [ -x "$pgbin/initdb" ] || die "PostgreSQL 15 server binaries are missing ($pgbin)"
  [ "$(id -u)" = 0 ] || die "run as root: PostgreSQL is started as the postgres OS user through runuser"
}

# --- Clean-up of everything started here, whatever way the script ends -------------------------------------------
tmp=$(mktemp -d "/tmp/cw-$bench_name.XXXXXX")
pgdir=""
pids=()
cleanup_hooks=() # functions run after the processes stopped (e.g. dropping a database)
# SIGTERM (the server drains and flushes metering), then SIGKILL if it is still there after 20 s.
stop_process() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do stop_process "$pid"; done
  for hook in "${cleanup_hooks[@]}"; do "$hook" >/dev/null 2>&1 || true; done
  if [ -n "$pgdir" ] && [ -f "$pgdir/data/postmaster.pid" ]; then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ -n "$pgdir" ] && rm -rf "$pgdir"
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A loopback port nothing listens on (nothing answers a connection to it).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

# Waits up to $2 seconds for URL $1 to answer 200.
wait_ok() {
  local deadline=$((SECONDS + $2))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ]; do
    [ $SECONDS -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_bad() { awk '/^  Non-2xx or 3xx responses:/ { n += $NF } /^  Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 } END { print n + 0 }' "$1"; }

# Starts a private Redis and PostgreSQL on free loopback ports and points the server's configuration at them, with a
# fresh bootstrap key (exported as CALLWAITING_BOOTSTRAP_KEY, and kept in $bootstrap_key).
start_data_stores() {
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >"$tmp/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 || die "redis-server did not start (see its log)"

  pg_port=$(free_port)
  pgdir=$(mktemp -d /tmp/cw-bench-pg.XXXXXX)
  chown postgres: "$pgdir"
  runuser -u postgres -- "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-p $pg_port -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null
  runuser -u postgres -- "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres callwaiting

  bootstrap_key="cw_live_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
  export CALLWAITING_DB="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=callwaiting"
  export CALLWAITING_REDIS="127.0.0.1:$redis_port"
  export CALLWAITING_DATA_DIR="$tmp/data"
  export CALLWAITING_BOOTSTRAP_KEY="$bootstrap_key"
}
