# Shared set-up of scripts/topology-test.sh, soak.sh and faults.sh (sourced, after bench-common.sh): Debian's nginx
# with a self-signed certificate, rendered by scripts/nginx-loopback.sh, in front of server replicas on loopback that
# share one PostgreSQL and one Redis. Callers set `root` and `replicas` (how many) first.
# shellcheck shell=bash

nginx_bin=/usr/sbin/nginx
ngx="$tmp/nginx"
# nginx's workers (user nobody) keep larger request bodies under the prefix; they may pass through $tmp, not list it.
chmod 711 "$tmp"
# Texts carry the run's id: a shared Redis may hold a previous run's audio for the same tenant and text.
run_id="$$-$RANDOM"
https_port=$(free_port)
http_port=$(free_port)
base="https://localhost:$https_port"
replica_ports=()
replica_pids=()
nginx_pid=""

# Uses CALLWAITING_TEST_PG / CALLWAITING_TEST_REDIS when both are set (a fresh database there, dropped on exit) unless
# $1 is "private"; otherwise starts private ones (bench-common.sh). Exports the replicas' shared settings.
use_data_stores() {
  if [ "${1:-}" != private ] && [ -n "${CALLWAITING_TEST_PG:-}" ] && [ -n "${CALLWAITING_TEST_REDIS:-}" ]; then
    local field name value host="" port=5432 user=postgres password=""
    IFS=';' read -ra fields <<<"$CALLWAITING_TEST_PG"
    for field in "${fields[@]}"; do
      name="${field%%=*}" value="${field#*=}"
      case "${name,,}" in host) host=$value ;; port) port=$value ;; username) user=$value ;; password) password=$value ;; esac
    done
    topology_db="cw_topology_$$_$RANDOM"
    pg_admin=(env PGPASSWORD="$password" psql -q -X -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$user" -d postgres)
    "${pg_admin[@]}" -c "CREATE DATABASE $topology_db" || die "could not create database $topology_db"
    cleanup_hooks+=(drop_topology_db)
    export CALLWAITING_DB="Host=$host;Port=$port;Username=$user;Password=$password;Database=$topology_db"
    export CALLWAITING_REDIS="$CALLWAITING_TEST_REDIS"
    bootstrap_key="cw_live_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
    export CALLWAITING_BOOTSTRAP_KEY="$bootstrap_key"
    export CALLWAITING_DATA_DIR="$tmp/data"
    stores="PostgreSQL and Redis from CALLWAITING_TEST_PG / CALLWAITING_TEST_REDIS (database $topology_db)"
  else
    start_data_stores
    stores="private PostgreSQL 15 (port $pg_port) and Redis (port $redis_port)"
  fi
  # One signing secret for all replicas, so a WebSocket token from one is good on another; nginx is the trusted proxy.
  export CALLWAITING_Realtime__SigningSecret
  CALLWAITING_Realtime__SigningSecret=$(head -c 48 /dev/urandom | base64 -w0)
  export CALLWAITING_Api__TrustedProxies__0=127.0.0.1
  # All load comes from 127.0.0.1, shared with anything else using the same Redis: only the per-key limits are under test.
  export CALLWAITING_RateLimits__PerIpPerMinute=1000000000 CALLWAITING_RateLimits__FailedAuthPerIpPerMinute=1000000000
  export CALLWAITING_Speech__Workers="${CALLWAITING_Speech__Workers:-1}"
  "$root/callwaiting" migrate >"$tmp/migrate.log" 2>&1 || { cat "$tmp/migrate.log" >&2; die "migrate failed"; }
}

drop_topology_db() { "${pg_admin[@]}" -c "DROP DATABASE IF EXISTS $topology_db WITH (FORCE)"; }

