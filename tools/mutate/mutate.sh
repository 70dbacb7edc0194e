#!/usr/bin/env bash
# Mutation testing of the daemon's logic (./dev mutate; docs/testing.md). Run on request, not in CI.
#
#   tools/mutate/mutate.sh [--list] [ID...]
#
# For each mutant of tools/mutate/mutants.txt (all, or the IDs given): apply its one-line change to a
# copy of the source tree, rebuild only the test binaries it names, run them, and record whether a test
# failed (killed), none did (survived), or the mutant did not build (an error in the list). Prints a
# table and the score, writes build/mutate/report.md, and exits non-zero when fewer than 90 % of the
# mutants are killed, when a survivor is not marked equivalent, or when a mutant is broken.
#
# --list only checks the list against the working tree (each fragment exactly once) and prints it.
#
# Layout: build/mutate/src (a copy of the tracked and untracked-but-not-ignored files, the working
# tree's contents, refreshed file by file so that unchanged files keep their timestamps),
# build/mutate/build (Ninja, RelWithDebInfo, no desktop client, no benchmarks), build/mutate/logs.
# RETAIN_MUTATE_JOBS (default 2) and RETAIN_MUTATE_TIMEOUT (seconds per test binary; by default ten times
# the binary's unmutated run, at least 120 s: a mutant that makes a test hang is killed by the timeout).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.."
ROOT=$PWD
LIST=$ROOT/tools/mutate/mutants.txt
OUT=$ROOT/build/mutate
SRC=$OUT/src
BLD=$OUT/build
LOGS=$OUT/logs
JOBS=${RETAIN_MUTATE_JOBS:-2}
declare -A TIMEOUT_OF=()  # per test binary, from its unmutated run
THRESHOLD=90

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'mutate: %s\n' "$*" >&2; exit 1; }

# ---- the list ------------------------------------------------------------------------------------------
# Parallel arrays, one entry per mutant, in list order.
M_ID=() M_FILE=() M_FIND=() M_REPLACE=() M_TESTS=() M_WHAT=() M_EQUIV=() M_LINE=()

parse_list() {
  [ -f "$LIST" ] || die "no list at $LIST"
  local n=0 line key value start=0
  local id="" file="" find="" replace="" tests="" what="" equiv="" has_replace=0
  flush() {
    [ -z "$id$file$find$tests$what$equiv" ] && [ "$has_replace" = 0 ] && return 0
    [ -n "$id" ] || die "$LIST:$start: a record without id:"
    [[ "$id" =~ ^[A-Za-z0-9._-]+$ ]] || die "$LIST:$start: id '$id' may hold only letters, digits, '.', '_', '-'"
    local i
    for i in "${M_ID[@]}"; do [ "$i" != "$id" ] || die "$LIST:$start: id '$id' is used twice"; done
    [ -n "$file" ] || die "$LIST:$start: mutant $id has no file:"
    [ -n "$find" ] || die "$LIST:$start: mutant $id has no find:"
    [ "$has_replace" = 1 ] || die "$LIST:$start: mutant $id has no replace: (an empty one deletes the fragment)"
    [ "$find" != "$replace" ] || die "$LIST:$start: mutant $id replaces its fragment with itself"
    [ -n "$tests" ] || die "$LIST:$start: mutant $id has no tests:"
    [ -n "$what" ] || die "$LIST:$start: mutant $id has no what:"
    M_ID+=("$id") M_FILE+=("$file") M_FIND+=("$find") M_REPLACE+=("$replace") M_TESTS+=("$tests")
    M_WHAT+=("$what") M_EQUIV+=("$equiv") M_LINE+=("$start")
    id="" file="" find="" replace="" tests="" what="" equiv="" has_replace=0
  }
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [[ "$line" =~ ^[[:space:]]*$ ]]; then
      flush
      continue
    fi
    [[ "$line" == \#* ]] && continue
    [[ "$line" =~ ^([a-z]+):(.*)$ ]] || die "$LIST:$n: expected 'key: value', got: $line"
    key=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    value=${value# }                                     # the one space after the colon
    value=${value%"${value##*[![:space:]]}"}             # trailing blanks
    [ -z "$id$file$find$tests$what$equiv" ] && [ "$has_replace" = 0 ] && start=$n
    case $key in
      id) id=$value ;;
      file) file=$value ;;
      find) find=$value ;;
      replace) replace=$value has_replace=1 ;;
      tests) tests=$value ;;
      what) what=$value ;;
      equivalent) equiv=$value ;;
      *) die "$LIST:$n: unknown key '$key' (id, file, find, replace, tests, what, equivalent)" ;;
    esac
  done <"$LIST"
  flush
  [ ${#M_ID[@]} -gt 0 ] || die "$LIST holds no mutants"
}

# Whole file contents, trailing newlines included.
read_file() { local c; c=$(cat -- "$1"; printf x); printf '%s' "${c%x}"; }

# How often FRAGMENT occurs in TEXT, counting up to 2.
occurrences() {
  local text=$1 frag=$2 n=0
  while [ "$n" -lt 2 ] && [[ "$text" == *"$frag"* ]]; do
    n=$((n + 1))
    text=${text#*"$frag"}
  done
  echo "$n"
}

# check_fragment BASE I: empty if mutant I's fragment occurs exactly once under BASE, else the problem.
check_fragment() {
  local base=$1 i=$2 path=$1/${M_FILE[$2]}
  [ -f "$path" ] || { echo "file ${M_FILE[$i]} does not exist"; return; }
  local n
  n=$(occurrences "$(read_file "$path")" "${M_FIND[$i]}")
  case $n in
    0) echo "fragment not found in ${M_FILE[$i]}: ${M_FIND[$i]}" ;;
    1) ;;
    *) echo "fragment is ambiguous (occurs more than once) in ${M_FILE[$i]}: ${M_FIND[$i]}" ;;
  esac
}

