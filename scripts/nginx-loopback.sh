#!/usr/bin/env bash
# Renders deploy/nginx/nginx.conf for loopback on standard output: files under PREFIX (certs/fullchain.pem and
# certs/privkey.pem, the pid, temporary folders), listeners on 127.0.0.1 and ::1, and one upstream server per argument.
# The Deploy tests (`nginx -t`) and scripts/topology-test.sh, soak.sh and faults.sh all run this one rendering.
# Usage: scripts/nginx-loopback.sh PREFIX HTTP_PORT HTTPS_PORT UPSTREAM...   (UPSTREAM: 127.0.0.1:PORT)
# The IPv6 listeners are left out where the machine has no IPv6 loopback (some containers), since nginx could not bind them.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 PREFIX HTTP_PORT HTTPS_PORT UPSTREAM..." >&2; exit 2; }
prefix="$1" http_port="$2" https_port="$3"
shift 3
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

ipv6=0
grep -qs ' lo$' /proc/net/if_inet6 && ipv6=1
awk -v prefix="$prefix" -v http="$http_port" -v https="$https_port" -v upstreams="$*" -v ipv6="$ipv6" '
  BEGIN { n = split(upstreams, servers, " ") }
  /listen \[::\]/ && !ipv6 { next }
  {
    gsub("/etc/nginx/certs/", prefix "/certs/")
    gsub("/var/www/certbot", prefix "/www")
    sub("pid /tmp/nginx.pid;", "pid " prefix "/nginx.pid;")
    sub("listen 80;", "listen 127.0.0.1:" http ";")
    sub("listen \\[::\\]:80;", "listen [::1]:" http ";")
    sub("listen 443 ", "listen 127.0.0.1:" https " ")
    sub("listen \\[::\\]:443 ", "listen [::1]:" https " ")
  }
  # The compose service name stands for every replica: one line per loopback replica, same parameters.
  /server api:8004/ {
    for (i = 1; i <= n; i++) {
      line = $0
      sub("api:8004", servers[i], line)
      print line
    }
    next
  }
  # Temporary files inside the prefix: the defaults under /var/lib/nginx need Debian'"'"'s nginx user and folders.
  /^http \{/ {
    print
    n_kinds = split("client_body proxy fastcgi uwsgi scgi", kinds, " ")
    for (i = 1; i <= n_kinds; i++) printf "    %s_temp_path %s/%s;\n", kinds[i], prefix, kinds[i]
    next
  }
  { print }
' "$root/deploy/nginx/nginx.conf"