# Starts replicas $@ (0-based) on their ports (new ones the first time); await_replicas waits for their /ready.
launch_replicas() {
  local i
  for i in "$@"; do
    [ -n "${replica_ports[i]:-}" ] || replica_ports[i]=$(free_port)
    CALLWAITING_DATA_DIR="$tmp/data-$i" "$root/callwaiting" serve --urls "http://127.0.0.1:${replica_ports[i]}" >>"$tmp/replica-$i.log" 2>&1 &
    replica_pids[i]=$!
    pids+=("$!")
  done
}
await_replicas() {
  local i
  for i in "$@"; do
    wait_ok "http://127.0.0.1:${replica_ports[i]}/ready" 120 || { tail -n 30 "$tmp/replica-$i.log" >&2; die "replica $i not ready in 120 s"; }
  done
}
start_replicas() { launch_replicas "$@"; await_replicas "$@"; }

# SIGTERM to replica $1, then waits (up to 60 s) for it to drain and exit; prints the seconds it took.
stop_replica() {
  local pid=${replica_pids[$1]} start=$EPOCHREALTIME
  kill -TERM "$pid"
  for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && die "replica $1 did not exit within 60 s of SIGTERM"
  wait "$pid" 2>/dev/null || true
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", b - a }'
}

# The self-signed certificate (for localhost and 127.0.0.1) and nginx in the foreground of a background job.
start_nginx() {
  mkdir -p "$ngx/certs" "$ngx/www"
  openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -days 1 -keyout "$ngx/certs/privkey.pem" -out "$ngx/certs/fullchain.pem" 2>/dev/null || die "openssl could not make a certificate"
  "$root/scripts/nginx-loopback.sh" "$ngx" "$http_port" "$https_port" "${replica_ports[@]/#/127.0.0.1:}" >"$ngx/nginx.conf"
  "$nginx_bin" -t -q -p "$ngx/" -e stderr -c "$ngx/nginx.conf" || die "nginx -t refused the rendered configuration"
  "$nginx_bin" -p "$ngx/" -e stderr -c "$ngx/nginx.conf" -g 'daemon off;' >"$tmp/nginx-access.log" 2>"$tmp/nginx-error.log" &
  nginx_pid=$!
  pids+=("$nginx_pid")
  for _ in $(seq 100); do [ "$(tls_curl -o /dev/null -w '%{http_code}' "$base/ready")" = 200 ] && return; sleep 0.1; done
  cat "$tmp/nginx-error.log" >&2
  die "nginx did not answer /ready over TLS"
}

# curl over TLS to nginx, trusting only the test certificate.
tls_curl() { curl -s --cacert "$ngx/certs/fullchain.pem" "$@"; }

# New keys of the default tenant (one CLI start for all): $1 name, $2 per-minute limit, $3 how many (1); prints one a line.
create_key() {
  local json
  json=$("$root/callwaiting" keys create --name "$1" --scopes tts:write,voices:read,usage:read \
    --rate-limit-per-min "$2" --rate-limit-per-day 1000000000 --count "${3:-1}" --json) || die "keys create failed"
  sed -n 's/.*"key":"\([^"]*\)".*/\1/p' <<<"$json"
}

# Today's "requests characters" of key $1 from GET /v1/usage through nginx.
usage_of() {
  tls_curl -H "x-api-key: $1" "$base/v1/usage?days=1" |
    python3 -c 'import json, sys; rows = json.load(sys.stdin); print(sum(r["requests"] for r in rows), sum(r["characters"] for r in rows))'
}

# Polls key $1's usage until its characters reach $2 (metering is written in batches), for up to $3 seconds;
# prints the last "requests characters".
await_usage() {
  local deadline=$((SECONDS + $3)) seen
  while :; do
    seen=$(usage_of "$1")
    [ "${seen#* }" -ge "$2" ] 2>/dev/null && break
    [ $SECONDS -lt "$deadline" ] || break
    sleep 0.5
  done
  echo "$seen"
}

# Sum of a counter over all label sets, from replica $1's /metrics (loopback is allowed).
replica_counter() {
  curl -s "http://127.0.0.1:${replica_ports[$1]}/metrics" | awk -v m="$2" 'index($0, m "{") == 1 { n += $NF } END { printf "%d\n", n }'
}

# One JSON body for POST /v1/tts: $1 text, $2 format, $3 stream (true|false).
tts_body() { python3 -c 'import json, sys; print(json.dumps({"text": sys.argv[1], "voice_id": "emily-en-us", "format": sys.argv[2], "stream": sys.argv[3] == "true"}))' "$@"; }
