#!/usr/bin/env bash
# Installs the Debian packages CallWaiting needs when they are missing.
# Usage: scripts/ensure-deps.sh [runtime|test]   (test adds sox and the reference CLIs used by tests/benchmarks)
# Either mode includes Node.js and npm: the server's build fetches its browser files (Chart.js) with npm.
set -euo pipefail
mode="${1:-runtime}"

# package:probe pairs; the probe is a shared library soname or a command.
runtime=(
  "libflite1:libflite.so.1" "libespeak-ng1:libespeak-ng.so.1" "espeak-ng-data:/usr/lib/x86_64-linux-gnu/espeak-ng-data/phontab"
  "libmp3lame0:libmp3lame.so.0" "libsoxr0:libsoxr.so.0" "libopus0:libopus.so.0" "libflac12:libFLAC.so.12"
  "libsonic0:libsonic.so.0" "libicu72:libicuuc.so.72"
)
test_only=("sox:sox" "libsox-fmt-all:/usr/lib/x86_64-linux-gnu/sox/libsox_fmt_mp3.so" "flite:flite" "espeak-ng:espeak-ng"
  "opus-tools:opusinfo" "flac:flac" "lame:lame" "chromium:chromium" "hey:hey" "nginx:/usr/sbin/nginx"
  "openssl:openssl")

# The build's own tools: the server's csproj runs `npm ci` in src/CallWaiting.Server/Web (./callwaiting builds).
build=("nodejs:node" "npm:npm")

want=("${runtime[@]}" "${build[@]}")
[ "$mode" = test ] && want+=("${test_only[@]}")

missing=()
for pair in "${want[@]}"; do
  pkg="${pair%%:*}"; probe="${pair#*:}"
  case "$probe" in
    /*) [ -e "$probe" ] && continue ;;
    # The library directory first: ldconfig's cache can be mid-rebuild while another apt run finishes.
    *.so*) compgen -G "/usr/lib/*-linux-gnu/$probe" >/dev/null && continue
           ldconfig -p 2>/dev/null | grep -qF "$probe (" && continue ;;
    *) command -v "$probe" >/dev/null 2>&1 && continue ;;
  esac
  missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing Debian packages: ${missing[*]}" >&2
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
