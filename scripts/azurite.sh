#!/usr/bin/env bash
# A private Azurite blob emulator on loopback, with its data in a folder of our own.
#   azurite.sh start DIR PORT   start (data in DIR, pid in DIR/azurite.pid); returns once the port answers
#   azurite.sh stop DIR         stop the emulator started in DIR
#   azurite.sh install          install Node.js (apt) and the pinned azurite package (npm ci) if missing
# The account is Azurite's well-known development account:
#   DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;BlobEndpoint=http://127.0.0.1:PORT/devstoreaccount1;
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/node_modules/.bin/azurite-blob

install() {
  if ! command -v npm >/dev/null; then
    echo "azurite.sh: installing Node.js with apt" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq nodejs npm >&2
  fi
  if [ ! -x "$bin" ]; then
    echo "azurite.sh: npm ci" >&2
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

start() {
  local dir=$1 port=$2
  install
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/azurite.pid" ] && kill -0 "$(cat "$dir/azurite.pid")" 2>/dev/null; then return 0; fi
  # setsid: the emulator must not take our terminal's Ctrl-C before run.sh has stopped the processes using it.
  setsid "$bin" --blobHost 127.0.0.1 --blobPort "$port" --location "$dir" --skipApiVersionCheck --loose \
    --silent --disableTelemetry >"$dir/azurite.log" 2>&1 </dev/null &
  echo $! >"$dir/azurite.pid"
  # Up to 30 s: a first start after boot reads node and azurite from a cold disk cache (seen above 10 s).
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$(cat "$dir/azurite.pid")" 2>/dev/null || { cat "$dir/azurite.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "azurite.sh: the emulator did not open port $port" >&2
  exit 1
}

stop() {
  local dir=$1 pid
  [ -f "$dir/azurite.pid" ] || exit 0
  pid=$(cat "$dir/azurite.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/azurite.pid"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  install) install ;;
  *) echo "usage: $0 start DIR PORT | stop DIR | install" >&2; exit 2 ;;
esac
