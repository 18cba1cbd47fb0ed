#!/usr/bin/env bash
# A private PostgreSQL on loopback, in a data folder of our own.
#   postgres.sh start DIR PORT [DATABASE]   initdb if DIR is new, start, create DATABASE (default chat)
#   postgres.sh stop DIR                    fast shutdown
#   postgres.sh install                     apt-get install postgresql if no server binaries exist
# CHAT_PG_EXTRA adds server settings at start, e.g. to see where a benchmark's statements spend their time:
#   CHAT_PG_EXTRA="-c shared_preload_libraries=pg_stat_statements" scripts/bench.sh direct ...
set -euo pipefail

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$bin" ] && [ -x "$bin/pg_ctl" ] && echo "$bin"
}

install() {
  if [ -z "$(pg_bin)" ]; then
    echo "postgres.sh: installing PostgreSQL with apt" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    # Debian's package starts a cluster on 5432; we never use it.
    service postgresql stop >/dev/null 2>&1 || true
  fi
}

# initdb and the server refuse to run as root: run them as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local dir=$1 port=$2 db=${3:-chat}
  install
  local bin; bin=$(pg_bin)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    # The postgres user must be able to reach the folder through every parent.
    local parent=$dir
    while [ "$parent" != / ]; do parent=$(dirname "$parent"); chmod o+x "$parent" 2>/dev/null || true; done
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  fi
  if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=300 -c fsync=on ${CHAT_PG_EXTRA:-}" start >/dev/null
  fi
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" postgres | grep -q 1; then
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE \"$db\"" postgres
  fi
}

stop() {
  local dir=$1
  local bin; bin=$(pg_bin) || exit 0
  [ -f "$dir/postmaster.pid" ] || exit 0
  as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  install) install ;;
  *) echo "usage: $0 start DIR PORT [DATABASE] | stop DIR | install" >&2; exit 2 ;;
esac
