#!/usr/bin/env bash
# The chaos suite of RELIABILITY.md: 3 silos and 2 frontends (scripts/cluster.sh), 60 users in direct chats and
# groups of up to 50, a steady workload of sends, edits, deletes, reactions, receipts and membership changes, and
# one fault at a time: SIGKILL each silo, SIGKILL a frontend, SIGSTOP a silo for 20 s, PostgreSQL down for 10 s,
# a rolling restart. Prints a table per fault; exits non-zero when any guarantee broke. Takes about 6 minutes.
#   scripts/chaos.sh            the full run
#   scripts/chaos.sh --short    2 silos, 16 users, two faults (what ./test.sh runs)
#   scripts/chaos.sh --kills 2  the full run, each silo killed twice in turn
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/chat-chaos.XXXXXX)
dotnet build Chat.sln -c Release -nologo -v quiet >"$dir.build.log" 2>&1 || { cat "$dir.build.log"; exit 1; }
rm -f "$dir.build.log"
rmdir "$dir"
trap 'CHAT_CLUSTER_DIR=$dir scripts/cluster.sh down' EXIT
dotnet tools/Chat.Chaos/bin/Release/net10.0/Chat.Chaos.dll --dir "$dir" "$@"
