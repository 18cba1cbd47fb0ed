#!/usr/bin/env bash
# The long fuzzing run (./test.sh runs 10,000 cases; this runs 200,000 by default): generated requests to every REST
# route and hub method of a Chat started on loopback for the run, and stopped after it.
#   scripts/fuzz.sh [--cases N] [--seed SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tools/Chat.Fuzz/Chat.Fuzz.csproj -c Release -nologo -v quiet
dotnet build src/Silo/Silo.csproj -c Release -nologo -v quiet
dotnet build src/WebFrontend/WebFrontend.csproj -c Release -nologo -v quiet
exec dotnet tools/Chat.Fuzz/bin/Release/net10.0/Chat.Fuzz.dll "$@"
