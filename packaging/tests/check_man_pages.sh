#!/usr/bin/env bash
# The man pages against the programs: every option in `retaind --help` and every command in
# `retainctl --help` appears in its page, and man renders both without warnings.
#   check_man_pages.sh MAN_DIR RETAIND RETAINCTL
set -euo pipefail
man_dir=$1 retaind=$2 retainctl=$3
fail=0
for opt in $("$retaind" --help | grep -oE '^ +--[a-z][a-z-]+' | tr -d ' '); do
  roff=${opt//-/\\-}
  grep -qF -- "$roff" "$man_dir/retaind.1" || { echo "retaind.1 does not document $opt (from retaind --help)"; fail=1; }
done
# The .B/.BR lines of retainctl.1's COMMANDS section as plain text: "learner create NAME ...", "mock flag ID NUMBER , mock unflag ...".
headings=$(sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$man_dir/retainctl.1" | grep -E '^\.(B|BR) ' | sed -E 's/^\.(B|BR) //; s/"//g; s/\\-/-/g; s/ +/ /g')
subcommands() { sed -n '/^Subcommands:/,$p' | grep -oE '^  [a-z][a-z-]*' | tr -d ' ' || true; }
commands=$("$retainctl" --help | subcommands)
[ -n "$commands" ] || { echo "found no subcommands in retainctl --help"; exit 1; }
for cmd in $commands; do
  subs=$("$retainctl" "$cmd" --help 2>/dev/null | subcommands)
  [ -n "$subs" ] || subs=-
  for sub in $subs; do
    words=$cmd; [ "$sub" = - ] || words="$cmd $sub"
    grep -qE "(^| )$words( |\$)" <<<"$headings" ||
      { echo "retainctl.1 does not document '$words' (from retainctl --help)"; fail=1; }
  done
done
if command -v man >/dev/null; then
  for page in "$man_dir"/*.1; do
    warnings=$(MANWIDTH=80 man --warnings -l -E UTF-8 "$page" 2>&1 >/dev/null) || true
    [ -z "$warnings" ] || { echo "${page##*/}: $warnings"; fail=1; }
  done
fi
[ "$fail" -eq 0 ] && echo "man pages cover every option and command"
exit "$fail"
