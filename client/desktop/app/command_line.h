#pragma once
// retain [--daemon ADDRESS] [--learner NAME] [--screenshot DIR [--screenshot-study N]] [--palette P]
//        [--quit-when-ready]

#include <QString>
#include <QStringList>
#include <optional>

namespace retain::desktop {

struct Options {
    QString address;             // daemon address; the default local socket when not given
    bool defaultAddress = true;  // true when --daemon was not given
    QString learner = QStringLiteral("default");
    QString screenshotDir;    // non-empty: render every screen to DIR/*.png and exit
    int screenshotStudy = 0;  // with --screenshot: answer this many items first (writes answers)
    QString palette = QStringLiteral("system");  // system, light or dark
    // Quit once Today shows the daemon's numbers, printing the milliseconds since start (benchmarks,
    // smoke tests of an installation).
    bool quitWhenReady = false;
    // Access token for a TCP daemon address (--token-file, or $RETAIN_TOKEN_FILE), read at start-up.
    QString token;
};

struct ParsedCommandLine {
    std::optional<Options> options;  // nullopt: print `message` and exit with `exitCode`
    int exitCode = 0;
    QString message;
};

// `arguments` as from QCoreApplication::arguments(), program name first.
ParsedCommandLine parseCommandLine(const QStringList& arguments);

}  // namespace retain::desktop
