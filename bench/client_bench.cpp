// retain_bench_client: the desktop client against a daemon holding a learner with 200,000 past answers
// on the real MLS-C01 pack (retaind as a child process, over its unix socket), measuring what a learner
// waits for:
//   launch      `retain --quit-when-ready`: from exec to the Today screen drawn with the daemon's numbers
//               (a new process each time: Qt start-up, connection, the first calls, the first paint);
//   answer      in process, through the review screen by keyboard: from the grade key (flashcards) or
//               the continue key after feedback (questions) to the next item drawn, and from the submit
//               key to a question's feedback drawn;
//   dashboards  the Progress page: from asking for a refresh to every chart built and the page drawn.
// Prints a table and writes JSON to --out.
//
//   retain_bench_client --content DIR --out FILE.json [--events N] [--launches N] [--answers N] [--renders N]
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <QApplication>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/content_loader.h"
#include "desktop/app/daemon_session.h"
#include "desktop/models/option_list_model.h"
#include "desktop/views/main_window.h"
#include "desktop/views/progress_view.h"
#include "desktop/views/review_view.h"
#include "desktop/views/today_view.h"
#include "rpc/client.h"
#include "support/bench_support.h"

extern char** environ;
namespace fs = std::filesystem;
namespace bench = retain::bench;
namespace desktop = retain::desktop;
using bench::Clock;
using desktop::ReviewView;