fragment_line() { grep -nF -m1 -- "${M_FIND[$2]}" "$1/${M_FILE[$2]}" | cut -d: -f1; }

# ---- the copy and the build ------------------------------------------------------------------------------
sync_tree() {
  mkdir -p "$SRC"
  local wanted=$OUT/files.txt present=$OUT/present.txt f
  git ls-files --cached --others --exclude-standard | LC_ALL=C sort >"$wanted"
  while IFS= read -r f; do
    [ -f "$f" ] || continue
    if ! cmp -s -- "$f" "$SRC/$f"; then  # changed: copied with a new timestamp, so Ninja rebuilds it
      mkdir -p -- "$SRC/$(dirname -- "$f")"
      cp -- "$f" "$SRC/$f"
    fi
  done <"$wanted"
  (cd "$SRC" && find . -type f -printf '%P\n' | LC_ALL=C sort) >"$present"
  LC_ALL=C comm -23 "$present" "$wanted" | while IFS= read -r f; do rm -f -- "$SRC/$f"; done
  rm -f "$present"
}

configure() {
  cmake -S "$SRC" -B "$BLD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRETAIN_BUILD_CLIENT=OFF \
    -DRETAIN_BUILD_BENCH=OFF -DRETAIN_WERROR=OFF >"$LOGS/configure.log" 2>&1 ||
    { tail -30 "$LOGS/configure.log" >&2; die "configure failed (build/mutate/logs/configure.log)"; }
}

build_targets() {  # LOGFILE TARGET...
  local logfile=$1; shift
  cmake --build "$BLD" -j "$JOBS" --target "$@" >"$logfile" 2>&1
}

binary_of() {  # TARGET -> path of the built test binary
  local b
  b=$(find "$BLD/tests" -name "$1" -type f -perm -u+x -print -quit 2>/dev/null)
  [ -n "$b" ] || die "no test binary $1 under build/mutate/build/tests"
  echo "$b"
}

# run_binary TARGET LOGFILE: runs the whole GoogleTest binary (stopping at its first failure); the exit
# status is the binary's (124 on timeout).
run_binary() {
  local bin limit=${RETAIN_MUTATE_TIMEOUT:-${TIMEOUT_OF[$1]:-600}}
  bin=$(binary_of "$1")
  (cd "$(dirname "$bin")" && QT_QPA_PLATFORM=offscreen timeout --kill-after=10 "$limit" "$bin" \
    --gtest_brief=1 --gtest_fail_fast) >"$2" 2>&1
}

