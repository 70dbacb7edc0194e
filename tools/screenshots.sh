#!/usr/bin/env bash
# Renders the client's screenshots in docs/screenshots/ (light palette) and docs/screenshots/dark/ from a
# demo learner made through the API (retain_seed_demo) on a scratch daemon with a simulated clock.
# Needs a dev build (./dev build). Works without a display (QT_QPA_PLATFORM=offscreen).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
b=build/dev
for p in daemon/app/retaind client/cli/retainctl client/desktop/retain client/desktop/retain_seed_demo; do
  [ -x "$b/$p" ] || { echo "screenshots: $b/$p is missing (run ./dev build)" >&2; exit 1; }
done
tmp=$(mktemp -d)
"$b/daemon/app/retaind" --socket "$tmp/d.sock" --data-dir "$tmp/data" --content content --clock simulated \
  --log-level warn &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do
  "$b/client/cli/retainctl" --daemon "unix:$tmp/d.sock" health >/dev/null 2>&1 && break
  sleep 0.1
done
"$b/client/desktop/retain_seed_demo" --daemon "unix:$tmp/d.sock"
export QT_QPA_PLATFORM=offscreen
mkdir -p docs/screenshots/dark
"$b/client/desktop/retain" --daemon "unix:$tmp/d.sock" --palette light --screenshot docs/screenshots --screenshot-study 12
"$b/client/desktop/retain" --daemon "unix:$tmp/d.sock" --palette dark --screenshot docs/screenshots/dark --screenshot-study 12