namespace {

// Runs the event loop until `done` holds; false after `timeoutMs`.
bool waitFor(const std::function<bool()>& done, int timeoutMs = 10000) {
    QElapsedTimer clock;
    clock.start();
    QTimer tick;  // wakes the loop at least every millisecond
    tick.start(1);
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

void press(QWidget* target, int key) {
    QKeyEvent down(QEvent::KeyPress, key, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &down);
    QKeyEvent up(QEvent::KeyRelease, key, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &up);
}

// `retain --quit-when-ready` once: wall milliseconds from spawn to exit, -1 on failure.
double launchOnce(const std::string& retain, const std::string& address) {
    std::vector<std::string> args = {retain, "--daemon", address, "--learner", "bench", "--quit-when-ready"};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t quiet;
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    const auto t0 = Clock::now();
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, retain.c_str(), &quiet, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&quiet);
    if (spawned != 0)
        return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    const double ms = bench::millisecondsSince(t0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ms : -1;
}

struct Summary {
    double p50 = 0, p95 = 0, max = 0;
    size_t n = 0;
};

Summary summarise(const std::vector<double>& v) {
    return {bench::percentile(v, 0.5), bench::percentile(v, 0.95), bench::percentile(v, 1.0), v.size()};
}

nlohmann::json toJson(const Summary& s) {
    return {{"p50_ms", s.p50}, {"p95_ms", s.p95}, {"max_ms", s.max}, {"n", s.n}};
}

void printRow(const char* what, const Summary& s, const char* target) {
    std::printf("%-42s p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  (n=%zu; target %s)\n", what, s.p50, s.p95,
                s.max, s.n, target);
}

}  // namespace

int main(int argc, char** argv) {
    std::string out, content;
    int events = 200000, launches = 9, answers = 150, renders = 15;
    CLI::App cli{"retain_bench_client: the desktop client against a daemon with a large history"};
    cli.add_option("--content", content, "content directory (the MLS-C01 pack)")->required();
    cli.add_option("--out", out, "JSON results file");
    cli.add_option("--events", events, "past answers of the learner");
    cli.add_option("--launches", launches, "launches of retain --quit-when-ready");
    cli.add_option("--answers", answers, "items answered through the review screen");
    cli.add_option("--renders", renders, "refreshes of the Progress dashboards");
    CLI11_PARSE(cli, argc, argv);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");  // inherited by the launched clients too
    QApplication app(argc, argv);

    auto loaded = retain::core::loadContent(content);
    if (!loaded.pack) {
        std::fprintf(stderr, "content %s: %s\n", content.c_str(),
                     loaded.errors.empty() ? "no pack" : loaded.errors.front().format().c_str());
        return 1;
    }
    const fs::path dir = fs::temp_directory_path() / ("retain-bench-client-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const int64_t start = 1'750'000'000'000;
    const auto t0 = Clock::now();
    const std::string learner = bench::writeHistory(dir / "data", loaded.pack->items(), events, start);
    std::printf("wrote %d answers on %zu items in %.1f s\n", events, loaded.pack->itemCount(),
                bench::millisecondsSince(t0) / 1000);

    bench::ChildDaemon daemon(bench::retaindBeside(argv[0]), dir, dir / "data", content);
    if (!daemon.waitUntilServing(std::chrono::seconds(60))) {
        std::fprintf(stderr, "retaind did not start\n");
        return 1;
    }
    retain::rpc::Client client(daemon.address());
    retain::v1::SetClockRequest clock;
    clock.set_now_ms(start + 366 * bench::kDayMs);
    (void)client.setClock(clock);
    // A history this large is due a personal-parameter fit; run it now so it does not run (on the
    // daemon's background thread) during the measurements.
    retain::v1::OptimizeParametersRequest opt;
    opt.set_learner_id(learner);
    retain::rpc::ClientOptions slow;
    slow.deadline = std::chrono::minutes(5);
    (void)retain::rpc::Client(daemon.address(), slow).optimizeParameters(opt);

    // 1. Launch to an interactive Today screen, a new process each time.
    const std::string retainProgram =
        (fs::path(argv[0]).parent_path() / ".." / "client" / "desktop" / "retain").string();
    std::vector<double> launch;
    for (int i = 0; i < launches; ++i) {
        const double ms = launchOnce(retainProgram, daemon.address());
        if (ms < 0) {
            std::fprintf(stderr, "%s --quit-when-ready failed\n", retainProgram.c_str());
            return 1;
        }
        launch.push_back(ms);
    }

    // 2. The review screen, in process, driven by keys as a learner would.
    desktop::DaemonSession::Config config;
    config.address = QString::fromStdString(daemon.address());
    config.learner = QStringLiteral("bench");
    config.startDaemon = false;
    desktop::DaemonSession session(config);
    desktop::MainWindow window(&session);
    window.resize(1180, 800);
    window.show();
    window.start();
    if (!waitFor([&] { return window.todayView()->hasToday() && !session.isBusy(); })) {
        std::fprintf(stderr, "Today never showed\n");
        return 1;
    }
    ReviewView* review = window.reviewView();
    const auto presenting = [&] {
        return review->state() == ReviewView::State::Front || review->state() == ReviewView::State::Choosing;
    };
    std::vector<double> cardToNext, submitToFeedback, continueToNext;
    window.studyNow();
    if (!waitFor(presenting)) {
        std::fprintf(stderr, "the review screen showed no item (state %d)\n",
                     static_cast<int>(review->state()));
        return 1;
    }
    for (int done = 0; done < answers;) {
        if (review->state() == ReviewView::State::Finished || review->state() == ReviewView::State::Idle) {
            window.studyNow();
            if (!waitFor(presenting))
                break;
        }
        const int before = review->answeredCount();
        const auto nextDrawn = [&] {
            return (presenting() && review->answeredCount() > before) ||
                   review->state() == ReviewView::State::Finished;
        };
        if (review->state() == ReviewView::State::Front) {
            press(review, Qt::Key_Space);
            if (!waitFor([&] { return review->state() == ReviewView::State::Back; }))
                break;
            const auto a0 = Clock::now();
            press(review, Qt::Key_3);
            if (!waitFor(nextDrawn))
                break;
            review->repaint();
            cardToNext.push_back(bench::millisecondsSince(a0));
        } else {
            desktop::OptionListModel* options = review->optionModel();
            for (int k = 0; k < options->rowCount() && !options->canSubmit(); ++k)
                press(review, Qt::Key_A + k);
            const auto a0 = Clock::now();
            press(review, Qt::Key_Return);
            if (!waitFor([&] { return review->state() == ReviewView::State::Feedback; }))
                break;
            review->repaint();
            submitToFeedback.push_back(bench::millisecondsSince(a0));
            const auto a1 = Clock::now();
            press(review, Qt::Key_Return);
            if (!waitFor(nextDrawn))
                break;
            review->repaint();
            continueToNext.push_back(bench::millisecondsSince(a1));
        }
        ++done;
    }
    if (cardToNext.size() + submitToFeedback.size() < static_cast<size_t>(answers)) {
        std::fprintf(stderr, "the session stopped after %zu answers (state %d)\n",
                     cardToNext.size() + submitToFeedback.size(), static_cast<int>(review->state()));
        return 1;
    }

    // 3. The Progress dashboards over the whole history.
    std::vector<double> dashboards;
    desktop::ProgressView* progress = window.progressView();
    int loads = 0;
    QObject::connect(progress, &desktop::ProgressView::loaded, [&] { ++loads; });
    window.showPage(desktop::MainWindow::Page::Progress);
    if (!waitFor([&] { return loads > 0 && !session.isBusy(); }, 30000)) {
        std::fprintf(stderr, "Progress never loaded: %s\n", progress->errorText().toUtf8().constData());
        return 1;
    }
    for (int i = 0; i < renders; ++i) {
        const int before = loads;
        const auto r0 = Clock::now();
        progress->refresh();
        if (!waitFor([&] { return loads > before; }, 30000))
            break;
        window.repaint();
        dashboards.push_back(bench::millisecondsSince(r0));
    }
    const long rss = daemon.rssKb();
    daemon.stop();
    fs::remove_all(dir);

    const Summary sl = summarise(launch), sc = summarise(cardToNext), sf = summarise(submitToFeedback),
                  sn = summarise(continueToNext), sd = summarise(dashboards);
    std::printf("desktop client, %d past answers on the MLS-C01 pack (%zu items):\n", events,
                loaded.pack->itemCount());
    printRow("launch to interactive Today", sl, "<= 1500 ms");
    printRow("flashcard: grade key to next item drawn", sc, "<= 100 ms");
    printRow("question: submit key to feedback drawn", sf, "<= 100 ms");
    printRow("question: continue key to next item drawn", sn, "<= 100 ms");
    printRow("Progress dashboards: refresh to drawn", sd, "<= 300 ms");
    std::printf("daemon resident memory: %.1f MB\n", rss / 1024.0);
    nlohmann::json j{{"events", events},
                     {"items", loaded.pack->itemCount()},
                     {"launch", toJson(sl)},
                     {"card_grade_to_next", toJson(sc)},
                     {"question_submit_to_feedback", toJson(sf)},
                     {"question_continue_to_next", toJson(sn)},
                     {"dashboards", toJson(sd)},
                     {"daemon_rss_mb", rss / 1024.0}};
    if (!out.empty())
        std::ofstream(out) << j.dump(2) << '\n';
    return 0;
}
