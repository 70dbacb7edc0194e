// retainctl today | retainctl review — study from a terminal.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>

#include "cli/commands.h"

namespace retain::cli {
namespace {

std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t\r\n"));
    s.erase(s.find_last_not_of(" \t\r\n") + 1);
    return s;
}

// Reads one line; false at end of input.
bool prompt(const std::string& text, std::string& line) {
    std::cout << text << std::flush;
    if (!std::getline(std::cin, line))
        return false;
    line = trim(line);
    return true;
}

std::string interval(uint32_t days) {
    if (days < 30)
        return std::to_string(days) + "d";
    if (days < 365)
        return std::to_string(days / 30) + "mo";
    return std::to_string(days / 365) + "y";
}

void printSummary(const v1::SessionSummary& s) {
    std::cout << "\nSession summary: " << s.answered() << " answered, " << s.correct() << " correct, "
              << s.new_items() << " new; again " << s.again() << ", hard " << s.hard() << ", good "
              << s.good() << ", easy " << s.easy() << "; " << std::fixed << std::setprecision(1)
              << s.seconds() / 60.0 << " min\n";
    for (const auto& c : s.mastery_changes())
        std::cout << "  " << c.task_statement() << ": mastery " << std::setprecision(0) << c.before() * 100
                  << "% -> " << c.after() * 100 << "%\n";
}

}  // namespace

