#!/usr/bin/env bash
# Chat in cluster mode on this machine: a private PostgreSQL and Azurite, several silos (ADO.NET clustering in
# PostgreSQL) and several frontends, all on loopback. The state (pids, ports, logs, data) lives in one folder.
#   cluster.sh start SILOS FRONTENDS     start everything; prints "frontend N http://127.0.0.1:PORT" per frontend,
#                                        "silo N PID" per silo, then "cluster ready", and returns (all keep running)
#   cluster.sh kill silo|frontend N      SIGKILL (a crash)
#   cluster.sh stop silo|frontend N      SIGSTOP (a hang)      cluster.sh cont silo|frontend N   SIGCONT
#   cluster.sh restart silo|frontend N   stop it (SIGTERM, SIGKILL after 10 s) and start it again on its ports
#   cluster.sh pg stop|start             stop or start PostgreSQL
#   cluster.sh down                      stop everything and delete the folder
# CHAT_CLUSTER_DIR is the folder (default $TMPDIR/chat-cluster). Settings pass through as Chat__... environment
# variables at start (for example Chat__RateLimits__SendsPerSecond=100000) and are kept for restarts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${CHAT_CLUSTER_DIR:-${TMPDIR:-/tmp}/chat-cluster}
bin=$root/src
build=Release/net10.0

die() { echo "cluster.sh: $*" >&2; exit 1; }

# Ports below the kernel's ephemeral range (32768-60999), which outgoing connections draw their source ports from,
# counted up from a random start kept in the folder, each checked free.
free_port() {
  python3 - "$dir/next-port" <<'PY'
import os, random, socket, sys
path = sys.argv[1]
port = int(open(path).read()) if os.path.exists(path) else random.randint(20000, 30000)
while True:
    port = 20000 if port >= 32000 else port + 1
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        break
    except OSError:
        pass
    finally:
        s.close()
open(path, "w").write(str(port))
print(port)
PY
}

# The settings every process of this cluster shares, and those given at start.
write_env() {
  local pg=$1 blob=$2
  {
    echo "export ConnectionStrings__Chat='Host=127.0.0.1;Port=$pg;Username=postgres;Database=chat'"
    echo "export ConnectionStrings__Blobs='DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;'"
    echo "export Chat__Silo__Clustering=AdoNet Chat__Silo__ClusterId=cluster Chat__Silo__ServiceId=cluster"
    echo "export Chat__Auth__SigningKey='$(head -c 48 /dev/urandom | base64 -w0)'"
    echo "export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production"
    echo "export PG_PORT=$pg BLOB_PORT=$blob"
    env | grep -E '^Chat__' | grep -v '^Chat__Silo__SiloPort=\|^Chat__Silo__GatewayPort=' | sed -E "s/^([^=]+)=(.*)$/export \1='\2'/" || true
  } >"$dir/env"
}

load_env() { [ -f "$dir/env" ] || die "no cluster in $dir (run: cluster.sh start SILOS FRONTENDS)"; source "$dir/env"; }

pid_of() { cat "$dir/$1.$2.pid" 2>/dev/null || die "no $1 $2 in $dir"; }

start_silo() {
  local n=$1 ports
  [ -f "$dir/silo.$n.ports" ] || echo "$(free_port) $(free_port)" >"$dir/silo.$n.ports"
  read -r silo_port gateway_port <"$dir/silo.$n.ports"
  Chat__Silo__SiloPort=$silo_port Chat__Silo__GatewayPort=$gateway_port Chat__NodeName="silo-$n" \
    setsid nohup dotnet "$bin/Silo/bin/$build/Chat.Silo.dll" --contentRoot "$bin/Silo/bin/$build" \
    >>"$dir/silo.$n.log" 2>&1 </dev/null &
  echo $! >"$dir/silo.$n.pid"
}

start_frontend() {
  local n=$1
  [ -f "$dir/frontend.$n.port" ] || free_port >"$dir/frontend.$n.port"
  ASPNETCORE_URLS="http://127.0.0.1:$(cat "$dir/frontend.$n.port")" Chat__NodeName="frontend-$n" \
    setsid nohup dotnet "$bin/WebFrontend/bin/$build/Chat.WebFrontend.dll" --contentRoot "$bin/WebFrontend/bin/$build" \
    >>"$dir/frontend.$n.log" 2>&1 </dev/null &
  echo $! >"$dir/frontend.$n.pid"
}