first_failure() {  # LOGFILE -> the first failing test's name, or a note
  local t
  t=$(grep -m1 -oE '^\[  FAILED  \] [A-Za-z0-9_/.]+' "$1" | sed 's/^\[  FAILED  \] //' || true)
  [ -n "$t" ] && { echo "$t"; return; }
  grep -qE 'Segmentation|Aborted|terminate called' "$1" && { echo "(crashed)"; return; }
  echo "(non-zero exit)"
}

# ---- the run ---------------------------------------------------------------------------------------------
MUTATED_FILE="" MUTATED_ORIGINAL=""
restore() {
  if [ -n "$MUTATED_FILE" ]; then
    printf '%s' "$MUTATED_ORIGINAL" >"$MUTATED_FILE"
    MUTATED_FILE=""
  fi
}
trap 'restore' EXIT
trap 'restore; exit 130' INT TERM

main() {
  local list_only=0 ids=()
  for a in "$@"; do
    case $a in
      --list) list_only=1 ;;
      -h | --help) sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
      -*) die "unknown option $a (try --list, or mutant ids)" ;;
      *) ids+=("$a") ;;
    esac
  done
  parse_list
  local selected=() i id found
  if [ ${#ids[@]} -eq 0 ]; then
    for i in "${!M_ID[@]}"; do selected+=("$i"); done
  else
    for id in "${ids[@]}"; do
      found=""
      for i in "${!M_ID[@]}"; do [ "${M_ID[$i]}" = "$id" ] && found=$i; done
      [ -n "$found" ] || die "no mutant '$id' in $LIST (./dev mutate --list)"
      selected+=("$found")
    done
  fi

  # Every fragment must occur exactly once: a missing or ambiguous one is named, and nothing runs.
  local broken=0 problem
  for i in "${selected[@]}"; do
    problem=$(check_fragment "$ROOT" "$i")
    if [ -n "$problem" ]; then
      printf 'mutate: mutant %s (%s:%s): %s\n' "${M_ID[$i]}" "${LIST#"$ROOT"/}" "${M_LINE[$i]}" "$problem" >&2
      broken=1
    fi
  done
  [ "$broken" = 0 ] || die "fix the list before running"

  if [ "$list_only" = 1 ]; then
    for i in "${selected[@]}"; do
      printf '%-28s %s:%s  [%s]%s\n    %s\n' "${M_ID[$i]}" "${M_FILE[$i]}" "$(fragment_line "$ROOT" "$i")" \
        "${M_TESTS[$i]}" "${M_EQUIV[$i]:+  (equivalent)}" "${M_WHAT[$i]}"
    done
    printf '%d mutants, fragments checked\n' "${#selected[@]}"
    exit 0
  fi

  local started=$SECONDS
  mkdir -p "$LOGS"
  rm -f "$LOGS"/*.log
  log "copying the source tree to build/mutate/src"
  sync_tree
  log "configuring build/mutate/build (RelWithDebInfo, no desktop client, no benchmarks)"
  configure

  local all=() t
  for i in "${selected[@]}"; do
    for t in ${M_TESTS[$i]}; do
      [[ " ${all[*]} " == *" $t "* ]] || all+=("$t")
    done
  done
  log "building the unmutated test binaries: ${all[*]} (-j$JOBS)"
  build_targets "$LOGS/baseline-build.log" "${all[@]}" ||
    { tail -30 "$LOGS/baseline-build.log" >&2; die "the unmutated tree does not build (build/mutate/logs/baseline-build.log)"; }
  local t0
  for t in "${all[@]}"; do
    t0=$SECONDS
    run_binary "$t" "$LOGS/baseline-$t.log" ||
      die "the unmutated suite fails: $t, $(first_failure "$LOGS/baseline-$t.log") (build/mutate/logs/baseline-$t.log)"
    TIMEOUT_OF[$t]=$((10 * (SECONDS - t0) > 120 ? 10 * (SECONDS - t0) : 120))
    log "baseline $t passes ($((SECONDS - t0)) s; a mutant gets ${RETAIN_MUTATE_TIMEOUT:-${TIMEOUT_OF[$t]}} s)"
  done

  local results=() details=() seconds=() killed=0 survived=0 equivalent=0 errors=0 k=0 total=${#selected[@]}
  local path original mutated status detail m0 rc
  for i in "${selected[@]}"; do
    k=$((k + 1))
    id=${M_ID[$i]}
    m0=$SECONDS
    path=$SRC/${M_FILE[$i]}
    problem=$(check_fragment "$SRC" "$i")
    if [ -n "$problem" ]; then
      status=ERROR detail="$problem"
    else
      original=$(read_file "$path")
      mutated=${original/"${M_FIND[$i]}"/"${M_REPLACE[$i]}"}
      MUTATED_FILE=$path MUTATED_ORIGINAL=$original
      printf '%s' "$mutated" >"$path"
      # shellcheck disable=SC2086  # the list of targets splits on blanks
      if ! build_targets "$LOGS/$id.build.log" ${M_TESTS[$i]}; then
        status=ERROR detail="does not build (build/mutate/logs/$id.build.log)"
      else
        status=survived detail=""
        for t in ${M_TESTS[$i]}; do
          rc=0
          run_binary "$t" "$LOGS/$id.$t.log" || rc=$?
          if [ "$rc" != 0 ]; then
            status=killed
            if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
              detail="$t: timed out"
            else
              detail="$t: $(first_failure "$LOGS/$id.$t.log")"
            fi
            break
          fi
        done
      fi
      restore
    fi
    case $status in
      killed)
        killed=$((killed + 1))
        [ -z "${M_EQUIV[$i]}" ] || detail="$detail (but listed as equivalent: fix the list)"
        ;;
      survived)
        survived=$((survived + 1))
        if [ -n "${M_EQUIV[$i]}" ]; then
          status=equivalent detail="${M_EQUIV[$i]}"
          equivalent=$((equivalent + 1))
        else
          detail="no test failed: write one, or explain why the mutant is equivalent"
        fi
        ;;
      ERROR) errors=$((errors + 1)) ;;
    esac
    results+=("$status") details+=("$detail") seconds+=("$((SECONDS - m0))")
    printf '[%2d/%d] %-28s %-10s %4d s  %s\n' "$k" "$total" "$id" "$status" "$((SECONDS - m0))" "$detail" >&2
  done

  local wall=$((SECONDS - started)) score
  score=$(awk -v k="$killed" -v n="$total" 'BEGIN { printf "%.1f", 100 * k / n }')
  local report=$OUT/report.md j=0
  {
    printf '# Mutation testing report\n\n'
    printf 'Run %s on %s (`./dev mutate%s`), %d s wall time.\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)" \
      "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" "${ids:+ ${ids[*]}}" "$wall"
    printf '**Score: %d of %d killed (%s %%)**; %d equivalent, %d unexplained survivors, %d broken.\n\n' \
      "$killed" "$total" "$score" "$equivalent" "$((survived - equivalent))" "$errors"
    printf '| id | file | result | s | detail |\n|---|---|---|---:|---|\n'
    for i in "${selected[@]}"; do
      printf '| %s | %s:%s | %s | %s | %s |\n' "${M_ID[$i]}" "${M_FILE[$i]}" "$(fragment_line "$ROOT" "$i")" \
        "${results[$j]}" "${seconds[$j]}" "${details[$j]//|/\\|}"
      j=$((j + 1))
    done
  } >"$report"

  printf '\n%-28s %-44s %-10s %s\n' mutant file result detail
  j=0
  for i in "${selected[@]}"; do
    printf '%-28s %-44s %-10s %s\n' "${M_ID[$i]}" "${M_FILE[$i]}" "${results[$j]}" "${details[$j]}"
    j=$((j + 1))
  done
  printf '\nscore: %d of %d killed (%s %%), %d equivalent, %d unexplained survivors, %d broken; %d s; build/mutate/report.md\n' \
    "$killed" "$total" "$score" "$equivalent" "$((survived - equivalent))" "$errors" "$wall"

  local fail=0
  [ "$errors" -eq 0 ] || { echo "mutate: $errors mutants did not build: fix them in the list" >&2; fail=1; }
  [ "$((survived - equivalent))" -eq 0 ] ||
    { echo "mutate: $((survived - equivalent)) survivors are not marked equivalent" >&2; fail=1; }
  [ "$((killed * 100))" -ge "$((THRESHOLD * total))" ] ||
    { echo "mutate: the score is below $THRESHOLD %" >&2; fail=1; }
  return "$fail"
}

main "$@"
