#!/usr/bin/env bash
# The web client (src/WebClient: TypeScript, React, Vite), which WebFrontend serves at /.
#   webclient.sh build     npm ci when its packages are missing or the lock file changed, then build into
#                          src/WebClient/dist when that is missing or older than any source file
#   webclient.sh browser   install Debian's chromium (apt) for the browser tests, if missing
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
client=$root/src/WebClient

build() {
  bash "$root/scripts/azurite.sh" install # Node.js and npm, from apt when missing
  if [ ! -f "$client/node_modules/.package-lock.json" ] || [ "$client/package-lock.json" -nt "$client/node_modules/.package-lock.json" ]; then
    echo "webclient.sh: npm ci" >&2
    (cd "$client" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  local stamp=$client/dist/index.html
  if [ -f "$stamp" ] && [ -z "$(find "$client/src" "$client/index.html" "$client/package-lock.json" "$client/vite.config.ts" "$client/tsconfig.json" -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  echo "webclient.sh: building the web client" >&2
  (cd "$client" && npm run --silent build >&2)
}

browser() {
  if ! command -v chromium >/dev/null; then
    echo "webclient.sh: installing chromium with apt" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium fonts-dejavu-core >&2
  fi
}

case "${1:-}" in
  build) build ;;
  browser) browser ;;
  *) echo "usage: webclient.sh build|browser" >&2; exit 2 ;;
esac
