#!/usr/bin/env python3
"""The summary of a retain-sim sweep (tools/sweep/sweep.sh): SWEEP_OUT/sweep.md and sweep.json.

    summary.py POINTS_TSV OUT_DIR

POINTS_TSV has one line per point: minutes per day, days, its --out directory, seconds (-1: kept from an
earlier run). Standard library only.

Targets (the study plan, issue 16), per point and model, for adaptive against fsrs (20 %) and random (15 %):
  - minutes: adaptive needs at least that share fewer minutes to a true pass probability of 0.9 (the savings
    of sim.json, a lower bound when the baseline's median learner never reaches it), the 95 % CI above 0;
  - pass: where neither policy of the pair has a median learner reaching 0.9, a higher true pass probability
    at equal minutes, the 95 % CI above 0.
A pair where only the baseline's median learner reaches 0.9 is judged on minutes and fails.
"""

import json
import sys

REQUIRED_SAVINGS = {"fsrs": 0.20, "random": 0.15}


def fixed(x, digits=3, sign=False):
    if x is None:
        return "n/a"
    return f"{x:+.{digits}f}" if sign else f"{x:.{digits}f}"


def ci(iv, sign=False, prefix=""):
    if not iv or iv.get("estimate") is None:
        return "n/a"
    return f"{prefix}{fixed(iv['estimate'], 3, sign)} [{fixed(iv['lo'], 3, sign)}, {fixed(iv['hi'], 3, sign)}]"


def judge(comparison, reached, baseline):
    """The target for one pair: {basis, met, ...} (None when the pair was not simulated)."""
    if comparison is None:
        return None
    savings = comparison["savings"]
    tp = comparison["true_pass_difference"]
    need = REQUIRED_SAVINGS[baseline]
    if reached.get("adaptive") or reached.get(baseline):
        basis = "minutes"
        met = (savings["estimate"] is not None and savings["estimate"] >= need and savings["lo"] is not None
               and savings["lo"] > 0)
    else:
        basis = "pass"
        met = tp["lo"] is not None and tp["lo"] > 0
    return {
        "basis": basis,
        "met": bool(met),
        "required_savings": need,
        "savings": savings,
        "savings_lower_bound": comparison["baseline_median_censored"],
        "true_pass_difference": tp,
        "learners": comparison["learners"],
    }


def coverage_row(policy):
    c = policy.get("coverage") or {}
    if not c:
        return None
    at_exam = c["checkpoints"][-1]["seen_by_domain"] if c.get("checkpoints") else []
    return {
        "early_days": c["early_days"],
        "statements_seen_early": c["statements_seen_early"],
        "learners_missing_statement": c["learners_missing_statement"],
        "seen_at_exam_by_domain": at_exam,
        "min_seen_at_exam": c["min_seen_at_exam"],
        "time_share_by_domain": c["time_share_by_domain"],
        "time_share_max_deviation": c["time_share_max_deviation"],
    }


