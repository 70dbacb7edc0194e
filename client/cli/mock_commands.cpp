// retainctl mock start|show|answer|flag|pause|resume|submit|report|list — timed mock exams in the terminal.
#include <iomanip>
#include <iostream>

#include "cli/commands.h"

namespace retain::cli {
namespace {

// Options are shown shuffled: the content-order index of the option shown at `shown`.
uint32_t contentIndex(const v1::MockQuestion& q, int shown) {
    return shown < q.option_index_size() ? q.option_index(shown) : static_cast<uint32_t>(shown);
}

void printQuestions(const v1::MockExam& m) {
    std::cout << "Mock " << m.id() << " (" << m.exam_code() << "): " << m.questions_size() << " questions, "
              << m.seconds_left() / 60 << " min left" << (m.paused() ? " (paused)" : "")
              << (m.exam_conditions() ? "" : "; not under exam conditions") << "\n";
    for (const auto& q : m.questions()) {
        std::cout << "\n" << q.number() << (q.flagged() ? " [flagged]" : "") << ". " << q.prompt() << '\n';
        for (int i = 0; i < q.options_size(); ++i) {
            const bool chosen = std::find(q.chosen_options().begin(), q.chosen_options().end(),
                                          contentIndex(q, i)) != q.chosen_options().end();
            std::cout << "   " << (chosen ? '*' : ' ') << static_cast<char>('A' + i) << ") " << q.options(i)
                      << '\n';
        }
    }
    std::cout << "\nanswered " << m.answered() << " of " << m.questions_size() << ", flagged " << m.flagged()
              << '\n';
}

// A mock in `mock list`: open, a full form's scaled score, or a practice form's raw score.
std::string listedResult(const v1::ListMocksResponse::Entry& m) {
    const char* conditions = m.exam_conditions() ? "" : " (not under exam conditions)";
    if (!m.submitted())
        return std::string("open") + conditions;
    if (!m.full_form())
        return std::to_string(m.scored_correct()) + "/" + std::to_string(m.scored_total()) +
               " right (practice form)";
    return std::to_string(m.scaled_score()) + (m.passed() ? " pass" : " fail") + conditions;
}

void printReport(const v1::MockReport& r, bool full) {
    if (r.full_form())
        std::cout << "Mock " << r.mock_id() << ": scaled score about " << r.scaled_score() << " — "
                  << (r.passed() ? "PASS" : "FAIL") << " (pass at " << r.passing_scaled_score() << "); ";
    else
        std::cout << "Practice mock " << r.mock_id()
                  << " (shorter than the exam: no scaled score or pass/fail; "
                  << "its answers count toward readiness): ";
    std::cout << r.scored_correct() << " of " << r.scored_total() << " scored questions right"
              << (r.timed_out() ? "; time ran out" : "")
              << (r.exam_conditions() || !r.full_form() ? "" : "; not under exam conditions") << '\n';
    for (const auto& d : r.domains())
        std::cout << "  " << d.domain_id() << " " << std::left << std::setw(48) << d.name() << std::right
                  << (!r.full_form() ? ""
                      : d.meets()    ? "meets competencies "
                                     : "needs improvement ")
                  << "(" << d.correct() << "/" << d.total() << ")\n";
    if (r.full_form())  // the note is about scaled scores
        std::cout << "  " << r.assumption_note() << '\n';
    if (!full)
        return;
    for (const auto& q : r.review()) {
        std::cout << "\n"
                  << q.number() << ". " << (q.correct() ? "right" : "wrong")
                  << (q.scored() ? "" : " (unscored)") << (q.flagged() ? " [flagged]" : "") << "\n   "
                  << q.item().prompt() << '\n';
        // In the order they were shown (recorded with the mock), lettered as they were.
        for (int i = 0; i < q.item().options_size(); ++i) {
            const int idx = i < q.option_order_size() ? static_cast<int>(q.option_order(i)) : i;
            if (idx >= q.item().options_size())
                continue;
            const auto& o = q.item().options(idx);
            const bool chosen = std::find(q.chosen_options().begin(), q.chosen_options().end(),
                                          static_cast<uint32_t>(idx)) != q.chosen_options().end();
            std::cout << "   " << (chosen ? '*' : ' ') << static_cast<char>('A' + i)
                      << (o.correct() ? " ✓ " : "   ") << o.text() << "\n        " << o.explanation() << '\n';
        }
    }
}

bool g_fullReport = false;
void printFullReport(const v1::MockReport& r) {
    printReport(r, g_fullReport);
}

}  // namespace

void registerMockCommands(CLI::App& app, Globals& g, int& exitCode) {
    auto* mock = app.add_subcommand("mock", "timed mock exams in the real format");
    mock->require_subcommand(1);
    static std::string id, letters;
    static uint32_t number = 0, questions = 0, minutes = 0;

    // Callbacks run after this function returns: they use only statics, `g` and `exitCode`.
    auto* start = mock->add_subcommand(
        "start", "draw a form and start the clock (65 questions, 180 minutes for MLS-C01)");
    start->add_option("--questions", questions, "a shorter practice form");
    start->add_option("--minutes", minutes, "a different time limit (not exam conditions)");
    start->callback([&] {
        auto c = g.connect();
        const auto l = learnerIdOrFail(*c, g, exitCode);
        if (l.empty())
            return;
        v1::StartMockRequest r;
        r.set_learner_id(l);
        r.set_questions(questions);
        r.set_minutes(minutes);
        emit(c->startMock(r), g, exitCode, printQuestions);
    });
    auto* showCmd = mock->add_subcommand("show", "the questions, your answers and the time left");
    showCmd->add_option("id", id, "mock id")->required();
    showCmd->callback([&] {
        auto c = g.connect();
        const auto l = learnerIdOrFail(*c, g, exitCode);
        if (l.empty())
            return;
        v1::GetMockRequest r;
        r.set_learner_id(l);
        r.set_mock_id(id);
        emit(c->getMock(r), g, exitCode, printQuestions);
    });
    auto* answer = mock->add_subcommand(
        "answer", "answer (or change) question NUMBER with LETTERS, e.g. B or AD; \"-\" clears");
    answer->add_option("id", id, "mock id")->required();
    answer->add_option("number", number, "question number")->required();
    answer->add_option("letters", letters, "chosen letters")->required();
    answer->callback([&] {
        auto c = g.connect();
        const auto l = learnerIdOrFail(*c, g, exitCode);
        if (l.empty())
            return;
        // The letters name options as shown; the daemon takes content-order indexes.
        v1::GetMockRequest get;
        get.set_learner_id(l);
        get.set_mock_id(id);
        auto current = c->getMock(get);
        if (!current) {
            exitCode = fail(current.error());
            return;
        }
        if (number < 1 || number > static_cast<uint32_t>(current->questions_size())) {
            exitCode = fail("number: question " + std::to_string(number) + " does not exist (1-" +
                            std::to_string(current->questions_size()) + ")");
            return;
        }
        const auto& q = current->questions(static_cast<int>(number) - 1);
        v1::AnswerMockRequest r;
        r.set_learner_id(l);
        r.set_mock_id(id);
        r.set_number(number);
        if (letters != "-")
            for (char ch : letters) {
                const int i = std::toupper(static_cast<unsigned char>(ch)) - 'A';
                if (i < 0 || i >= q.options_size()) {
                    exitCode = fail("letters: \"" + std::string(1, ch) + "\" is not an option of question " +
                                    std::to_string(number) + " (A-" +
                                    std::string(1, static_cast<char>('A' + q.options_size() - 1)) +
                                    "; \"-\" clears the answer)");
                    return;
                }
                r.add_chosen_options(contentIndex(q, i));
            }
        auto reply = c->answerMock(r);
        if (!reply) {
            exitCode = fail(reply.error());
            return;
        }
        if (g.json)
            std::cout << toJson(*reply) << '\n';
        else
            std::cout << "answered " << reply->answered() << " of " << reply->questions_size() << "; "
                      << reply->seconds_left() / 60 << " min left\n";
    });
    for (const bool on : {true, false}) {
        auto* flag = mock->add_subcommand(on ? "flag" : "unflag",
                                          on ? "flag question NUMBER for review" : "remove the flag");
        flag->add_option("id", id, "mock id")->required();
        flag->add_option("number", number, "question number")->required();
        flag->callback([&, on] {
            auto c = g.connect();
            const auto l = learnerIdOrFail(*c, g, exitCode);
            if (l.empty())
                return;
            v1::FlagQuestionRequest r;
            r.set_learner_id(l);
            r.set_mock_id(id);
            r.set_number(number);
            r.set_flagged(on);
            auto reply = c->flagQuestion(r);
            if (!reply)
                exitCode = fail(reply.error());
            else if (g.json)
                std::cout << toJson(*reply) << '\n';
            else
                std::cout << "flagged " << reply->flagged() << " question(s)\n";
        });
        auto* pause = mock->add_subcommand(
            on ? "pause" : "resume", on ? "pause the clock (no longer exam conditions)" : "resume the clock");
        pause->add_option("id", id, "mock id")->required();
        pause->callback([&, on] {
            auto c = g.connect();
            const auto l = learnerIdOrFail(*c, g, exitCode);
            if (l.empty())
                return;
            v1::PauseMockRequest r;
            r.set_learner_id(l);
            r.set_mock_id(id);
            r.set_paused(on);
            auto reply = c->pauseMock(r);
            if (!reply)
                exitCode = fail(reply.error());
            else if (g.json)
                std::cout << toJson(*reply) << '\n';
            else
                std::cout << (reply->paused() ? "paused" : "running") << "; " << reply->seconds_left() / 60
                          << " min left\n";
        });
    }
    auto* submit = mock->add_subcommand("submit", "submit for scoring (unanswered questions count as wrong)");
    submit->add_option("id", id, "mock id")->required();
    submit->add_flag("--review", g_fullReport, "also review every question with the explanations");
    submit->callback([&] {
        auto c = g.connect();
        const auto l = learnerIdOrFail(*c, g, exitCode);
        if (l.empty())
            return;
        v1::SubmitMockRequest r;
        r.set_learner_id(l);
        r.set_mock_id(id);
        emit(c->submitMock(r), g, exitCode, printFullReport);
    });
    auto* reportCmd = mock->add_subcommand("report", "the score report of a submitted mock");
    reportCmd->add_option("id", id, "mock id")->required();
    reportCmd->add_flag("--review", g_fullReport, "also review every question with the explanations");
    reportCmd->callback([&] {
        auto c = g.connect();
        const auto l = learnerIdOrFail(*c, g, exitCode);
        if (l.empty())
            return;
        v1::GetMockReportRequest r;
        r.set_learner_id(l);
        r.set_mock_id(id);
        emit(c->mockReport(r), g, exitCode, printFullReport);
    });
    mock->add_subcommand("list", "your mock exams, newest first")->callback([&] {
        auto c = g.connect();
        const auto l = learnerIdOrFail(*c, g, exitCode);
        if (l.empty())
            return;
        v1::ListMocksRequest r;
        r.set_learner_id(l);
        auto reply = c->listMocks(r);
        if (!reply) {
            exitCode = fail(reply.error());
            return;
        }
        if (g.json) {
            std::cout << toJson(*reply) << '\n';
            return;
        }
        for (const auto& m : reply->mocks())
            std::cout << m.mock_id() << "  " << listedResult(m) << '\n';
    });
}

}  // namespace retain::cli
