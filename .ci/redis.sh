#!/usr/bin/env bash
# Start a throw-away Redis server for the tests marked `redis` and print the URL to test against.
#
#   eval "$(bash .ci/redis.sh)"     # exports LIMIT_ASSISTANT_TEST_REDIS_URL
#   pytest -m redis                 # now runs instead of skipping
#   bash .ci/redis.sh --stop        # stop it again (optional)
#
# Uses `redis-server` from PATH. If there is none, installs Debian's `redis-server` package with
# apt-get when CI=true (as root or with sudo); elsewhere it says so and prints nothing, and the
# redis tests skip. The server listens on 127.0.0.1 only, on a free port, keeps nothing on disk
# (no RDB snapshots, no AOF) and lives in $LIMIT_ASSISTANT_REDIS_DIR (default
# /tmp/limit-assistant-redis). Stdout carries only the `export` line; progress goes to stderr.
set -euo pipefail

dir="${LIMIT_ASSISTANT_REDIS_DIR:-/tmp/limit-assistant-redis}"
pidfile="$dir/redis.pid"
log() { echo "redis.sh: $*" >&2; }

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi
  exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "${CI:-}" != "true" ]; then
    log "no redis-server on PATH: the tests marked 'redis' will skip (apt-get install redis-server)"
    exit 0
  fi
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  log "installing redis-server from Debian's packages"
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >&2
fi

mkdir -p "$dir"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  port="$(cat "$dir/port")"
  log "reusing the running server on 127.0.0.1:$port"
else
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  echo "$port" >"$dir/port"
  log "starting redis-server on 127.0.0.1:$port"
  redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --save "" --appendonly no \
    --dir "$dir" --daemonize yes --pidfile "$pidfile" --logfile "$dir/server.log" >&2
fi

# Ready when it answers PING (redis-server daemonizes before it accepts connections).
for _ in $(seq 1 50); do
  if python3 - "$port" <<'EOF' 2>/dev/null
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"PING\r\n")
    sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
EOF
  then
    echo "export LIMIT_ASSISTANT_TEST_REDIS_URL=redis://127.0.0.1:$port/0"
    exit 0
  fi
  sleep 0.2
done
log "redis-server did not answer on 127.0.0.1:$port; see $dir/server.log"
exit 1
