#include "sim/simulation.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace retain::sim {
namespace {

uint64_t mix(uint64_t x) {  // splitmix64
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t seedFor(uint64_t seed, TruthKind model, int learner, uint64_t salt) {
    // dash-wrongprior: the same learners and random streams as dash, on another population.
    if (model == TruthKind::DashWrongPrior)
        model = TruthKind::Dash;
    return mix(mix(mix(seed) ^ (static_cast<uint64_t>(model) + 1)) ^ static_cast<uint64_t>(learner)) ^ salt;
}

std::string defaultWorkDir() {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path shm = "/dev/shm";
    const fs::path base =
        fs::is_directory(shm, ec) && access(shm.c_str(), W_OK) == 0 ? shm : fs::temp_directory_path(ec);
    return (base / ("retain-sim-" + std::to_string(getpid()))).string();
}

// One learner under one model: every policy from the same starting state and random streams.
std::vector<LearnerRun> runLearner(const SimConfig& c, const Population& pop, const CoverageLayout& layout,
                                   TruthKind model, int learner, const std::string& workDir,
                                   std::string* error) {
    std::vector<LearnerRun> out;
    const uint64_t learnerSeed = seedFor(c.seed, model, learner, 0);
    for (PolicyKind kind : c.policies) {
        PolicyOptions o;
        o.contentDir = c.contentDir;
        o.workDir = workDir + "/" + truthName(model) + "-" + std::to_string(learner);
        o.examDay = c.days - 1;
        o.minutesPerDay = c.minutesPerDay;
        o.mockEveryDays = c.mockEveryDays;
        o.newItemsPerDay = c.newItemsPerDay;
        auto policy = makePolicy(kind, *pop.pack, o, seedFor(c.seed, model, learner, 0xfeed), error);
        if (!policy)
            return {};
        auto truth = makeLearner(model, pop, learnerSeed);
        CoverageRecorder observed(*truth, &pop, layout);  // the policy studies through it
        std::mt19937_64 answers(seedFor(c.seed, model, learner, 0xa11));
        LearnerRun run;
        run.model = model;
        run.policy = kind;
        run.learner = learner;
        const double start = truth->exam(0).passProbability;
        double bank = 0, total = 0;
        for (int day = 0; day < c.days; ++day) {
            bank += c.minutesPerDay;
            observed.beginDay(day);
            const double used = policy->studyDay(day, bank, observed, answers);
            observed.endDay();
            bank -= used;
            total += used;
            const double end = day + 1.0 - 1e-6;  // the end of the study day
            const auto t = truth->exam(end);
            run.minutes.push_back(total);
            run.truePass.push_back(t.passProbability);
            run.trueScore.push_back(t.expectedScore);
            const bool last = day == c.days - 1;
            if (last || (c.checkpointEvery > 0 && (day + 1) % c.checkpointEvery == 0)) {
                std::mt19937_64 sitting(seedFor(c.seed, model, learner, 0xe0 + static_cast<uint64_t>(day)));
                const bool passed = truth->sitExam(end, sitting);
                if (last)
                    run.passedExam = passed;
                if (auto p = policy->predictedPass(day)) {
                    const auto f = last ? std::nullopt : policy->forecastPass(day, c.days - 1);
                    run.points.push_back(
                        {day, p->pass, passed, t.passProbability, p->low, p->high, f ? *f : -1.0});
                }
            }
        }
        run.minutesToTarget = minutesToReach(run.minutes, run.truePass, c.target, start);
        run.answers = policy->answers();
        run.coverage = observed.coverage();
        out.push_back(std::move(run));
    }
    return out;
}

}  // namespace

std::optional<double> minutesToReach(const std::vector<double>& minutes, const std::vector<double>& pass,
                                     double target, double start) {
    double prevMinutes = 0, prevPass = start;
    if (start >= target)
        return 0.0;
    for (size_t i = 0; i < minutes.size() && i < pass.size(); ++i) {
        if (pass[i] >= target) {
            const double f = pass[i] > prevPass ? (target - prevPass) / (pass[i] - prevPass) : 1.0;
            return prevMinutes + f * (minutes[i] - prevMinutes);
        }
        prevMinutes = minutes[i];
        prevPass = pass[i];
    }
    return std::nullopt;
}

SimResult simulate(const SimConfig& config, const core::ContentPack& pack,
                   const std::function<void(int, int)>& progress) {
    SimResult result;
    result.config = config;
    const core::Exam* exam = pack.defaultExam();
    if (!exam) {
        result.error = "the content pack has no exam";
        return result;
    }
    // One population per model (dash-wrongprior has its own item difficulties).
    std::vector<Population> pops;
    for (TruthKind m : config.models)
        pops.push_back(Population::forModel(m, pack, *exam, config.seed));
    const CoverageLayout layout = CoverageLayout::of(*exam, pack);
    result.domains = layout.domains;
    const std::string workDir = config.workDir.empty() ? defaultWorkDir() : config.workDir;
    struct Task {
        TruthKind model;
        const Population* pop;
        int learner;
    };
    std::vector<Task> tasks;
    for (size_t k = 0; k < config.models.size(); ++k)
        for (int l = 0; l < config.learners; ++l)
            tasks.push_back({config.models[k], &pops[k], l});
    std::vector<std::vector<LearnerRun>> done(tasks.size());
    std::atomic<size_t> next{0};
    std::atomic<int> finished{0};
    std::mutex errorMutex;
    auto worker = [&] {
        for (size_t i; (i = next++) < tasks.size();) {
            std::string error;
            done[i] =
                runLearner(config, *tasks[i].pop, layout, tasks[i].model, tasks[i].learner, workDir, &error);
            if (!error.empty()) {
                std::lock_guard lock(errorMutex);
                result.error = error;
            }
            if (progress)
                progress(++finished, static_cast<int>(tasks.size()));
        }
    };
    std::vector<std::thread> threads;
    for (int j = 1; j < std::max(1, config.jobs); ++j)
        threads.emplace_back(worker);
    worker();
    for (auto& t : threads)
        t.join();
    std::error_code ec;
    std::filesystem::remove_all(workDir, ec);
    for (auto& runs : done)
        for (auto& r : runs)
            result.runs.push_back(std::move(r));
    return result;
}

}  // namespace retain::sim
