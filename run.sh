#!/usr/bin/env bash
# Starts Chat on this machine: a private PostgreSQL and an Azurite blob emulator (data kept in .data/), one silo
# and one web frontend (serving the web client at /) on loopback. Installs what is missing first. Ctrl-C (or SIGTERM) stops everything it started.
#   CHAT_HTTP_PORT  frontend port (default 5000)      CHAT_PG_PORT  PostgreSQL port (default 55432)
#   CHAT_BLOB_PORT  Azurite blob port (default 10000)
#   CHAT_SILO_PORT / CHAT_GATEWAY_PORT  Orleans ports (default 11111 / 30000)
#   CHAT_SILO_HTTP_PORT                 the silo's /metrics and /health/* (default 9464; the frontend serves its own)
#   CHAT_DATA_DIR  where PostgreSQL data, the signing key and logs live (default .data)
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
http_port=${CHAT_HTTP_PORT:-5000}
pg_port=${CHAT_PG_PORT:-55432}
blob_port=${CHAT_BLOB_PORT:-10000}
silo_port=${CHAT_SILO_PORT:-11111}
gateway_port=${CHAT_GATEWAY_PORT:-30000}
silo_http_port=${CHAT_SILO_HTTP_PORT:-9464}
data=${CHAT_DATA_DIR:-$root/.data}
mkdir -p "$data"

command -v dotnet >/dev/null || { echo "run.sh: the .NET SDK 10 is required (dotnet not on PATH)" >&2; exit 1; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }
scripts/postgres.sh install
scripts/azurite.sh install
scripts/webclient.sh build
echo "Building..."
dotnet build Chat.sln -c Release -v quiet -nologo >"$data/build.log" 2>&1 || { cat "$data/build.log"; exit 1; }

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # A graceful stop drains (up to Chat:Realtime:DrainTimeout); one still running 30 s later is killed.
  for _ in $(seq 1 30); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  scripts/postgres.sh stop "$data/postgres"
  scripts/azurite.sh stop "$data/azurite"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/postgres.sh start "$data/postgres" "$pg_port" chat
scripts/azurite.sh start "$data/azurite" "$blob_port"
[ -s "$data/signing-key" ] || head -c 48 /dev/urandom | base64 -w0 >"$data/signing-key"

export ConnectionStrings__Chat="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=chat"
# Azurite's well-known development account; production sets a real Azure connection string instead.
export ConnectionStrings__Blobs="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;"
export Chat__Silo__SiloPort=$silo_port Chat__Silo__GatewayPort=$gateway_port Chat__Silo__HttpPort=$silo_http_port
export Chat__Auth__SigningKey
Chat__Auth__SigningKey=$(cat "$data/signing-key")

bin=net10.0
dotnet src/Silo/bin/Release/$bin/Chat.Silo.dll --contentRoot "$root/src/Silo/bin/Release/$bin" >"$data/silo.log" 2>&1 &
pids+=($!)
ASPNETCORE_URLS="http://127.0.0.1:$http_port" dotnet src/WebFrontend/bin/Release/$bin/Chat.WebFrontend.dll \
  --contentRoot "$root/src/WebFrontend/bin/Release/$bin" >"$data/frontend.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$http_port/health/ready" >/dev/null 2>&1; then
    echo "Chat is ready at http://127.0.0.1:$http_port"
    echo "Logs: $data/silo.log, $data/frontend.log. Ctrl-C stops Chat."
    wait -n "${pids[@]}" || true
    echo "run.sh: a Chat process exited; see the logs above. Stopping." >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: a process died during start-up:" >&2; tail -n 30 "$data/silo.log" "$data/frontend.log" >&2; exit 1; }
  done
  sleep 1
done
echo "run.sh: Chat did not become ready within 120 s" >&2
tail -n 30 "$data/silo.log" "$data/frontend.log" >&2
exit 1