# A silo is ready once its membership row is Active (status 3); a frontend once /health/ready answers 200.
silo_ready() {
  local silo_port; silo_port=$(cut -d' ' -f1 "$dir/silo.$1.ports")
  [ "$("$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d chat -tAc \
    "SELECT count(*) FROM orleansmembershiptable WHERE port = $silo_port AND status = 3" 2>/dev/null)" = 1 ]
}
frontend_ready() {
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "http://127.0.0.1:$(cat "$dir/frontend.$1.port")/health/ready" >/dev/null 2>&1
}
pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

wait_ready() {
  local kind=$1 n=$2
  for _ in $(seq 1 240); do
    "${kind}_ready" "$n" && return 0
    kill -0 "$(pid_of "$kind" "$n")" 2>/dev/null || { tail -n 30 "$dir/$kind.$n.log" >&2; die "$kind $n died while starting"; }
    sleep 0.5
  done
  tail -n 30 "$dir/$kind.$n.log" >&2
  die "$kind $n was not ready within 120 s"
}

stop_process() {
  local pid=$1
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cmd_start() {
  local silos=${1:?SILOS} frontends=${2:?FRONTENDS}
  [ -f "$dir/env" ] && die "a cluster already runs in $dir (cluster.sh down first)"
  mkdir -p "$dir"
  "$root/scripts/postgres.sh" install
  "$root/scripts/azurite.sh" install
  if [ ! -f "$bin/Silo/bin/$build/Chat.Silo.dll" ] || [ ! -f "$bin/WebFrontend/bin/$build/Chat.WebFrontend.dll" ]; then
    dotnet build "$root/Chat.sln" -c Release -nologo -v quiet >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; die "build failed"; }
  fi
  write_env "$(free_port)" "$(free_port)"
  load_env
  "$root/scripts/postgres.sh" start "$dir/postgres" "$PG_PORT" chat >/dev/null
  "$root/scripts/azurite.sh" start "$dir/azurite" "$BLOB_PORT" >/dev/null
  # The first silo applies the schema; the others join it.
  start_silo 1
  wait_ready silo 1
  for n in $(seq 2 "$silos"); do start_silo "$n"; done
  for n in $(seq 2 "$silos"); do wait_ready silo "$n"; done
  for n in $(seq 1 "$frontends"); do start_frontend "$n"; done
  for n in $(seq 1 "$frontends"); do wait_ready frontend "$n"; done
  for n in $(seq 1 "$frontends"); do echo "frontend $n http://127.0.0.1:$(cat "$dir/frontend.$n.port")"; done
  for n in $(seq 1 "$silos"); do echo "silo $n $(pid_of silo "$n")"; done
  echo "cluster ready"
}

cmd_down() {
  [ -d "$dir" ] || return 0
  for pidfile in "$dir"/*.pid; do
    [ -f "$pidfile" ] || continue
    case $pidfile in */azurite.pid) continue ;; esac
    stop_process "$(cat "$pidfile")" &
  done
  wait
  [ -d "$dir/postgres" ] && "$root/scripts/postgres.sh" stop "$dir/postgres" >/dev/null 2>&1 || true
  [ -d "$dir/azurite" ] && "$root/scripts/azurite.sh" stop "$dir/azurite" >/dev/null 2>&1 || true
  rm -rf "$dir"
}

process_command() {
  local signal=$1 kind=$2 n=$3
  case $kind in silo|frontend) ;; *) die "silo or frontend, not '$kind'" ;; esac
  load_env
  local pid; pid=$(pid_of "$kind" "$n")
  case $signal in
    restart)
      stop_process "$pid"
      "start_$kind" "$n"
      wait_ready "$kind" "$n"
      echo "$kind $n $(pid_of "$kind" "$n")"
      ;;
    *) kill "-$signal" "$pid" ;;
  esac
}

case ${1:-} in
  start) shift; cmd_start "$@" ;;
  kill) process_command KILL "${2:?silo|frontend}" "${3:?N}" ;;
  stop) process_command STOP "${2:?silo|frontend}" "${3:?N}" ;;
  cont) process_command CONT "${2:?silo|frontend}" "${3:?N}" ;;
  restart) process_command restart "${2:?silo|frontend}" "${3:?N}" ;;
  pg)
    load_env
    case ${2:-} in
      stop) "$root/scripts/postgres.sh" stop "$dir/postgres" ;;
      start) "$root/scripts/postgres.sh" start "$dir/postgres" "$PG_PORT" chat >/dev/null ;;
      *) die "pg stop|start" ;;
    esac
    ;;
  down) cmd_down ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
