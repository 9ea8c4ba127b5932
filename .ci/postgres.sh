#!/usr/bin/env bash
# Start a throw-away PostgreSQL for the store tests and print the URL to test against.
#
#   eval "$(.ci/postgres.sh)"      # or: source .ci/postgres.sh
#   pytest tests/store              # now also runs the tests marked `postgres`
#   .ci/postgres.sh --stop          # stop it again (optional)
#
# Installs Debian's `postgresql` package with apt-get if no server binaries are found, creates a
# cluster in $LIMIT_ASSISTANT_PG_DIR (default /tmp/limit-assistant-pg), owned by the `postgres`
# user when run as root (initdb refuses root), and starts it on 127.0.0.1 on a free port with
# trust authentication (loopback only, test data only, fsync off for speed). Idempotent: a
# running cluster is reused, a stopped one restarted. Stdout carries only the `export` line;
# progress goes to stderr.

_la_pg_main() {
  set -euo pipefail
  local dir="${LIMIT_ASSISTANT_PG_DIR:-/tmp/limit-assistant-pg}"
  local db="${LIMIT_ASSISTANT_PG_DB:-limit_assistant_test}"
  local data="$dir/data" run="$dir/run" log="$dir/server.log"
  local owner bindir port

  log() { echo "postgres.sh: $*" >&2; }

  find_bindir() {
    local candidate
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
      pg_config --bindir
      return 0
    fi
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
      [ -x "$candidate/initdb" ] && { echo "$candidate"; return 0; }
    done
    return 1
  }

  if ! bindir="$(find_bindir)"; then
    if [ "$(id -u)" -ne 0 ]; then
      log "no PostgreSQL server found and not root: install the 'postgresql' package first"
      return 1
    fi
    log "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    bindir="$(find_bindir)"
  fi

  if [ "$(id -u)" -eq 0 ]; then owner=postgres; else owner="$(id -un)"; fi
  as_owner() {
    if [ "$(id -un)" = "$owner" ]; then "$@"
    elif command -v runuser >/dev/null 2>&1; then runuser -u "$owner" -- "$@"
    else su "$owner" -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  }

  if [ "${1:-}" = "--stop" ]; then
    if [ -f "$data/PG_VERSION" ]; then as_owner "$bindir/pg_ctl" -D "$data" -m fast stop >&2 || true; fi
    return 0
  fi

  mkdir -p "$dir"
  [ "$owner" = "$(id -un)" ] || chown "$owner" "$dir"
  chmod 700 "$dir"
  as_owner mkdir -p "$run"

  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising a cluster in $data"
    as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust --no-sync \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null 2>"$dir/initdb.log" \
      || as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust --no-sync \
           --encoding=UTF8 --locale=C >/dev/null
  fi

  free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  }

  if as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    port="$(cat "$dir/port")"
    log "reusing the running cluster on 127.0.0.1:$port"
  else
    port="$(cat "$dir/port" 2>/dev/null || true)"
    local attempt
    for attempt in 1 2 3; do
      if [ -z "$port" ] || ! python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', $port))" 2>/dev/null; then
        port="$(free_port)"
      fi
      echo "$port" >"$dir/port"
      log "starting PostgreSQL on 127.0.0.1:$port"
      if as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 30 \
           -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$run -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
           start >/dev/null; then
        break
      fi
      log "start failed (attempt $attempt); see $log"
      port=""
      [ "$attempt" -lt 3 ] || return 1
    done
  fi

  local psql=("$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -X -q -t -A)
  if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
    log "creating database $db"
    "${psql[@]}" -d postgres -c "CREATE DATABASE $db" >/dev/null
  fi

  LIMIT_ASSISTANT_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/$db"
  export LIMIT_ASSISTANT_TEST_PG_URL
  echo "export LIMIT_ASSISTANT_TEST_PG_URL=$LIMIT_ASSISTANT_TEST_PG_URL"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: run in a subshell-safe way so `set -e` and failures do not kill the caller's shell.
  _la_pg_out="$( (_la_pg_main "$@") )" && eval "$_la_pg_out"
  unset _la_pg_out
  unset -f _la_pg_main
else
  _la_pg_main "$@"
fi
