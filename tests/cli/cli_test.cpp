// retainctl end to end: a real daemon in process, the real binary, its output and exit status.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/daemon_fixture.h"

namespace retain::test {
namespace {

struct CliRun {
    int status = -1;
    std::string out;
};

// Runs `retainctl ARGS` (a shell command line; stderr joins stdout).
CliRun retainctl(const std::string& args) {
    const std::string cmd = std::string(RETAIN_BINARY_DIR) + "/client/cli/retainctl " + args + " 2>&1";
    CliRun r;
    FILE* p = ::popen(cmd.c_str(), "r");
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        r.out.append(buf.data(), n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

class Cli : public DaemonTest {
protected:
    // Runs retainctl against the test daemon with `input` on stdin.
    CliRun run(const std::string& args, const std::string& input = "") {
        const std::string inFile = m_dir.file("stdin");
        std::ofstream(inFile) << input;
        return retainctl("--daemon " + m_daemon->socketAddress() + " " + args + " < " + inFile);
    }
};

TEST_F(Cli, healthAndLearnersWithJson) {
    auto h = run("health --json");
    EXPECT_EQ(h.status, 0) << h.out;
    EXPECT_TRUE(nlohmann::json::parse(h.out)["serving"].get<bool>());
    auto created = run("learner create ana --set exam_date=2026-12-15 --set minutes_per_day=30 --json");
    ASSERT_EQ(created.status, 0) << created.out;
    auto j = nlohmann::json::parse(created.out);
    EXPECT_EQ(j["name"], "ana");
    EXPECT_EQ(j["settings"]["exam_date"], "2026-12-15");
    EXPECT_EQ(j["settings"]["minutes_per_day"], 30);
    auto list = run("learner list --json");
    EXPECT_EQ(nlohmann::json::parse(list.out)["learners"].size(), 1u);
    auto bad = run("--learner ana learner set desired_retention=2");
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.out.find("settings.desired_retention"), std::string::npos) << bad.out;
    auto set = run("--learner ana learner set desired_retention=0.85");
    EXPECT_EQ(set.status, 0) << set.out;
    EXPECT_NE(set.out.find("0.85"), std::string::npos);
}

TEST_F(Cli, aTerminalReviewSessionByKeyboardEndsWithASummary) {
    // Reveal and grade GOOD for cards, answer A for questions, for as many items as come, then quit.
    std::string input;
    for (int i = 0; i < 40; ++i)
        input += "\n3\nA\n";
    auto r = run("review --minutes 5", input);
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("Session summary:"), std::string::npos) << r.out;
    auto today = run("today --json");
    ASSERT_EQ(today.status, 0);
    EXPECT_GT(nlohmann::json::parse(today.out)["items_seen"].get<int>(), 0);
}

TEST_F(Cli, aFlashcardShowsItsBackBeforeTheGradeIsAsked) {
    // Reveal the first card, then quit at the grade prompt: the back must already be on the screen.
    std::string input;
    for (int i = 0; i < 10; ++i)
        input += "A\n";  // questions first, if any, get an answer
    auto r = run("review --minutes 5", "\nq\n");
    const auto reveal = r.out.find("  ---\n  ");
    if (reveal == std::string::npos) {
        // The first item was a question: answer questions until a card comes.
        r = run("review --minutes 5", input + "\nq\n");
    }
    const std::string divider = "  ---\n  ";
    const auto at = r.out.find(divider);
    ASSERT_NE(at, std::string::npos) << r.out;
    const auto grade = r.out.find("grade 1 again", at);
    ASSERT_NE(grade, std::string::npos) << r.out;
    std::string back = r.out.substr(at + divider.size(), grade - at - divider.size());
    back = back.substr(0, back.find('\n'));
    ASSERT_FALSE(back.empty()) << r.out;
    // It is the card's answer from the content.
    std::string content;
    for (const auto& f : std::filesystem::recursive_directory_iterator(miniContentDir()))
        if (f.is_regular_file()) {
            std::ifstream in(f.path());
            content += std::string(std::istreambuf_iterator<char>(in), {});
        }
    EXPECT_NE(content.find("answer: \"" + back + "\""), std::string::npos) << back;
}

TEST_F(Cli, contentLintFailsWithFileAndLineAndStatsCountKinds) {
    auto ok = run(std::string("content lint ") + miniContentDir() + " --json");
    EXPECT_EQ(ok.status, 0) << ok.out;
    EXPECT_TRUE(nlohmann::json::parse(ok.out)["ok"].get<bool>());
    namespace fs = std::filesystem;
    fs::copy(miniContentDir(), m_dir.file("c"), fs::copy_options::recursive);
    std::ofstream(m_dir.file("c/items/mini/bad.textproto"))
        << "exam: \"MINI-01\"\nitems { id: \"1.1-fc-x\" }\n";
    auto bad = run("content lint " + m_dir.file("c"));
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.out.find("items/mini/bad.textproto:2:"), std::string::npos) << bad.out;
    auto stats = run(std::string("content stats ") + miniContentDir() + " --json");
    ASSERT_EQ(stats.status, 0) << stats.out;
    auto j = nlohmann::json::parse(stats.out)[0];
    EXPECT_EQ(j["FLASHCARD"], 12);
    EXPECT_EQ(j["MULTIPLE_RESPONSE"], 3);
}

TEST_F(Cli, importReviewsReportsTheBadRowAndImportsTheGoodFile) {
    std::ofstream(m_dir.file("bad.csv")) << "card_id,review_rating,review_time,review_duration\nc1,3,2024-03-"
                                            "29T20:32:32Z,100\nc2,9,2024-03-29T20:33:00Z,100\n";
    auto bad = run("import reviews " + m_dir.file("bad.csv"));
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.out.find("line 3"), std::string::npos) << bad.out;
    auto good = run(std::string("import reviews ") + RETAIN_TEST_DATA_DIR + "/reviews/josh.csv --json");
    ASSERT_EQ(good.status, 0) << good.out;
    EXPECT_EQ(nlohmann::json::parse(good.out)["imported"], 12580);
}

