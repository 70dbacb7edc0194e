// The adaptive policy: Retain's own engine in process, on a throw-away database and a simulated clock.
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/clock.h"
#include "core/content_loader.h"
#include "core/study_day.h"
#include "engine/engine.h"
#include "sim/policy_support.h"
#include "storage/sqlite.h"

namespace retain::sim {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::retain::v1;

// Options the learner picks to answer a question right (the correct set) or wrong (one wrong swap).
std::vector<uint32_t> choose(const v1::Item& item, bool correct) {
    std::vector<uint32_t> right, wrong;
    for (int i = 0; i < item.options_size(); ++i)
        (item.options(i).correct() ? right : wrong).push_back(static_cast<uint32_t>(i));
    if (correct || wrong.empty() || right.empty())
        return right;
    if (item.kind() == v1::MULTIPLE_CHOICE)
        return {wrong.front()};
    right.back() = wrong.front();
    return right;
}

class AdaptivePolicy final : public Policy {
public:
    AdaptivePolicy(const core::ContentPack& pack, const PolicyOptions& o)
        : m_pack(pack), m_options(o), m_clock(simulationStartMs()) {}

    ~AdaptivePolicy() override {
        m_engine.reset();
        std::error_code ec;
        fs::remove_all(m_options.workDir, ec);
    }

    bool open(std::string* error) {
        auto loaded = core::loadContent(m_options.contentDir);
        if (!loaded.pack) {
            *error = "cannot load content from " + m_options.contentDir;
            return false;
        }
        engine::EngineConfig config;
        config.dataDir = m_options.workDir;
        config.contentDir = m_options.contentDir;
        auto e = engine::Engine::open(config, std::move(*loaded.pack), m_clock);
        if (!e) {
            *error = e.error().message;
            return false;
        }
        m_engine = std::move(*e);
        // A simulation needs no durability; the engine's logic is the same.
        (void)m_engine->store().database().exec("PRAGMA synchronous=OFF");
        v1::CreateLearnerRequest req;
        req.set_name("simulated");
        auto* s = req.mutable_settings();
        s->set_exam_date(core::StudyDayClock::isoDate(simulationStartDay() + m_options.examDay));
        s->set_minutes_per_day(static_cast<uint32_t>(std::lround(m_options.minutesPerDay)));
        s->set_new_items_per_day(static_cast<uint32_t>(m_options.newItemsPerDay));
        auto learner = m_engine->createLearner(req);
        if (!learner) {
            *error = learner.error().message;
            return false;
        }
        m_learnerId = learner->id();
        return true;
    }

    PolicyKind kind() const override { return PolicyKind::Adaptive; }

    double studyDay(int day, double budget, Learner& learner, std::mt19937_64& rng) override {
        double used = 0;
        setClock(day, used);
        if (m_options.mockEveryDays > 0 && day > 0 && day % m_options.mockEveryDays == 0)
            used += takeMock(day, learner, rng);
        for (int sessions = 0; used < budget && sessions < 20; ++sessions) {
            v1::StartSessionRequest start;
            start.set_learner_id(m_learnerId);
            start.set_mode(v1::DAILY_REVIEW);
            start.set_minutes(static_cast<uint32_t>(std::clamp(std::ceil(budget - used), 1.0, 600.0)));
            auto session = m_engine->startSession(start);
            if (!session)
                break;
            int answered = 0;
            while (used < budget) {
                v1::NextItemRequest next;
                next.set_learner_id(m_learnerId);
                next.set_session_id(session->id());
                auto n = m_engine->nextItem(next);
                if (!n || n->finished())
                    break;
                const auto* ref = m_pack.item(n->item().id());
                if (!ref)
                    break;
                const Outcome o = learner.study(ref->index, studyTime(day, used), rng);
                used += o.minutes;
                setClock(day, used);
                v1::AnswerRequest a;
                a.set_learner_id(m_learnerId);
                a.set_session_id(session->id());
                a.set_item_id(ref->item->id());
                a.set_response_ms(responseMs(o.minutes));
                if (ref->item->kind() == v1::FLASHCARD)
                    a.set_rating(o.correct ? v1::GOOD : v1::AGAIN);
                else
                    for (uint32_t c : choose(*ref->item, o.correct))
                        a.add_chosen_options(c);
                if (!m_engine->answer(a))
                    break;
                ++answered;
                ++m_answers;
            }
            v1::EndSessionRequest end;
            end.set_learner_id(m_learnerId);
            end.set_session_id(session->id());
            (void)m_engine->endSession(end);
            if (answered == 0)
                break;
        }
        return used;
    }

    std::optional<Prediction> predictedPass(int day) override {
        const auto r =
            m_engine->readiness(m_learnerId, core::StudyDayClock::isoDate(simulationStartDay() + day));
        if (!r || !r->enough_evidence())
            return std::nullopt;
        return Prediction{r->pass_probability(), r->pass_probability_low(), r->pass_probability_high()};
    }

    std::optional<double> forecastPass(int day, int examDay) override {
        (void)day;  // the engine's clock is at the end of the day already
        const auto r =
            m_engine->readiness(m_learnerId, core::StudyDayClock::isoDate(simulationStartDay() + examDay));
        if (!r || !r->enough_evidence())
            return std::nullopt;
        return r->pass_probability();
    }

    uint64_t answers() const override { return m_answers; }

private:
    static uint32_t responseMs(double minutes) {
        return static_cast<uint32_t>(std::clamp(minutes * 60'000, 1000.0, 3'600'000.0));
    }

    void setClock(int day, double used) {
        const int64_t ms = simulationStartMs() + day * 86'400'000LL + static_cast<int64_t>(used * 60'000);
        m_clock.set(std::max(ms, m_clock.nowMs() + 1));
    }

    // A full mock exam under exam conditions; its answers feed memory and knowledge like the product's.
    double takeMock(int day, Learner& learner, std::mt19937_64& rng) {
        v1::StartMockRequest start;
        start.set_learner_id(m_learnerId);
        auto mock = m_engine->startMock(start);
        if (!mock)
            return 0;
        double used = 0;
        for (const auto& q : mock->questions()) {
            const auto* ref = m_pack.item(q.item_id());
            if (!ref)
                continue;
            const Outcome o = learner.study(ref->index, studyTime(day, used), rng);
            used += o.minutes;
            setClock(day, used);
            v1::AnswerMockRequest a;
            a.set_learner_id(m_learnerId);
            a.set_mock_id(mock->id());
            a.set_number(q.number());
            for (uint32_t c : choose(*ref->item, o.correct))
                a.add_chosen_options(c);
            (void)m_engine->answerMock(a);
            ++m_answers;
        }
        (void)m_engine->submitMock(m_learnerId, mock->id());
        return used;
    }

    const core::ContentPack& m_pack;
    PolicyOptions m_options;
    core::SimulatedClock m_clock;
    std::unique_ptr<engine::Engine> m_engine;
    std::string m_learnerId;
    uint64_t m_answers = 0;
};

}  // namespace

std::unique_ptr<Policy> makeAdaptivePolicy(const core::ContentPack& pack, const PolicyOptions& options,
                                           std::string* error) {
    auto p = std::make_unique<AdaptivePolicy>(pack, options);
    if (!p->open(error))
        return nullptr;
    return p;
}

}  // namespace retain::sim
