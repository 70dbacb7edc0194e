// retain: the Retain desktop client. Everything but argument handling lives in retain_desktop.
#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QTextStream>
#include <cstdio>

#include "desktop/app/command_line.h"
#include "desktop/app/daemon_session.h"
#include "desktop/app/screenshot_runner.h"
#include "desktop/views/main_window.h"
#include "desktop/views/theme.h"

int main(int argc, char** argv) {
    using namespace retain::desktop;
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Retain"));
    QApplication::setApplicationName(QStringLiteral("retain"));
    QApplication::setApplicationDisplayName(QStringLiteral("Retain"));
    QApplication::setApplicationVersion(QStringLiteral(RETAIN_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.retain.Retain"));

    const ParsedCommandLine parsed = parseCommandLine(QApplication::arguments());
    if (!parsed.options) {
        QTextStream(parsed.exitCode ? stderr : stdout) << parsed.message << '\n';
        return parsed.exitCode;
    }
    const Options& options = *parsed.options;
    theme::apply(app, options.palette == QStringLiteral("dark")    ? theme::Scheme::Dark
                      : options.palette == QStringLiteral("light") ? theme::Scheme::Light
                                                                   : theme::Scheme::System);

    DaemonSession::Config config;
    config.address = options.address;
    config.defaultAddress = options.defaultAddress;
    // The address chosen in Settings, unless --daemon names one for this run.
    const QString saved = QSettings().value(QStringLiteral("daemon/address")).toString().trimmed();
    if (options.defaultAddress && !saved.isEmpty() && options.screenshotDir.isEmpty()) {
        config.address = saved;
        config.defaultAddress = false;
    }
    config.learner = options.learner;
    config.token = options.token;
    DaemonSession session(config);
    MainWindow window(&session);

    if (!options.screenshotDir.isEmpty()) {
        ScreenshotRunner runner(&window, options.screenshotDir, options.screenshotStudy);
        QObject::connect(&runner, &ScreenshotRunner::finished, &app, [&](int code) {
            QTextStream out(stdout), err(stderr);
            for (const QString& file : runner.written())
                out << file << '\n';
            if (!runner.error().isEmpty())
                err << "retain: " << runner.error() << '\n';
            QApplication::exit(code);
        });
        runner.start();
        return QApplication::exec();
    }
    window.restoreWindowGeometry();
    window.show();
    if (options.quitWhenReady) {
        // Queued behind the Today view's own update: the numbers are on screen once this runs; the
        // repaint makes sure they have been drawn.
        QObject::connect(
            &session, &DaemonSession::todayReady, &app,
            [&] {
                window.repaint();
                QTextStream(stdout) << "ready in " << sinceStart.elapsed() << " ms\n";
                QApplication::exit(0);
            },
            Qt::QueuedConnection);
        QObject::connect(&session, &DaemonSession::failed, &app,
                         [](DaemonSession::Operation, const QString& message) {
                             QTextStream(stderr) << "retain: " << message << '\n';
                             QApplication::exit(1);
                         });
    }
    window.start();
    return QApplication::exec();
}
