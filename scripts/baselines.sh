#!/usr/bin/env bash
# What Chat's figures are measured against, in one run, on this machine (BENCHMARKS.md):
#   1. the machine's PostgreSQL ceiling for Chat's message row: pgbench inserting it one row per commit, and 50 rows
#      per commit, into a private PostgreSQL 15 holding Chat's schema (synchronous commit on, as Chat runs it);
#   2. the peer (../shared/peer): ejabberd 23.01 archiving every message in its own PostgreSQL, loaded by xload.js in
#      the shape of Chat's direct scenario (50 users, user i -> i+N/2, open loop, 64-byte bodies);
#   3. Chat's direct scenario at the same rates (scripts/bench.sh), and the ratios.
#   scripts/baselines.sh [--seconds 15] [--rates "500 1000 2000"]
# Everything listens on loopback only and is stopped at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=15 rates="500 1000 2000"
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    *) sed -n 2,10p "$0"; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/chat-baselines.XXXXXX)
pg_port=${CHAT_BASELINE_PG_PORT:-55599}
peer=$(cd ../shared/peer && pwd)
export EJ_DIR=$work/ejabberd EJ_PG_PORT=${CHAT_BASELINE_EJ_PG_PORT:-55598}
cleanup() {
  bash scripts/postgres.sh stop "$work/pg" || true
  bash "$peer/ejabberd.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
pgbin=/usr/lib/postgresql/15/bin
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

echo "== PostgreSQL ceiling for the message row (pgbench, 8 clients, ${seconds} s each)"
bash scripts/postgres.sh start "$work/pg" "$pg_port" chat
psql=(as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d chat -qAt -v ON_ERROR_STOP=1)
for migration in src/Grains/Storage/Schema/Migrations/*.sql; do "${psql[@]}" -1 -f "$migration" >/dev/null; done
"${psql[@]}" -c "CREATE SEQUENCE bench_seq"
columns="conversation_id, seq, id, sender_id, client_message_id, content_type, content, format, created_at, version, created_version"
cat > "$work/one.sql" <<SQL
INSERT INTO messages ($columns)
SELECT md5((s % 25)::text)::uuid, s, gen_random_uuid(), md5((s % 50)::text)::uuid, s::text, 'text', repeat('x', 64), 'plain', now(), s, s
FROM nextval('bench_seq') AS s;
SQL
cat > "$work/batch.sql" <<SQL
INSERT INTO messages ($columns)
SELECT md5((s % 25)::text)::uuid, s, gen_random_uuid(), md5((s % 50)::text)::uuid, s::text, 'text', repeat('x', 64), 'plain', now(), s, s
FROM (SELECT nextval('bench_seq') AS s FROM generate_series(1, 50)) AS rows;
SQL
chmod a+r "$work"/*.sql; chmod o+x "$work"
pgbench_rows() { # script rows-per-transaction -> rows/s
  local tps
  tps=$(as_postgres "$pgbin/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -c 8 -j 2 -T "$seconds" -f "$1" chat 2>/dev/null \
    | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  awk -v t="$tps" -v r="$2" 'BEGIN { printf "%.0f", t * r }'
}
one=$(pgbench_rows "$work/one.sql" 1)
batch=$(pgbench_rows "$work/batch.sql" 50)
echo "one row per commit: $one rows/s; 50 rows per commit: $batch rows/s"
bash scripts/postgres.sh stop "$work/pg"

echo "== ejabberd with its archive on PostgreSQL (../shared/peer)"
cp -r "$peer" "$work/peer"
(cd "$work/peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
bash "$peer/ejabberd.sh" start pgsql 100 >/dev/null
N=50 RATE=500 DUR=5 WARM=2 node "$work/peer/xload.js" >/dev/null 2>&1 || true # warm-up
declare -A peer_p50 peer_p99
for rate in $rates; do
  result=$(N=50 RATE=$rate DUR=$seconds WARM=2 node "$work/peer/xload.js" 2>/dev/null | tail -1)
  echo "ejabberd at $rate msgs/s: $result"
  peer_p50[$rate]=$(node -e 'const r=JSON.parse(process.argv[1]); console.log(r.latMs.p50)' "$result")
  peer_p99[$rate]=$(node -e 'const r=JSON.parse(process.argv[1]); console.log(r.latMs.p99)' "$result")
done
bash "$peer/ejabberd.sh" stop >/dev/null

echo "== Chat, direct scenario (scripts/bench.sh)"
printf '\n| offered msgs/s | ejabberd p50 / p99 ms | Chat delivery p50 / p99 ms | Chat ack p50 / p99 ms | Chat / ejabberd at p50, p99 | Chat once, in order |\n|---|---|---|---|---|---|\n' > "$work/table"
for rate in $rates; do
  scripts/bench.sh direct --users 50 --rate "$rate" --seconds "$seconds" --out "$work/chat-$rate.json" >/dev/null 2>&1 || true
  node -e '
    const [file, rate, p50, p99] = process.argv.slice(1);
    let r; try { r = JSON.parse(require("fs").readFileSync(file, "utf8")); } catch { console.log(`| ${rate} | ${p50} / ${p99} | failed | | | |`); process.exit(0); }
    const f = (x) => x.toFixed(1);
    console.log(`| ${rate} | ${p50} / ${p99} | ${f(r.deliveryMs.p50)} / ${f(r.deliveryMs.p99)} | ${f(r.ackMs.p50)} / ${f(r.ackMs.p99)} | ` +
      `${f(r.deliveryMs.p50 / p50)}x, ${f(r.deliveryMs.p99 / p99)}x | ${r.exactlyOnceInOrder.holds ? "yes" : "no"} (${r.acknowledged}/${r.sent} acked) |`);
  ' "$work/chat-$rate.json" "$rate" "${peer_p50[$rate]}" "${peer_p99[$rate]}" >> "$work/table"
done
cat "$work/table"
echo
echo "PostgreSQL ceiling: $one message rows/s one per commit, $batch rows/s 50 per commit"
