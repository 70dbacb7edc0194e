#include <signal.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QPushButton>
#include <iostream>

#include "desktop/app/command_line.h"
#include "desktop/app/daemon_launcher.h"
#include "desktop/app/item_preview.h"
#include "desktop/app/screenshot_runner.h"
#include "desktop/app/text_format.h"
#include "desktop/views/connection_view.h"
#include "desktop_fixture.h"

namespace retain::test {
namespace {

using desktop::DaemonSession;

TEST(CommandLine, defaultsToTheLocalDaemonAndTheDefaultLearner) {
    const auto p = desktop::parseCommandLine({QStringLiteral("retain")});
    ASSERT_TRUE(p.options);
    EXPECT_TRUE(p.options->defaultAddress);
    EXPECT_EQ(p.options->address.toStdString(), rpc::defaultDaemonAddress());
    EXPECT_EQ(p.options->learner, QStringLiteral("default"));
    EXPECT_TRUE(p.options->screenshotDir.isEmpty());
}

TEST(CommandLine, takesDaemonLearnerAndScreenshotDirectory) {
    const auto p = desktop::parseCommandLine({QStringLiteral("retain"), QStringLiteral("--daemon"),
                                              QStringLiteral("unix:/tmp/x.sock"), QStringLiteral("--learner"),
                                              QStringLiteral("ana"), QStringLiteral("--screenshot"),
                                              QStringLiteral("/tmp/shots")});
    ASSERT_TRUE(p.options);
    EXPECT_FALSE(p.options->defaultAddress);
    EXPECT_EQ(p.options->address, QStringLiteral("unix:/tmp/x.sock"));
    EXPECT_EQ(p.options->learner, QStringLiteral("ana"));
    EXPECT_EQ(p.options->screenshotDir, QStringLiteral("/tmp/shots"));
}

TEST(CommandLine, refusesNonsenseWithExitCodeTwo) {
    for (const QStringList& args :
         {QStringList{QStringLiteral("retain"), QStringLiteral("--bogus")},
          QStringList{QStringLiteral("retain"), QStringLiteral("--palette"), QStringLiteral("pink")},
          QStringList{QStringLiteral("retain"), QStringLiteral("--screenshot-study"), QStringLiteral("3")},
          QStringList{QStringLiteral("retain"), QStringLiteral("stray")},
          QStringList{QStringLiteral("retain"), QStringLiteral("--quit-when-ready"),
                      QStringLiteral("--screenshot"), QStringLiteral("/tmp/shots")}}) {
        const auto p = desktop::parseCommandLine(args);
        EXPECT_FALSE(p.options) << args.join(u' ').toStdString();
        EXPECT_EQ(p.exitCode, 2);
        EXPECT_TRUE(p.message.startsWith(QStringLiteral("retain: ")));
    }
    const auto help = desktop::parseCommandLine({QStringLiteral("retain"), QStringLiteral("--help")});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_TRUE(help.message.contains(QStringLiteral("--screenshot")));
}

TEST(CommandLine, quitWhenReadyIsOffUnlessAsked) {
    EXPECT_FALSE(desktop::parseCommandLine({QStringLiteral("retain")}).options->quitWhenReady);
    const auto p = desktop::parseCommandLine({QStringLiteral("retain"), QStringLiteral("--quit-when-ready")});
    ASSERT_TRUE(p.options);
    EXPECT_TRUE(p.options->quitWhenReady);
}

TEST(TextFormat, contentMarkupBecomesHtmlAndEverythingElseIsEscaped) {
    EXPECT_EQ(desktop::safeTextToHtml("Use **S3** with *care*: `aws s3 cp`\n<b>&"),
              QStringLiteral("Use <b>S3</b> with <i>care</i>: <code>aws s3 cp</code><br>&lt;b&gt;&amp;"));
    EXPECT_EQ(desktop::safeTextToHtml("`a*b*`"), QStringLiteral("<code>a*b*</code>"));
    EXPECT_EQ(desktop::safeTextToHtml("**open"), QStringLiteral("<b>open</b>"));
}

TEST(TextFormat, intervalsReadNaturally) {
    EXPECT_EQ(desktop::intervalText(0), QStringLiteral("today"));
    EXPECT_EQ(desktop::intervalText(1), QStringLiteral("1 day"));
    EXPECT_EQ(desktop::intervalText(12), QStringLiteral("12 days"));
    EXPECT_EQ(desktop::intervalText(90), QStringLiteral("3 months"));
    EXPECT_EQ(desktop::lettersText({0, 2, 3}), QStringLiteral("A, C and D"));
    EXPECT_EQ(desktop::minutesText(65), QStringLiteral("about 1 h 5 min"));
}

TEST(ItemPreview, aQuestionPreviewMarksTheContentsCorrectOptions) {
    v1::ItemDetail d;
    v1::Item& item = *d.mutable_item();
    item.set_id("1.1-mr-x");
    item.set_kind(v1::MULTIPLE_RESPONSE);
    item.set_explanation("because");
    for (bool correct : {true, false, true, false, false}) {
        auto* o = item.add_options();
        o->set_text("option");
        o->set_correct(correct);
        o->set_explanation(correct ? "right" : "wrong");
    }
    const auto presented = desktop::presentedFromContent(d);
    EXPECT_EQ(presented.choose(), 2u);
    EXPECT_EQ(presented.options_size(), 5);
    const auto wrong = desktop::feedbackFromContent(item, {0, 1});
    EXPECT_FALSE(wrong.correct());
    EXPECT_EQ(std::vector<uint32_t>(wrong.correct_options().begin(), wrong.correct_options().end()),
              (std::vector<uint32_t>{0, 2}));
    EXPECT_EQ(wrong.option_explanations(1), "wrong");
    EXPECT_TRUE(desktop::feedbackFromContent(item, {2, 0}).correct());
}

TEST(DaemonLauncher, unixAddressesHaveASocketPathAndTcpAddressesNone) {
    EXPECT_EQ(desktop::unixSocketPath(QStringLiteral("unix:/run/r.sock")), QStringLiteral("/run/r.sock"));
    EXPECT_EQ(desktop::unixSocketPath(QStringLiteral("unix:///run/r.sock")), QStringLiteral("/run/r.sock"));
    EXPECT_TRUE(desktop::unixSocketPath(QStringLiteral("localhost:7000")).isEmpty());
}

TEST(DaemonLauncher, findsRetaindInTheBuildTree) {
    const QString found = desktop::findRetaind(QStringLiteral(RETAIN_BINARY_DIR "/client/desktop"));
    EXPECT_EQ(found, QFileInfo(QStringLiteral(RETAIN_BINARY_DIR "/daemon/app/retaind")).canonicalFilePath());
}

// The embedded default: nothing answers on the socket, so the client starts retaind and connects.
TEST(DaemonLauncher, startsRetaindWhenNothingAnswersAndConnects) {
    TempDir dir;
    // Keep the child daemon's data and config inside the test directory.
    const QByteArray oldData = qgetenv("XDG_DATA_HOME"), oldConfig = qgetenv("XDG_CONFIG_HOME");
    qputenv("XDG_DATA_HOME", QByteArray::fromStdString(dir.file("data")));
    qputenv("XDG_CONFIG_HOME", QByteArray::fromStdString(dir.file("config")));
    DaemonSession::Config c;
    c.address = QString::fromStdString("unix:" + dir.file("auto.sock"));
    c.retaindProgram = QStringLiteral(RETAIN_BINARY_DIR "/daemon/app/retaind");
    auto session = std::make_unique<DaemonSession>(c);
    QList<DaemonSession::ConnectionState> states;
    QObject::connect(session.get(), &DaemonSession::connectionStateChanged,
                     [&](DaemonSession::ConnectionState s, const QString&) { states << s; });
    QElapsedTimer clock;
    clock.start();
    session->connectToDaemon();
    waitFor(
        [&] {
            return !states.isEmpty() && (states.last() == DaemonSession::ConnectionState::Connected ||
                                         states.last() == DaemonSession::ConnectionState::Failed);
        },
        20000);
    const qint64 startMs = clock.elapsed();
    qputenv("XDG_DATA_HOME", oldData);
    qputenv("XDG_CONFIG_HOME", oldConfig);
    const auto state = session->connectionState();
    const std::string learner = session->learner().name();
    const qint64 pid = session->launchedDaemonPid();
    session.reset();  // closes the connection, so the daemon stops at once
    ASSERT_GT(pid, 0);
    ::kill(static_cast<pid_t>(pid), SIGTERM);
    EXPECT_TRUE(waitFor([&] { return !desktop::processRunning(pid); }, 10000));
    EXPECT_EQ(state, DaemonSession::ConnectionState::Connected);
    EXPECT_TRUE(states.contains(DaemonSession::ConnectionState::StartingDaemon));
    EXPECT_EQ(learner, "default");
    EXPECT_LT(startMs, 5000) << "launch to connected";
    EXPECT_TRUE(QFileInfo::exists(QString::fromStdString(dir.file("data/retain"))));
    std::cerr << "launch to connected: " << startMs << " ms\n";
}

TEST(DaemonLauncher, aDaemonThatCannotStartIsReportedWithRetry) {
    TempDir dir;
    DaemonSession::Config c;
    c.address = QString::fromStdString("unix:" + dir.file("none.sock"));
    c.retaindProgram = QString::fromStdString(dir.file("no-such-retaind"));
    DaemonSession session(c);
    desktop::MainWindow window(&session);
    window.show();
    window.start();
    ASSERT_TRUE(waitFor([&] { return session.connectionState() == DaemonSession::ConnectionState::Failed; }));
    EXPECT_EQ(window.page(), desktop::MainWindow::Page::Connection);
    EXPECT_TRUE(window.connectionView()->messageText().contains(QStringLiteral("starting one failed")))
        << window.connectionView()->messageText().toStdString();
    EXPECT_TRUE(window.connectionView()->retryButton()->isVisibleTo(window.connectionView()));
}

class Screenshots : public DesktopTest {
protected:
    QStringList run(int studyItems, int& code) {
        m_session = std::make_unique<DaemonSession>(config());
        m_window = std::make_unique<desktop::MainWindow>(m_session.get());
        desktop::ScreenshotRunner runner(m_window.get(), QString::fromStdString(m_dir.file("shots")),
                                         studyItems);
        bool finished = false;
        QObject::connect(&runner, &desktop::ScreenshotRunner::finished, [&](int c) {
            code = c;
            finished = true;
        });
        runner.start();
        EXPECT_TRUE(waitFor([&] { return finished; }, 15000));
        EXPECT_TRUE(runner.error().isEmpty()) << runner.error().toStdString();
        return QDir(QString::fromStdString(m_dir.file("shots")))
            .entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
    }
};

TEST_F(Screenshots, everyScreenIsWrittenAndNoAnswerIsRecorded) {
    int code = -1;
    const QStringList files = run(0, code);
    EXPECT_EQ(code, 0);
    // No mock exists and none is started, so there is no report to show.
    EXPECT_EQ(files, (QStringList{QStringLiteral("browse.png"), QStringLiteral("mock-exam.png"),
                                  QStringLiteral("progress.png"), QStringLiteral("review-card.png"),
                                  QStringLiteral("review-question.png"), QStringLiteral("settings.png"),
                                  QStringLiteral("summary.png"), QStringLiteral("today.png")}));
    for (const QString& f : files) {
        const QImage image(QString::fromStdString(m_dir.file("shots/")) + f);
        EXPECT_EQ(image.width(), 1180) << f.toStdString();
        // Progress is taller: every chart in one picture.
        EXPECT_EQ(image.height(), f == QStringLiteral("progress.png") ? 1960 : 800) << f.toStdString();
    }
    EXPECT_EQ(today().reviewed_today(), 0u);
    v1::ListMocksRequest mocks;
    mocks.set_learner_id(m_learner);
    EXPECT_EQ(m_client->listMocks(mocks)->mocks_size(), 0);
}

TEST_F(Screenshots, studyModeAnswersThroughTheReviewScreenAndTakesAPracticeMockFirst) {
    int code = -1;
    const QStringList files = run(3, code);
    EXPECT_EQ(code, 0);
    EXPECT_EQ(files.size(), 9);
    EXPECT_TRUE(files.contains(QStringLiteral("mock-report.png")));
    EXPECT_GE(today().reviewed_today(), 3u);
    v1::ListMocksRequest mocks;
    mocks.set_learner_id(m_learner);
    auto list = m_client->listMocks(mocks);
    ASSERT_TRUE(list && list->mocks_size() == 1);
    EXPECT_TRUE(list->mocks(0).submitted());
}

}  // namespace
}  // namespace retain::test
