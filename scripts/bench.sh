#!/usr/bin/env bash
# The load measurements of BENCHMARKS.md: starts Chat with ./run.sh in a throwaway data folder on free-ish ports,
# runs one scenario of tools/Chat.LoadTest against it (arguments are passed through; --help lists them), and stops
# Chat again.
#   scripts/bench.sh direct --users 50 --rate 1000 --seconds 60 --out direct.json
#   scripts/bench.sh grains --seconds 15     (the grain-level test: no SignalR, its own in-process silo and PostgreSQL)
# The per-user limits are lifted (the load generator's users send far faster than people do), and password hashing
# is cheap: registering a thousand users is set-up here, not what is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=tools/Chat.LoadTest/bin/Release/net10.0/Chat.LoadTest.dll
if [ $# -eq 0 ] || [[ " $* " == *" --help "* ]]; then
  dotnet build tools/Chat.LoadTest -c Release -nologo -v quiet >/dev/null
  dotnet "$tool" --help
  echo
  echo "scripts/bench.sh grains [options]: the grain-level load test (tools/Chat.GrainBench, no SignalR; it starts its own PostgreSQL):"
  dotnet build tools/Chat.GrainBench -c Release -nologo -v quiet >/dev/null
  exec dotnet tools/Chat.GrainBench/bin/Release/net10.0/Chat.GrainBench.dll --help
fi
if [ "$1" = grains ]; then
  shift
  dotnet build tools/Chat.GrainBench -c Release -nologo -v quiet >/dev/null
  exec dotnet tools/Chat.GrainBench/bin/Release/net10.0/Chat.GrainBench.dll "$@"
fi
port=${CHAT_HTTP_PORT:-5099}
data=$(mktemp -d /tmp/chat-bench.XXXXXX)
log=$data/run.out
export Chat__RateLimits__SendsPerSecond=1000000 Chat__RateLimits__SendBurst=1000000
export Chat__RateLimits__RequestsPerSecond=1000000 Chat__RateLimits__RequestBurst=1000000
export Chat__RateLimits__AuthAttemptsPerMinute=60000000 Chat__RateLimits__AuthAttemptBurst=1000000 Chat__RateLimits__HashQueue=1000000
export Chat__Auth__PasswordHashIterations=${CHAT_BENCH_HASH_ITERATIONS:-1000}
CHAT_DATA_DIR=$data CHAT_HTTP_PORT=$port CHAT_PG_PORT=${CHAT_PG_PORT:-55499} \
  CHAT_SILO_PORT=${CHAT_SILO_PORT:-11199} CHAT_GATEWAY_PORT=${CHAT_GATEWAY_PORT:-30099} CHAT_BLOB_PORT=${CHAT_BLOB_PORT:-10099} CHAT_SILO_HTTP_PORT=${CHAT_SILO_HTTP_PORT:-9499} ./run.sh >"$log" 2>&1 &
run=$!
cleanup() { kill "$run" 2>/dev/null || true; wait "$run" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  grep -q "Chat is ready" "$log" && break
  kill -0 "$run" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
grep -q "Chat is ready" "$log" || { echo "Chat did not start"; cat "$log"; exit 1; }
dotnet build tools/Chat.LoadTest -c Release -nologo -v quiet >/dev/null
postmaster=$(head -1 "$data/postgres/postmaster.pid")
dotnet "$tool" --url "http://127.0.0.1:$port" --postgres-pid "$postmaster" "$@"
