#include "sim/report.h"

#include <cmath>
#include <limits>
#include <map>
#include <sstream>

#include "sim/metrics.h"

namespace retain::sim {
namespace {

using nlohmann::json;
constexpr double kInf = std::numeric_limits<double>::infinity();

json num(double x) {
    return std::isfinite(x) ? json(x) : json(nullptr);
}

json interval(const Interval& i) {
    return {{"estimate", num(i.estimate)}, {"lo", num(i.lo)}, {"hi", num(i.hi)}};
}

json calibrationJson(const Calibration& c) {
    json bins = json::array();
    for (const auto& b : c.bins)
        bins.push_back({{"lo", b.lo},
                        {"hi", b.hi},
                        {"count", b.count},
                        {"mean_predicted", b.meanPredicted},
                        {"observed_rate", b.observedRate}});
    return {{"points", c.points},
            {"brier", c.brier},
            {"ece", c.ece},
            {"mean_predicted", c.meanPredicted},
            {"observed_rate", c.observedRate},
            {"bins", bins}};
}

double mean(const std::vector<double>& v) {
    double s = 0;
    for (double x : v)
        s += x;
    return v.empty() ? 0 : s / static_cast<double>(v.size());
}

std::string fmt(const json& v, int decimals = 3) {
    if (v.is_null())
        return "n/a";
    std::ostringstream o;
    o.setf(std::ios::fixed);
    o.precision(decimals);
    o << v.get<double>();
    return o.str();
}

}  // namespace

json summarize(const SimResult& result, int bootstrapReps) {
    const auto& c = result.config;
    json out;
    json models = json::array();
    std::vector<std::string> policyNames, modelNames;
    for (auto p : c.policies)
        policyNames.push_back(policyName(p));
    for (auto m : c.models)
        modelNames.push_back(truthName(m));
    out["config"] = {{"learners", c.learners},
                     {"days", c.days},
                     {"minutes_per_day", c.minutesPerDay},
                     {"seed", c.seed},
                     {"models", modelNames},
                     {"policies", policyNames},
                     {"checkpoint_every", c.checkpointEvery},
                     {"mock_every_days", c.mockEveryDays},
                     {"new_items_per_day", c.newItemsPerDay},
                     {"target", c.target},
                     {"bootstrap_resamples", bootstrapReps}};
    json domains = json::array();
    for (const auto& d : result.domains)
        domains.push_back({{"id", d.id},
                           {"name", d.name},
                           {"weight", d.weight},
                           {"study_items", d.studyItems},
                           {"task_statements", d.statements}});
    out["exam"] = {{"domains", domains}};
    bool allEce = true, allEfficiency = true;
    for (TruthKind model : c.models) {
        json m;
        m["model"] = truthName(model);
        m["held_out"] = truthHeldOut(model);  // Retain's parameters were never tuned against it
        // Runs of this model by policy, indexed by learner.
        std::map<PolicyKind, std::vector<const LearnerRun*>> byPolicy;
        for (auto p : c.policies)
            byPolicy[p].assign(static_cast<size_t>(c.learners), nullptr);
        std::vector<Forecast> pooled;
        std::map<PolicyKind, std::vector<Forecast>> forecasts;
        std::map<PolicyKind, std::pair<int, int>>
            covered;  // points whose interval holds the truth, all points
        // The exam-date forecast made at the checkpoint nearest mid-course, against the true pass
        // probability reached on the exam day: sum of absolute errors, learners.
        std::map<PolicyKind, std::pair<double, int>> midcourse;
        for (const auto& r : result.runs) {
            if (r.model != model)
                continue;
            byPolicy[r.policy][static_cast<size_t>(r.learner)] = &r;
            const CalibrationPoint* mid = nullptr;
            for (const auto& p : r.points)
                if (p.forecast >= 0 &&
                    (!mid || std::abs(p.day + 1 - c.days / 2) < std::abs(mid->day + 1 - c.days / 2)))
                    mid = &p;
            if (mid && !r.truePass.empty()) {
                midcourse[r.policy].first += std::abs(mid->forecast - r.truePass.back());
                ++midcourse[r.policy].second;
            }
            for (const auto& p : r.points) {
                pooled.push_back({p.predicted, p.passed});
                forecasts[r.policy].push_back({p.predicted, p.passed});
                covered[r.policy].first += p.low <= p.truePass && p.truePass <= p.high;
                ++covered[r.policy].second;
            }
        }
        const Calibration cal = calibrate(pooled);
        json calJson = calibrationJson(cal);
        for (auto p : c.policies) {
            const Calibration pc = calibrate(forecasts[p]);
            const auto [in, all] = covered[p];
            calJson["by_policy"][policyName(p)] = {
                {"points", pc.points},
                {"brier", pc.brier},
                {"ece", pc.ece},
                {"mean_predicted", pc.meanPredicted},
                {"observed_rate", pc.observedRate},
                {"interval_coverage", all > 0 ? static_cast<double>(in) / all : 0.0},
                {"midcourse_forecast_mae",
                 midcourse[p].second > 0 ? midcourse[p].first / midcourse[p].second : 0.0},
                {"midcourse_forecast_learners", midcourse[p].second}};
        }
        m["calibration"] = calJson;

        json policies = json::array();
        for (auto p : c.policies) {
            std::vector<double> minutes, answers, truePass, passed, score, toTarget;
            std::vector<double> curveMinutes(static_cast<size_t>(c.days), 0.0),
                curvePass(static_cast<size_t>(c.days), 0.0);
            int n = 0;
            for (const LearnerRun* r : byPolicy[p]) {
                if (!r || r->minutes.empty())
                    continue;
                ++n;
                minutes.push_back(r->minutes.back());
                answers.push_back(static_cast<double>(r->answers));
                truePass.push_back(r->truePass.back());
                passed.push_back(r->passedExam ? 1.0 : 0.0);
                score.push_back(r->trueScore.back());
                toTarget.push_back(r->minutesToTarget.value_or(kInf));
                for (size_t d = 0; d < r->minutes.size() && d < curveMinutes.size(); ++d) {
                    curveMinutes[d] += r->minutes[d];
                    curvePass[d] += r->truePass[d];
                }
            }
            for (size_t d = 0; d < curveMinutes.size() && n > 0; ++d) {
                curveMinutes[d] /= n;
                curvePass[d] /= n;
            }
            int reached = 0;
            for (double t : toTarget)
                reached += std::isfinite(t) ? 1 : 0;
            policies.push_back({{"policy", policyName(p)},
                                {"learners", n},
                                {"mean_minutes", mean(minutes)},
                                {"mean_answers", mean(answers)},
                                {"mean_true_pass", mean(truePass)},
                                {"pass_rate", mean(passed)},
                                {"mean_true_score", mean(score)},
                                {"median_minutes_to_target", num(median(toTarget))},
                                {"reached_target", n > 0 ? static_cast<double>(reached) / n : 0.0},
                                {"curve", {{"minutes", curveMinutes}, {"true_pass", curvePass}}},
                                {"coverage", coverageSummary(byPolicy[p], result.domains, c.days)}});
        }
        m["policies"] = policies;

        json comparisons = json::array();
        bool efficiency = false;
        if (byPolicy.count(PolicyKind::Adaptive)) {
            const auto& a = byPolicy[PolicyKind::Adaptive];
            for (auto p : c.policies) {
                if (p == PolicyKind::Adaptive)
                    continue;
                const auto& b = byPolicy[p];
                std::vector<size_t> units;
                for (size_t l = 0; l < a.size(); ++l)
                    if (a[l] && b[l])
                        units.push_back(l);
                auto ratio = [&](const std::vector<size_t>& idx) {
                    std::vector<double> ma, mb;
                    for (size_t i : idx) {
                        ma.push_back(a[units[i]]->minutesToTarget.value_or(kInf));
                        mb.push_back(b[units[i]]->minutesToTarget.value_or(kInf));
                    }
                    const double x = median(ma);
                    double y = median(mb);
                    if (std::isinf(x) && std::isinf(y))
                        return std::numeric_limits<double>::quiet_NaN();
                    if (std::isinf(y)) {
                        // The baseline's median learner never reached the target: it needs more than the
                        // minutes it studied, so their median bounds the ratio from above.
                        std::vector<double> total;
                        for (size_t i : idx)
                            total.push_back(b[units[i]]->minutes.back());
                        y = median(total);
                    }
                    return x / y;
                };
                auto diff = [&](auto field) {
                    return [&, field](const std::vector<size_t>& idx) {
                        double s = 0;
                        for (size_t i : idx)
                            s += field(*a[units[i]]) - field(*b[units[i]]);
                        return idx.empty() ? 0.0 : s / static_cast<double>(idx.size());
                    };
                };
                const uint64_t seed = c.seed * 31 + static_cast<uint64_t>(p);
                const Interval r = bootstrap(units.size(), ratio, bootstrapReps, seed);
                std::vector<double> censored;
                for (size_t l : units)
                    censored.push_back(b[l]->minutesToTarget ? 0.0 : kInf);
                const bool bound = std::isinf(median(censored));
                const Interval savings{1 - r.estimate, 1 - r.hi, 1 - r.lo};
                const Interval tp =
                    bootstrap(units.size(), diff([](const LearnerRun& x) { return x.truePass.back(); }),
                              bootstrapReps, seed + 1);
                const Interval pr = bootstrap(
                    units.size(), diff([](const LearnerRun& x) { return x.passedExam ? 1.0 : 0.0; }),
                    bootstrapReps, seed + 2);
                comparisons.push_back({{"baseline", policyName(p)},
                                       {"learners", units.size()},
                                       {"minutes_ratio", interval(r)},
                                       {"baseline_median_censored", bound},
                                       {"savings", interval(savings)},
                                       {"true_pass_difference", interval(tp)},
                                       {"pass_rate_difference", interval(pr)}});
                if (p == PolicyKind::Fsrs)
                    efficiency =
                        (std::isfinite(savings.estimate) && savings.estimate >= kSavingsTarget) || tp.lo > 0;
            }
        }
        m["comparisons"] = comparisons;
        const bool eceMet = cal.points > 0 && cal.ece <= kEceTarget;
        m["targets"] = {{"ece_met", eceMet}, {"efficiency_met", efficiency}};
        allEce = allEce && eceMet;
        allEfficiency = allEfficiency && efficiency;
        models.push_back(m);
    }
    out["models"] = models;
    out["targets"] = {{"ece_max", kEceTarget},
                      {"savings_min", kSavingsTarget},
                      {"ece_met", allEce},
                      {"efficiency_met", allEfficiency}};
    return out;
}

std::string renderText(const json& s) {
    std::ostringstream o;
    const auto& c = s["config"];
    o << "retain-sim: " << c["learners"].get<int>() << " learners per model, " << c["days"].get<int>()
      << " days at " << fmt(c["minutes_per_day"], 0) << " min/day, seed " << c["seed"].get<uint64_t>()
      << ", target true pass probability " << fmt(c["target"], 2) << "\n";
    for (const auto& m : s["models"]) {
        const auto& cal = m["calibration"];
        o << "\n== ground truth: " << m["model"].get<std::string>()
          << (m.value("held_out", false) ? " (held out: Retain was never tuned against it)" : "") << " ==\n";
        o << "calibration of the predicted pass probability (" << cal["points"].get<int>()
          << " sittings): Brier " << fmt(cal["brier"]) << ", ECE " << fmt(cal["ece"])
          << " (target <= " << fmt(s["targets"]["ece_max"], 2) << "), mean predicted "
          << fmt(cal["mean_predicted"]) << ", observed " << fmt(cal["observed_rate"]) << "\n";
        for (const auto& [name, pc] : cal["by_policy"].items())
            o << "  " << name << ": " << pc["points"].get<int>() << " sittings, Brier " << fmt(pc["brier"])
              << ", ECE " << fmt(pc["ece"]) << ", mean predicted " << fmt(pc.value("mean_predicted", 0.0))
              << ", observed " << fmt(pc.value("observed_rate", 0.0))
              << ", 80 % interval covers the true probability " << fmt(pc.value("interval_coverage", 0.0))
              << " (target 0.75-0.85), exam-day forecast at mid-course off by "
              << fmt(pc.value("midcourse_forecast_mae", 0.0)) << " on average ("
              << pc.value("midcourse_forecast_learners", 0) << " learners; target <= 0.10)\n";
        o << "  reliability (bin: predicted -> observed, n):";
        for (const auto& b : cal["bins"])
            if (b["count"].get<int>() > 0)
                o << " [" << fmt(b["lo"], 1) << "," << fmt(b["hi"], 1) << "): " << fmt(b["mean_predicted"], 2)
                  << "->" << fmt(b["observed_rate"], 2) << " n=" << b["count"].get<int>() << ";";
        o << "\n";
        o << "policy      minutes  answers  true-pass  pass-rate  true-score  min-to-target  reached\n";
        for (const auto& p : m["policies"]) {
            std::string name = p["policy"].get<std::string>();
            name.resize(10, ' ');
            o << name << "  " << fmt(p["mean_minutes"], 0) << "     " << fmt(p["mean_answers"], 0) << "     "
              << fmt(p["mean_true_pass"]) << "      " << fmt(p["pass_rate"]) << "      "
              << fmt(p["mean_true_score"]) << "       " << fmt(p["median_minutes_to_target"], 0)
              << "          " << fmt(p["reached_target"], 2) << "\n";
        }
        o << coverageText(m["policies"], s.contains("exam") ? s["exam"]["domains"] : json::array());
        for (const auto& cmp : m["comparisons"]) {
            const auto& sv = cmp["savings"];
            const auto& tp = cmp["true_pass_difference"];
            const auto& pr = cmp["pass_rate_difference"];
            const bool bound = cmp["baseline_median_censored"].get<bool>();
            o << "adaptive vs " << cmp["baseline"].get<std::string>() << ": minutes to target saved "
              << (bound ? ">= " : "") << fmt(sv["estimate"]) << " [95% CI " << fmt(sv["lo"]) << ", "
              << fmt(sv["hi"]) << "]; true pass prob at equal minutes " << fmt(tp["estimate"]) << " ["
              << fmt(tp["lo"]) << ", " << fmt(tp["hi"]) << "]; pass rate " << fmt(pr["estimate"]) << " ["
              << fmt(pr["lo"]) << ", " << fmt(pr["hi"]) << "]\n";
        }
        o << "targets: ECE " << (m["targets"]["ece_met"].get<bool>() ? "met" : "NOT met") << ", efficiency "
          << (m["targets"]["efficiency_met"].get<bool>() ? "met" : "NOT met") << "\n";
    }
    return o.str();
}

}  // namespace retain::sim