def main():
    points_tsv, out = sys.argv[1], sys.argv[2]
    points, rows = [], []
    domains, config = [], {}
    with open(points_tsv) as f:
        for line in f:
            if not line.strip():
                continue
            minutes, days, directory, seconds = line.rstrip("\n").split("\t")
            points.append({"minutes_per_day": float(minutes), "days": int(days), "dir": directory,
                           "seconds": int(seconds)})
    for point in points:
        with open(point["dir"] + "/sim.json") as f:
            sim = json.load(f)
        config = sim["config"]
        domains = sim.get("exam", {}).get("domains", domains)
        for model in sim["models"]:
            policies = {p["policy"]: p for p in model["policies"]}
            reached = {name: p["median_minutes_to_target"] is not None for name, p in policies.items()}
            comparisons = {c["baseline"]: c for c in model["comparisons"]}
            targets = {b: judge(comparisons.get(b), reached, b) for b in REQUIRED_SAVINGS}
            judged = [t for t in targets.values() if t is not None]
            rows.append({
                "minutes_per_day": point["minutes_per_day"],
                "days": point["days"],
                "model": model["model"],
                "held_out": model.get("held_out", False),
                "median_minutes_to_target": {n: p["median_minutes_to_target"] for n, p in policies.items()},
                "comparisons": targets,
                "target_met": bool(judged) and len(judged) == len(targets) and all(t["met"] for t in judged),
                "coverage": {n: coverage_row(p) for n, p in policies.items()},
            })

    summary = {
        "learners": config.get("learners"),
        "seed": config.get("seed"),
        "models": config.get("models"),
        "policies": config.get("policies"),
        "target": config.get("target"),
        "required_savings": REQUIRED_SAVINGS,
        "domains": domains,
        "points": points,
        "rows": rows,
    }
    with open(out + "/sweep.json", "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")

    weights = "/".join(f"{d['weight']:.2f}" for d in domains)
    ids = "/".join(d["id"] for d in domains)
    md = []
    md.append("# retain-sim sweep\n")
    md.append(f"{config.get('learners')} learners per model, seed {config.get('seed')}, models "
              f"{', '.join(config.get('models', []))}, policies {', '.join(config.get('policies', []))}; "
              f"target true pass probability {config.get('target')}. One retain-sim run per point "
              f"(`m<minutes>-d<days>/`).\n")
    md.append("**Target**: adaptive needs at least 20 % fewer minutes to the target than fsrs and 15 % fewer than "
              "random, the 95 % CI of the saving above 0 (basis *minutes*; `>=`: the baseline's median learner "
              "never reached the target, so the saving is a lower bound). Where neither policy of the pair has a "
              "median learner reaching the target: a higher true pass probability at equal minutes, its 95 % CI "
              "above 0 (basis *pass*).\n")
    md.append("## Efficiency\n")
    md.append("| min/day | days | model | vs fsrs: minutes saved [95 % CI] | vs fsrs: Δ true pass [95 % CI] | vs fsrs "
              "| vs random: minutes saved [95 % CI] | vs random: Δ true pass [95 % CI] | vs random | target |")
    md.append("|---:|---:|---|---|---|---|---|---|---|---|")
    for r in rows:
        cells = [f"{r['minutes_per_day']:g}", str(r["days"]), r["model"] + (" (held out)" if r["held_out"] else "")]
        for b in REQUIRED_SAVINGS:
            t = r["comparisons"][b]
            if t is None:
                cells += ["n/a", "n/a", "n/a"]
                continue
            cells.append(ci(t["savings"], prefix=">= " if t["savings_lower_bound"] else ""))
            cells.append(ci(t["true_pass_difference"], sign=True))
            cells.append(("met" if t["met"] else "not met") + f" ({t['basis']})")
        cells.append("**met**" if r["target_met"] else "not met")
        md.append("| " + " | ".join(cells) + " |")
    met = sum(r["target_met"] for r in rows)
    md.append(f"\nTarget met in {met} of {len(rows)} point × model cells.\n")

    md.append("## Coverage\n")
    md.append(f"Per policy: the share of (learner, task statement) pairs whose statement was first seen within "
              f"the first ceil(days/10) days; learners with a task statement never seen; the least, over domains "
              f"({ids}), of the mean share of the domain's study items seen by the exam; each domain's share of "
              f"the minutes (blueprint weights {weights}) and its largest deviation from the weight.\n")
    md.append("| min/day | days | model | policy | TS seen early (days) | learners missing a TS | min domain seen "
              "at exam | seen at exam by domain | time share by domain | max deviation |")
    md.append("|---:|---:|---|---|---|---:|---:|---|---|---:|")
    for r in rows:
        for name, c in r["coverage"].items():
            if c is None:
                continue
            md.append("| " + " | ".join([
                f"{r['minutes_per_day']:g}", str(r["days"]), r["model"], name,
                f"{fixed(c['statements_seen_early'])} ({c['early_days']})",
                str(c["learners_missing_statement"]),
                fixed(c["min_seen_at_exam"]),
                "/".join(f"{x:.2f}" for x in c["seen_at_exam_by_domain"]),
                "/".join(f"{x:.2f}" for x in c["time_share_by_domain"]),
                fixed(c["time_share_max_deviation"]),
            ]) + " |")

    md.append("\n## Runs\n")
    md.append("| min/day | days | seconds |")
    md.append("|---:|---:|---:|")
    for p in points:
        md.append(f"| {p['minutes_per_day']:g} | {p['days']} | "
                  f"{p['seconds'] if p['seconds'] >= 0 else 'kept'} |")
    with open(out + "/sweep.md", "w") as f:
        f.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
