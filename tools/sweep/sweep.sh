#!/usr/bin/env bash
# The study plan's proof sweep (issue 16; ./dev sweep; docs/simulator.md): retain-sim at every daily budget ×
# horizon, one --out directory per point, then one summary of the efficiency targets and the coverage measures.
#
#   tools/sweep/sweep.sh
#
# Settings (environment; lists are comma- or space-separated):
#   SWEEP_MINUTES   minutes per day            (default 20,40,80)
#   SWEEP_DAYS      study days until the exam  (default 30,60,120)
#   SWEEP_LEARNERS  learners per model         (default 200)
#   SWEEP_MODELS    retain-sim --model         (default all)
#   SWEEP_POLICIES  retain-sim --policies      (default all)
#   SWEEP_SEED      retain-sim --seed          (default 1)
#   SWEEP_OUT       output directory           (default build/dev/sweep; a relative path is from the caller's
#                   directory)
#   SWEEP_JOBS      retain-sim --jobs          (default: the number of cores)
#   SWEEP_RESUME    1: keep a point whose sim.json has the same settings instead of running it again
#   SWEEP_SIM       the retain-sim binary      (default build/dev/sim/retain-sim; ./dev sweep builds it)
#
# Layout: SWEEP_OUT/m<minutes>-d<days>/ (retain-sim's sim.json, sim.txt, sittings.csv, sim.png, and its stderr in
# run.log), SWEEP_OUT/sweep.md and SWEEP_OUT/sweep.json (the summary). The targets are measured, not enforced:
# the script fails only when a run fails.
set -euo pipefail
CALLER=$PWD
cd "$(dirname "$(readlink -f "$0")")/../.."
ROOT=$PWD

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'sweep: %s\n' "$*" >&2; exit 1; }

# numbers NAME VALUE: sets NUMBERS to the positive whole numbers of a comma- or space-separated list.
numbers() {
  local name=$1 v items=()
  IFS=', ' read -r -a items <<<"$2"
  NUMBERS=()
  for v in "${items[@]}"; do
    [ -n "$v" ] || continue
    if ! [[ "$v" =~ ^[0-9]+$ ]] || [ "$v" -eq 0 ]; then die "$name: '$v' is not a positive whole number"; fi
    NUMBERS+=("$v")
  done
  [ ${#NUMBERS[@]} -gt 0 ] || die "$name is empty"
}

numbers SWEEP_MINUTES "${SWEEP_MINUTES:-20,40,80}"
MINUTES=("${NUMBERS[@]}")
numbers SWEEP_DAYS "${SWEEP_DAYS:-30,60,120}"
DAYS=("${NUMBERS[@]}")
LEARNERS=${SWEEP_LEARNERS:-200}
if ! [[ "$LEARNERS" =~ ^[0-9]+$ ]] || [ "$LEARNERS" -eq 0 ]; then die "SWEEP_LEARNERS must be a positive number"; fi
MODELS=${SWEEP_MODELS:-all}
POLICIES=${SWEEP_POLICIES:-all}
SEED=${SWEEP_SEED:-1}
[[ "$SEED" =~ ^[0-9]+$ ]] || die "SWEEP_SEED must be a whole number"
JOBS=${SWEEP_JOBS:-$(nproc 2>/dev/null || echo 2)}
OUT=${SWEEP_OUT:-$ROOT/build/dev/sweep}
[[ "$OUT" = /* ]] || OUT=$CALLER/$OUT
SIM=${SWEEP_SIM:-$ROOT/build/dev/sim/retain-sim}
[ -x "$SIM" ] || die "no retain-sim at $SIM (build it: ./dev sweep, or cmake --build --preset dev --target retain-sim)"
command -v python3 >/dev/null || die "python3 is needed for the summary"

# same_settings DIR MINUTES DAYS: DIR/sim.json was written with this sweep's settings for that point.
same_settings() {
  python3 - "$1/sim.json" "$LEARNERS" "$SEED" "$2" "$3" "$MODELS" "$POLICIES" <<'PY' 2>/dev/null
import json, sys
path, learners, seed, minutes, days, models, policies = sys.argv[1:]
ALL = {"models": "actr,interference,hlr,dash,dash-wrongprior", "policies": "adaptive,fsrs,random,sm2"}
c = json.load(open(path))["config"]
def names(key, wanted):
    return sorted(c[key]) == sorted((ALL[key] if wanted == "all" else wanted).split(","))
ok = ((c["learners"], c["seed"], c["minutes_per_day"], c["days"]) == (int(learners), int(seed), float(minutes), int(days))
      and names("models", models) and names("policies", policies))
sys.exit(0 if ok else 1)
PY
}

mkdir -p "$OUT"
TIMES=$OUT/points.tsv  # minutes, days, directory, seconds (of this sweep's run of the point; -1: kept)
: >"$TIMES"
total=$((${#MINUTES[@]} * ${#DAYS[@]}))
n=0
log "sweep: ${#MINUTES[@]} budgets x ${#DAYS[@]} horizons, $LEARNERS learners per model, models $MODELS," \
  "policies $POLICIES, seed $SEED, $JOBS jobs -> $OUT"
for m in "${MINUTES[@]}"; do
  for d in "${DAYS[@]}"; do
    n=$((n + 1))
    dir=$OUT/m$m-d$d
    if [ "${SWEEP_RESUME:-0}" = 1 ] && [ -f "$dir/sim.json" ] && same_settings "$dir" "$m" "$d"; then
      log "[$n/$total] $m min/day, $d days: kept from an earlier run ($dir)"
      printf '%s\t%s\t%s\t%s\n' "$m" "$d" "$dir" -1 >>"$TIMES"
      continue
    fi
    log "[$n/$total] $m min/day, $d days"
    mkdir -p "$dir"
    rm -f "$dir/sim.json"
    started=$(date +%s)
    if ! "$SIM" --learners "$LEARNERS" --days "$d" --minutes-per-day "$m" --seed "$SEED" --jobs "$JOBS" --quiet \
      --model "$MODELS" --policies "$POLICIES" --content "$ROOT/content" --out "$dir" >/dev/null 2>"$dir/run.log"; then
      tail -20 "$dir/run.log" >&2
      die "retain-sim failed at $m min/day, $d days (log: $dir/run.log)"
    fi
    seconds=$(($(date +%s) - started))
    log "[$n/$total] done in $seconds s"
    printf '%s\t%s\t%s\t%s\n' "$m" "$d" "$dir" "$seconds" >>"$TIMES"
  done
done

log "summary: $OUT/sweep.md and $OUT/sweep.json"
python3 "$ROOT/tools/sweep/summary.py" "$TIMES" "$OUT"
cat "$OUT/sweep.md"
