#!/usr/bin/env bash
# systemd-analyze verify on the user unit, with ExecStart pointing at the built retaind (verify checks
# that the program exists). Any output (an unknown or misspelt key, a bad value) is a failure.
#   check_unit.sh UNIT RETAIND
set -euo pipefail
unit=$1 retaind=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -m 0700 "$tmp/runtime"
sed "s|^ExecStart=/usr/bin/retaind|ExecStart=$retaind|" "$unit" >"$tmp/retaind.service"
grep -q "^ExecStart=$retaind" "$tmp/retaind.service" || { echo "no ExecStart=/usr/bin/retaind in $unit"; exit 1; }
out=$(cd "$tmp" && XDG_RUNTIME_DIR="$tmp/runtime" HOME="$tmp" systemd-analyze verify --user --man=no \
  "$tmp/retaind.service" 2>&1) || { echo "$out"; exit 1; }
[ -z "$out" ] || { echo "systemd-analyze verify:"; echo "$out"; exit 1; }
echo "retaind.service verifies"