TEST_F(Cli, aMockExamFromTheTerminal) {
    auto started = run("mock start --questions 4 --json");
    ASSERT_EQ(started.status, 0) << started.out;
    const auto mock = nlohmann::json::parse(started.out);
    const std::string id = mock["id"];
    EXPECT_EQ(mock["questions"].size(), 4u);
    EXPECT_EQ(run("mock answer " + id + " 1 A").status, 0);
    EXPECT_EQ(run("mock flag " + id + " 2").status, 0);
    auto bad = run("mock answer " + id + " 9 A");
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.out.find("does not exist"), std::string::npos) << bad.out;
    auto report = run("mock submit " + id + " --review");
    ASSERT_EQ(report.status, 0) << report.out;
    // Four questions are a practice form: the raw score, never a scaled one or a pass/fail.
    EXPECT_NE(report.out.find("Practice mock " + id), std::string::npos) << report.out;
    EXPECT_EQ(report.out.find("scaled score about"), std::string::npos) << report.out;
    EXPECT_EQ(report.out.find("FAIL"), std::string::npos) << report.out;
    EXPECT_NE(report.out.find(" of 4 scored questions right"), std::string::npos) << report.out;
    EXPECT_EQ(report.out.find("needs improvement"), std::string::npos) << report.out;  // no verdicts either
    EXPECT_EQ(report.out.find("meets competencies"), std::string::npos) << report.out;
    EXPECT_NE(report.out.find("[flagged]"), std::string::npos) << report.out;
    auto list = run("mock list --json");
    ASSERT_EQ(list.status, 0) << list.out;
    const auto listed = nlohmann::json::parse(list.out)["mocks"][0];
    EXPECT_TRUE(listed["submitted"].get<bool>());
    EXPECT_FALSE(listed["full_form"].get<bool>());
    EXPECT_EQ(listed["scaled_score"], 0) << listed.dump();  // unset: a practice form has none
    EXPECT_EQ(listed["scored_total"], 4) << listed.dump();
    auto readiness = run("readiness");
    EXPECT_EQ(readiness.status, 0) << readiness.out;
    EXPECT_NE(readiness.out.find("not enough evidence yet"), std::string::npos) << readiness.out;
}

TEST_F(Cli, aMistypedCommandIsNamedWithTheNearestAndABareSocketPathWorks) {
    auto typo = run("reveiw");
    EXPECT_EQ(typo.status, 2) << typo.out;
    EXPECT_NE(typo.out.find("unknown command \"reveiw\"; did you mean \"review\"?"), std::string::npos)
        << typo.out;
    EXPECT_NE(typo.out.find("commands: "), std::string::npos) << typo.out;
    auto far = run("--json frobnicate");
    EXPECT_EQ(far.status, 2);
    EXPECT_EQ(far.out.find("did you mean"), std::string::npos) << far.out;
    // The daemon's socket as a plain path, without "unix:".
    std::string path = m_daemon->socketAddress();
    ASSERT_EQ(path.rfind("unix:", 0), 0u);
    path = path.substr(5);
    const auto bare = retainctl("--daemon " + path + " health --json");
    EXPECT_EQ(bare.status, 0) << bare.out;
    EXPECT_EQ(bare.out.find("DNS"), std::string::npos) << bare.out;
    EXPECT_NE(bare.out.find("\"serving\": true"), std::string::npos) << bare.out;
}

TEST_F(Cli, anUnreachableDaemonIsExplained) {
    const auto r = retainctl("--daemon unix:" + m_dir.file("none.sock") + " --timeout 500 health");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.out.find("is retaind running?"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace retain::test