void registerStudyCommands(CLI::App& app, Globals& g, int& exitCode) {
    app.add_subcommand("today", "due and new counts, time estimate, streak and exam countdown")
        ->callback([&] {
            auto client = g.connect();
            auto who = client->ensureLearner(g.learner);
            if (!who) {
                exitCode = fail(who.error());
                return;
            }
            v1::GetTodayRequest req;
            req.set_learner_id(who->id());
            auto r = client->today(req);
            if (!r) {
                exitCode = fail(r.error());
                return;
            }
            if (g.json) {
                std::cout << toJson(*r) << '\n';
                return;
            }
            std::cout << r->today() << " — " << r->exam_code() << "\n  due: " << r->due()
                      << ", new available: " << r->new_available()
                      << ", worth reviewing early: " << r->ahead_available() << ", about " << std::fixed
                      << std::setprecision(0) << r->estimated_minutes()
                      << " min\n  streak: " << r->current_streak()
                      << " day(s); reviewed today: " << r->reviewed_today()
                      << "\n  items seen: " << r->items_seen() << " of " << r->items_total() << '\n';
            if (!r->exam_date().empty())
                std::cout << "  exam on " << r->exam_date() << " (" << r->days_to_exam() << " days)\n";
            if (!r->plan().empty())
                std::cout << "  plan: " << r->plan() << '\n';
            if (!r->status().empty())
                std::cout << "  " << r->status() << '\n';
        });

    static std::string readinessDate;
    static bool readinessHistory = false;
    auto* readiness =
        app.add_subcommand("readiness", "the chance of passing on a date, per-domain outlook, what to study");
    readiness->add_option("--date", readinessDate, "YYYY-MM-DD (default: the exam date, else today)");
    readiness->add_flag("--history", readinessHistory, "readiness at the end of each past study day instead");
    readiness->callback([&] {
        auto client = g.connect();
        auto who = client->ensureLearner(g.learner);
        if (!who) {
            exitCode = fail(who.error());
            return;
        }
        if (readinessHistory) {
            v1::GetReadinessHistoryRequest req;
            req.set_learner_id(who->id());
            auto r = client->readinessHistory(req);
            if (!r) {
                exitCode = fail(r.error());
                return;
            }
            if (g.json) {
                std::cout << toJson(*r) << '\n';
                return;
            }
            for (const auto& p : r->points())
                std::cout << p.date() << "  "
                          << (p.enough_evidence()
                                  ? std::to_string(
                                        static_cast<int>(std::lround(p.pass_probability() * 100))) +
                                        "% pass, ~" +
                                        std::to_string(static_cast<int>(std::lround(p.scaled_score()))) +
                                        (p.has_exam_date_pass_probability()
                                             ? "; exam date if the plan is kept " +
                                                   std::to_string(static_cast<int>(
                                                       std::lround(p.exam_date_pass_probability() * 100))) +
                                                   "%"
                                             : std::string())
                                  : std::string("not enough evidence"))
                          << '\n';
            return;
        }
        v1::GetReadinessRequest req;
        req.set_learner_id(who->id());
        req.set_date(readinessDate);
        auto r = client->readiness(req);
        if (!r) {
            exitCode = fail(r.error());
            return;
        }
        if (g.json) {
            std::cout << toJson(*r) << '\n';
            return;
        }
        std::cout << "Readiness on " << r->date();
        if (r->has_today())
            std::cout << " if you keep to your plan (about " << r->planned_new_items() << " new items and "
                      << r->planned_answers() << " answers by then)";
        std::cout << '\n';
        if (!r->enough_evidence()) {
            std::cout << "  not enough evidence yet:\n";
            for (const auto& m : r->missing())
                std::cout << "  - " << m << '\n';
            return;
        }
        std::cout << std::fixed << std::setprecision(0)
                  << "  pass probability: " << r->pass_probability() * 100 << "% (80% interval "
                  << r->pass_probability_low() * 100 << "-" << r->pass_probability_high() * 100 << "%)\n";
        if (r->has_today())
            std::cout << "  if you sat it today (" << r->today().date()
                      << "): " << r->today().pass_probability() * 100 << "% (80% interval "
                      << r->today().pass_probability_low() * 100 << "-"
                      << r->today().pass_probability_high() * 100 << "%)\n";
        std::cout << "  scaled score: about " << r->scaled_score() << " (80% interval "
                  << r->scaled_score_low() << "-" << r->scaled_score_high() << "; pass at "
                  << r->passing_scaled_score() << ")\n";
        for (const auto& d : r->domains())
            std::cout << "  " << d.domain_id() << " " << std::left << std::setw(48) << d.name() << std::right
                      << (d.meets() ? "meets competencies" : "needs improvement") << " ("
                      << d.expected_fraction() * 100 << "% expected)\n";
        if (!r->recommendations().empty())
            std::cout << "  study next:\n";
        for (const auto& rec : r->recommendations())
            std::cout << "  - " << rec.task_statement() << " " << rec.title() << " (+" << std::setprecision(1)
                      << rec.pass_probability_gain() * 100 << " points)\n";
        std::cout << "  Assumption: " << r->assumption_note() << '\n';
    });

    static std::string mode = "daily", scope;
    static int minutes = 0;
    auto* review = app.add_subcommand(
        "review", "study in the terminal: Enter reveals, 1-4 grades, letters answer, u undoes, q quits");
    review->add_option("--mode", mode, "daily, drill or mistakes")
        ->check(CLI::IsMember({"daily", "drill", "mistakes"}));
    review->add_option("--scope", scope, "drill: a domain (3) or task statement (3.2)");
    review->add_option("--minutes", minutes, "session length in minutes")->check(CLI::Range(1, 600));
    review->callback([&] {
        auto client = g.connect();
        auto who = client->ensureLearner(g.learner);
        if (!who) {
            exitCode = fail(who.error());
            return;
        }
        v1::StartSessionRequest start;
        start.set_learner_id(who->id());
        start.set_mode(mode == "drill"      ? v1::DRILL
                       : mode == "mistakes" ? v1::REVIEW_MISTAKES
                                            : v1::DAILY_REVIEW);
        start.set_scope(scope);
        start.set_minutes(static_cast<uint32_t>(minutes));
        auto session = client->startSession(start);
        if (!session) {
            exitCode = fail(session.error());
            return;
        }
        std::cout << "Session: " << session->planned_reviews() << " reviews, " << session->planned_new()
                  << " new, about " << std::fixed << std::setprecision(0) << session->estimated_minutes()
                  << " min\n";
        const std::string lid = who->id(), sid = session->id();
        std::string line;
        bool quit = false;
        while (!quit) {
            v1::NextItemRequest nreq;
            nreq.set_learner_id(lid);
            nreq.set_session_id(sid);
            auto next = client->nextItem(nreq);
            if (!next) {
                exitCode = fail(next.error());
                break;
            }
            if (next->finished()) {
                std::cout << "\nDone: " << next->finished_reason() << '\n';
                break;
            }
            const auto& item = next->item();
            const auto shown = std::chrono::steady_clock::now();
            std::cout << "\n[" << next->done() + 1 << "/" << next->done() + next->remaining() << "] "
                      << item.task_statement() << (item.is_new() ? " · new" : "")
                      << (item.is_leech() ? " · LEECH" : "") << "\n"
                      << item.prompt() << '\n';
            // A leech's explanation comes after the answer, never before: for some cards it is the answer.
            const auto leechNote = [&item] {
                if (item.is_leech() && !item.leech_explanation().empty())
                    std::cout << "  (you keep missing this one) " << item.leech_explanation() << '\n';
            };
            v1::AnswerRequest areq;
            areq.set_learner_id(lid);
            areq.set_session_id(sid);
            areq.set_item_id(item.id());
            if (item.kind() == v1::FLASHCARD) {
                if (!prompt("  [Enter] reveal, u undo, q quit > ", line) || line == "q")
                    break;
                if (line == "u") {
                    v1::UndoRequest u;
                    u.set_learner_id(lid);
                    u.set_session_id(sid);
                    auto r = client->undo(u);
                    std::cout << (r ? "  undone: " + r->item_id() : "  " + r.error().message) << '\n';
                    continue;
                }
                // Reveal the back, then grade: grading blind would make the grade a guess.
                v1::GetItemRequest back;
                back.set_item_id(item.id());
                auto card = client->getItem(back);
                if (!card) {
                    exitCode = fail(card.error());
                    break;
                }
                std::cout << "  ---\n  " << card->item().answer() << '\n';
                leechNote();
                int grade = 0;
                while (grade < 1 || grade > 4) {
                    std::ostringstream p;
                    p << "  grade 1 again (" << interval(next->interval_days(0)) << ")  2 hard ("
                      << interval(next->interval_days(1)) << ")  3 good (" << interval(next->interval_days(2))
                      << ")  4 easy (" << interval(next->interval_days(3)) << ") > ";
                    if (!prompt(p.str(), line) || line == "q") {
                        quit = true;
                        break;
                    }
                    if (line.size() == 1)
                        grade = line[0] - '0';
                }
                if (quit)
                    break;
                areq.set_rating(static_cast<v1::Rating>(grade));
            } else {
                for (int i = 0; i < item.options_size(); ++i)
                    std::cout << "  " << static_cast<char>('A' + i) << ") " << item.options(i) << '\n';
                if (item.choose() > 1)
                    std::cout << "  (choose " << item.choose() << ")\n";
                bool valid = false;
                while (!valid) {
                    if (!prompt("  answer (letters), u undo, q quit > ", line) || line == "q") {
                        quit = true;
                        break;
                    }
                    if (line == "u")
                        break;
                    areq.clear_chosen_options();
                    valid = !line.empty();
                    for (char c : line) {
                        const int idx = std::toupper(static_cast<unsigned char>(c)) - 'A';
                        if (idx < 0 || idx >= item.options_size()) {
                            valid = false;
                            break;
                        }
                        areq.add_chosen_options(item.option_index(idx));
                    }
                    if (!valid)
                        std::cout << "  type the letters of your choice, e.g. B or AC\n";
                }
                if (quit)
                    break;
                if (line == "u") {
                    v1::UndoRequest u;
                    u.set_learner_id(lid);
                    u.set_session_id(sid);
                    auto r = client->undo(u);
                    std::cout << (r ? "  undone: " + r->item_id() : "  " + r.error().message) << '\n';
                    continue;
                }
            }
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - shown)
                                .count();
            areq.set_response_ms(static_cast<uint32_t>(std::clamp<long long>(ms, 1, 3600000)));
            auto ans = client->answer(areq);
            if (!ans) {
                exitCode = fail(ans.error());
                break;
            }
            if (item.kind() != v1::FLASHCARD) {
                std::cout << (ans->correct() ? "  Correct." : "  Not quite.") << '\n';
                for (int i = 0; i < item.options_size(); ++i) {
                    const uint32_t idx = item.option_index(i);
                    const bool right =
                        std::count(ans->correct_options().begin(), ans->correct_options().end(), idx) > 0;
                    std::cout << "  " << static_cast<char>('A' + i) << (right ? " ✓ " : "   ")
                              << ans->option_explanations(static_cast<int>(idx)) << '\n';
                }
                leechNote();
            }
            std::cout << "  " << ans->explanation() << "\n  next review in " << interval(ans->interval_days())
                      << " (" << ans->due_date() << ")\n";
            for (const auto& ref : ans->references())
                std::cout << "  see: " << ref.title() << " " << ref.url() << '\n';
            if (!ans->as_of().empty())
                std::cout << "  (service availability as of " << ans->as_of() << ")\n";
        }
        v1::EndSessionRequest end;
        end.set_learner_id(lid);
        end.set_session_id(sid);
        auto summary = client->endSession(end);
        if (!summary) {
            exitCode = fail(summary.error());
            return;
        }
        if (g.json)
            std::cout << toJson(*summary) << '\n';
        else
            printSummary(*summary);
    });
}

}  // namespace retain::cli
