// retain_seed_demo: a demo learner for screenshots and trying the client, made only through the API.
// It studies the real content over simulated days (the daemon must run with --clock=simulated):
// each day a session of due and new items, flashcards graded and questions answered with a skill that
// grows over the weeks; a few days are skipped, as people do. Then one full mock exam is submitted
// and a practice mock is left in progress.
//
//   retain_seed_demo --daemon unix:PATH [--learner NAME] [--days N] [--per-day N]
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "rpc/client.h"

namespace {

namespace v1 = retain::v1;
constexpr int64_t kDayMs = 86'400'000;

bool check(bool ok, const std::string& what, const retain::rpc::RpcError& e) {
    if (!ok)
        std::fprintf(stderr, "retain_seed_demo: %s: %s\n", what.c_str(), e.format().c_str());
    return ok;
}

// The content-order indexes to choose: right with probability `skill`, else a wrong mix.
std::vector<uint32_t> pick(const v1::Item& item, uint32_t choose, double skill, std::mt19937& rng) {
    std::vector<uint32_t> right, wrong;
    for (int i = 0; i < item.options_size(); ++i)
        (item.options(i).correct() ? right : wrong).push_back(static_cast<uint32_t>(i));
    if (std::uniform_real_distribution<>(0, 1)(rng) < skill || wrong.empty())
        return right;
    std::vector<uint32_t> out(right.begin(), right.end());
    out.back() = wrong[rng() % wrong.size()];
    out.resize(std::max<size_t>(1, std::min<size_t>(out.size(), std::max<uint32_t>(1, choose))));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::string address, learnerName = "default";
    int days = 42, perDay = 28;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--daemon")
            address = argv[i + 1];
        else if (a == "--learner")
            learnerName = argv[i + 1];
        else if (a == "--days")
            days = std::stoi(argv[i + 1]);
        else if (a == "--per-day")
            perDay = std::stoi(argv[i + 1]);
        else {
            std::fprintf(stderr, "retain_seed_demo: unknown option %s\n", a.c_str());
            return 2;
        }
    }
    if (address.empty()) {
        std::fprintf(
            stderr, "usage: retain_seed_demo --daemon unix:PATH [--learner NAME] [--days N] [--per-day N]\n");
        return 2;
    }
    retain::rpc::Client c(address);
    if (!c.waitUntilServing(std::chrono::seconds(10))) {
        std::fprintf(stderr, "retain_seed_demo: no daemon at %s\n", address.c_str());
        return 1;
    }
    auto learner = c.ensureLearner(learnerName);
    if (!check(learner.ok(), "learner", learner ? retain::rpc::RpcError{} : learner.error()))
        return 1;
    const std::string id = learner->id();
    // A simulated clock starts at the system time: move it forward to learn that it is one, to 10:00 UTC
    // tomorrow, so that the days studied (and the streak the screenshots show) do not depend on the hour
    // the demo is made at.
    v1::SetClockRequest first;
    const int64_t wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    first.set_now_ms((wall / kDayMs + 1) * kDayMs + 10 * 3'600'000);
    auto clock = c.setClock(first);
    if (!check(clock.ok(), "the daemon must run with --clock=simulated",
               clock ? retain::rpc::RpcError{} : clock.error()))
        return 1;
    int64_t now = clock->now_ms();
    {
        v1::UpdateSettingsRequest u;
        u.set_learner_id(id);
        u.add_fields("display_name");
        u.mutable_settings()->set_display_name("Sam");
        u.add_fields("new_items_per_day");
        u.mutable_settings()->set_new_items_per_day(15);
        c.updateSettings(u);
    }
    std::mt19937 rng(7);
    int answers = 0;
    for (int day = 0; day < days; ++day) {
        const double skill = 0.5 + 0.35 * day / std::max(1, days - 1);
        if (day > 2 && rng() % 7 == 0) {  // a day off
            now += kDayMs;
            c.setClock([&] {
                v1::SetClockRequest r;
                r.set_now_ms(now);
                return r;
            }());
            continue;
        }
        v1::StartSessionRequest s;
        s.set_learner_id(id);
        s.set_mode(v1::DAILY_REVIEW);
        auto session = c.startSession(s);
        if (!check(session.ok(), "session", session ? retain::rpc::RpcError{} : session.error()))
            return 1;
        const int target = perDay / 2 + static_cast<int>(rng() % static_cast<unsigned>(perDay));
        for (int n = 0; n < target; ++n) {
            v1::NextItemRequest nr;
            nr.set_learner_id(id);
            nr.set_session_id(session->id());
            auto next = c.nextItem(nr);
            if (!next || next->finished())
                break;
            const v1::PresentedItem& p = next->item();
            v1::AnswerRequest a;
            a.set_learner_id(id);
            a.set_session_id(session->id());
            a.set_item_id(p.id());
            a.set_response_ms(4000 + static_cast<uint32_t>(rng() % 16000));
            if (p.kind() == v1::FLASHCARD) {
                const double u = std::uniform_real_distribution<>(0, 1)(rng);
                a.set_rating(u < 1 - skill - 0.05     ? v1::AGAIN
                             : u < 0.85 - skill * 0.2 ? v1::GOOD
                             : u < 0.93               ? v1::HARD
                                                      : v1::EASY);
                if (a.rating() == v1::HARD && u < 0.9)
                    a.set_rating(v1::GOOD);
            } else {
                v1::GetItemRequest g;
                g.set_item_id(p.id());
                auto item = c.getItem(g);
                if (!item)
                    break;
                for (uint32_t o : pick(item->item(), p.choose(), skill, rng))
                    a.add_chosen_options(o);
            }
            now += a.response_ms() + 3000;
            c.setClock([&] {
                v1::SetClockRequest r;
                r.set_now_ms(now);
                return r;
            }());
            if (c.answer(a))
                ++answers;
        }
        v1::EndSessionRequest e;
        e.set_learner_id(id);
        e.set_session_id(session->id());
        c.endSession(e);
        if (day == days - 4) {
            // A full mock exam, answered with the day's skill and submitted.
            v1::StartMockRequest m;
            m.set_learner_id(id);
            auto mock = c.startMock(m);
            if (!check(mock.ok(), "mock", mock ? retain::rpc::RpcError{} : mock.error()))
                return 1;
            for (const auto& q : mock->questions()) {
                v1::GetItemRequest g;
                g.set_item_id(q.item_id());
                auto item = c.getItem(g);
                if (!item || rng() % 40 == 0)
                    continue;  // one or two left unanswered
                v1::AnswerMockRequest a;
                a.set_learner_id(id);
                a.set_mock_id(mock->id());
                a.set_number(q.number());
                for (uint32_t o : pick(item->item(), q.choose(), skill + 0.05, rng))
                    a.add_chosen_options(o);
                c.answerMock(a);
                if (rng() % 9 == 0) {
                    v1::FlagQuestionRequest f;
                    f.set_learner_id(id);
                    f.set_mock_id(mock->id());
                    f.set_number(q.number());
                    f.set_flagged(true);
                    c.flagQuestion(f);
                }
                now += 90'000;
                c.setClock([&] {
                    v1::SetClockRequest r;
                    r.set_now_ms(now);
                    return r;
                }());
            }
            v1::SubmitMockRequest sub;
            sub.set_learner_id(id);
            sub.set_mock_id(mock->id());
            auto report = c.submitMock(sub);
            if (!check(report.ok(), "submit", report ? retain::rpc::RpcError{} : report.error()))
                return 1;
            std::printf("mock exam: scaled score %u (%s)\n", report->scaled_score(),
                        report->passed() ? "pass" : "fail");
        }
        // Tomorrow, at a slightly different hour.
        now += kDayMs - 2 * 3'600'000 + static_cast<int64_t>(rng() % 4) * 3'600'000;
        c.setClock([&] {
            v1::SetClockRequest r;
            r.set_now_ms(now);
            return r;
        }());
    }
    // A practice mock in progress: a few answered, one flagged.
    v1::StartMockRequest m;
    m.set_learner_id(id);
    m.set_questions(20);
    m.set_minutes(30);
    if (auto mock = c.startMock(m)) {
        for (int i = 0; i < 7 && i < mock->questions_size(); ++i) {
            const auto& q = mock->questions(i);
            v1::AnswerMockRequest a;
            a.set_learner_id(id);
            a.set_mock_id(mock->id());
            a.set_number(q.number());
            a.add_chosen_options(0);
            if (q.choose() > 1)
                a.add_chosen_options(1);
            c.answerMock(a);
        }
        v1::FlagQuestionRequest f;
        f.set_learner_id(id);
        f.set_mock_id(mock->id());
        f.set_number(4);
        f.set_flagged(true);
        c.flagQuestion(f);
    }
    v1::UpdateSettingsRequest u;
    u.set_learner_id(id);
    u.add_fields("exam_date");
    const auto examDay = std::chrono::sys_days{} + std::chrono::days((now + 40 * kDayMs) / kDayMs);
    const std::chrono::year_month_day ymd{examDay};
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    u.mutable_settings()->set_exam_date(date);
    c.updateSettings(u);
    std::printf("%d answers over %d days for learner %s\n", answers, days, learnerName.c_str());
    return 0;
}
