// retain-sim: simulated learners studying with Retain and with baseline policies; writes the
// calibration and efficiency report (text, JSON and a PNG figure).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

#include "core/content_loader.h"
#include "sim/plot.h"
#include "sim/report.h"
#include "sim/simulation.h"

#ifndef RETAIN_DEFAULT_CONTENT_DIR
#define RETAIN_DEFAULT_CONTENT_DIR "content"
#endif

int main(int argc, char** argv) {
    using namespace retain;
    CLI::App app{"retain-sim: simulated learners measure Retain's study efficiency and calibration"};
    sim::SimConfig config;
    config.contentDir = RETAIN_DEFAULT_CONTENT_DIR;
    std::string model = "actr,interference", policies = "all", out;
    int bootstrap = 2000;
    bool quiet = false;
    std::string replot;
    app.add_option("--learners", config.learners, "learners per ground-truth model")
        ->check(CLI::Range(1, 100000));
    app.add_option("--days", config.days, "study days until the exam")->check(CLI::Range(2, 3650));
    app.add_option("--minutes-per-day", config.minutesPerDay, "daily study budget")
        ->check(CLI::Range(1.0, 600.0));
    app.add_option("--seed", config.seed, "random seed (the same seed gives the same learners)");
    app.add_option(
        "--model", model,
        "comma-separated ground truths: actr,interference (the default: the models Retain was tuned "
        "against), hlr, dash, dash-wrongprior (held out), or all");
    app.add_option("--policies", policies, "comma-separated: adaptive,fsrs,random,sm2 or all");
    app.add_option("--checkpoint-every", config.checkpointEvery, "calibration sittings every N days")
        ->check(CLI::Range(1, 3650));
    app.add_option("--mock-every", config.mockEveryDays, "adaptive: a mock exam every N days (0: none)")
        ->check(CLI::Range(0, 3650));
    app.add_option("--new-items-per-day", config.newItemsPerDay,
                   "the learner's daily limit on new items (adaptive, fsrs and sm2; random order has none)")
        ->check(CLI::Range(1, 1000));
    app.add_option("--target", config.target, "true pass probability to reach")
        ->check(CLI::Range(0.01, 0.999));
    app.add_option("--jobs", config.jobs, "worker threads")->check(CLI::Range(1, 256));
    app.add_option("--bootstrap", bootstrap, "bootstrap resamples for the intervals")
        ->check(CLI::Range(0, 100000));
    app.add_option("--content", config.contentDir, "content directory");
    app.add_option(
        "--out", out,
        "directory for sim.json, sim.txt, sittings.csv and sim.png (default: print the text only)");
    app.add_flag("--quiet", quiet, "no progress on stderr");
    app.add_option("--replot", replot, "only redraw the figure of an earlier sim.json into --out");
    CLI11_PARSE(app, argc, argv);

    if (!replot.empty()) {
        std::ifstream in(replot);
        const auto summary = nlohmann::json::parse(in, nullptr, false);
        if (summary.is_discarded() || out.empty() || !sim::writePlot(summary, out + "/sim.png")) {
            std::cerr << "retain-sim: --replot needs a readable sim.json and --out\n";
            return 1;
        }
        return 0;
    }

    if (model == "all") {
        config.models = sim::allTruths();
    } else {
        config.models.clear();
        std::stringstream ss(model);
        for (std::string name; std::getline(ss, name, ',');) {
            sim::TruthKind k;
            if (!sim::parseTruth(name, &k)) {
                std::cerr << "retain-sim: unknown model \"" << name
                          << "\" (actr, interference, hlr, dash, dash-wrongprior or all)\n";
                return 2;
            }
            if (std::find(config.models.begin(), config.models.end(), k) != config.models.end()) {
                std::cerr << "retain-sim: model \"" << name << "\" given twice\n";
                return 2;
            }
            config.models.push_back(k);
        }
        if (config.models.empty()) {
            std::cerr << "retain-sim: --model is empty\n";
            return 2;
        }
    }
    if (policies != "all") {
        config.policies.clear();
        std::stringstream ss(policies);
        for (std::string name; std::getline(ss, name, ',');) {
            sim::PolicyKind k;
            if (!sim::parsePolicy(name, &k)) {
                std::cerr << "retain-sim: unknown policy \"" << name << "\" (adaptive, fsrs, random, sm2)\n";
                return 2;
            }
            config.policies.push_back(k);
        }
    }
    auto loaded = core::loadContent(config.contentDir);
    if (!loaded.pack) {
        for (const auto& e : loaded.errors)
            std::cerr << e.format() << "\n";
        std::cerr << "retain-sim: cannot load content from " << config.contentDir << "\n";
        return 1;
    }
    std::mutex mutex;
    auto progress = [&](int done, int total) {
        if (quiet)
            return;
        std::lock_guard lock(mutex);
        std::cerr << "\rretain-sim: " << done << "/" << total << " learners" << (done == total ? "\n" : "")
                  << std::flush;
    };
    const auto result = sim::simulate(config, *loaded.pack, progress);
    if (!result.error.empty()) {
        std::cerr << "retain-sim: " << result.error << "\n";
        return 1;
    }
    const auto summary = sim::summarize(result, bootstrap);
    const std::string text = sim::renderText(summary);
    std::cout << text;
    if (!out.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(out, ec);
        std::ofstream(out + "/sim.json") << summary.dump(2) << "\n";
        std::ofstream(out + "/sim.txt") << text;
        // Every calibration sitting, for analysis beyond the summary.
        std::ofstream csv(out + "/sittings.csv");
        csv << "model,policy,learner,day,predicted,true_pass,passed,predicted_low,predicted_high,"
               "exam_forecast,exam_true_pass\n";
        for (const auto& r : result.runs)
            for (const auto& p : r.points) {
                csv << sim::truthName(r.model) << ',' << sim::policyName(r.policy) << ',' << r.learner << ','
                    << p.day << ',' << p.predicted << ',' << p.truePass << ',' << (p.passed ? 1 : 0) << ','
                    << p.low << ',' << p.high << ',';
                if (p.forecast >= 0)
                    csv << p.forecast;
                csv << ',' << (r.truePass.empty() ? 0.0 : r.truePass.back()) << '\n';
            }
        if (!sim::writePlot(summary, out + "/sim.png")) {
            std::cerr << "retain-sim: cannot write " << out << "/sim.png\n";
            return 1;
        }
        std::cerr << "retain-sim: wrote " << out << "/sim.json, sim.txt, sittings.csv and sim.png\n";
    }
    return 0;
}
