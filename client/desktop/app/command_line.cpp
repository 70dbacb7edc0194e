#include "desktop/app/command_line.h"

#include <QCommandLineParser>

#include "rpc/client.h"

namespace retain::desktop {

ParsedCommandLine parseCommandLine(const QStringList& arguments) {
    ParsedCommandLine out;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Retain: adaptive spaced repetition for certification exams.\n"
                       "Starts the local study daemon (retaind) when none is running."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
    const QCommandLineOption daemon(
        QStringLiteral("daemon"),
        QStringLiteral("Daemon address: unix:PATH or HOST:PORT (default: the local socket, %1).")
            .arg(QString::fromStdString(rpc::defaultDaemonAddress())),
        QStringLiteral("ADDRESS"));
    const QCommandLineOption learner(
        QStringLiteral("learner"),
        QStringLiteral("Learner to study as; created when new (default: default)."), QStringLiteral("NAME"),
        QStringLiteral("default"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Render every screen with the data the daemon has to DIR/<screen>.png and exit. "
                       "Starts (and ends) a study session but records no answers."),
        QStringLiteral("DIR"));
    const QCommandLineOption study(
        QStringLiteral("screenshot-study"),
        QStringLiteral("With --screenshot: first answer N items through the review screen (this records "
                       "answers: use a scratch daemon)."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption palette(QStringLiteral("palette"),
                                     QStringLiteral("Colours: system (default), light or dark."),
                                     QStringLiteral("PALETTE"), QStringLiteral("system"));
    const QCommandLineOption quitWhenReady(
        QStringLiteral("quit-when-ready"),
        QStringLiteral("Quit as soon as the Today screen shows the daemon's numbers, printing the "
                       "milliseconds it took since start (for benchmarks and smoke tests)."));
    const QCommandLineOption tokenFile(
        QStringLiteral("token-file"),
        QStringLiteral("Access token for a HOST:PORT daemon address, from FILE (made with `retainctl access "
                       "create` on the daemon's machine; default: $RETAIN_TOKEN_FILE)."),
        QStringLiteral("FILE"));
    parser.addOptions({help, version, daemon, learner, screenshot, study, palette, quitWhenReady, tokenFile});
    if (!parser.parse(arguments)) {
        out.exitCode = 2;
        out.message = QStringLiteral("retain: %1\nTry 'retain --help'.").arg(parser.errorText());
        return out;
    }
    if (parser.isSet(help)) {
        out.message = parser.helpText();
        return out;
    }
    if (parser.isSet(version)) {
        out.message = QStringLiteral("retain %1").arg(QStringLiteral(RETAIN_VERSION));
        return out;
    }
    if (!parser.positionalArguments().isEmpty()) {
        out.exitCode = 2;
        out.message = QStringLiteral("retain: unexpected argument \"%1\"\nTry 'retain --help'.")
                          .arg(parser.positionalArguments().first());
        return out;
    }
    Options o;
    o.defaultAddress = !parser.isSet(daemon);
    o.address = o.defaultAddress ? QString::fromStdString(rpc::defaultDaemonAddress()) : parser.value(daemon);
    o.learner = parser.value(learner);
    o.screenshotDir = parser.value(screenshot);
    bool ok = false;
    o.screenshotStudy = parser.value(study).toInt(&ok);
    if (!ok || o.screenshotStudy < 0 || o.screenshotStudy > 500) {
        out.exitCode = 2;
        out.message = QStringLiteral("retain: --screenshot-study must be a number from 0 to 500");
        return out;
    }
    if (o.screenshotStudy > 0 && o.screenshotDir.isEmpty()) {
        out.exitCode = 2;
        out.message = QStringLiteral("retain: --screenshot-study needs --screenshot DIR");
        return out;
    }
    o.quitWhenReady = parser.isSet(quitWhenReady);
    if (o.quitWhenReady && !o.screenshotDir.isEmpty()) {
        out.exitCode = 2;
        out.message = QStringLiteral("retain: --quit-when-ready and --screenshot exclude each other");
        return out;
    }
    o.palette = parser.value(palette);
    if (o.palette != QStringLiteral("system") && o.palette != QStringLiteral("light") &&
        o.palette != QStringLiteral("dark")) {
        out.exitCode = 2;
        out.message = QStringLiteral("retain: --palette must be system, light or dark");
        return out;
    }
    if (o.address.isEmpty() || o.learner.isEmpty()) {
        out.exitCode = 2;
        out.message = QStringLiteral("retain: --daemon and --learner must not be empty");
        return out;
    }
    QString file = parser.value(tokenFile);
    if (file.isEmpty())
        file = qEnvironmentVariable("RETAIN_TOKEN_FILE");
    if (!file.isEmpty()) {
        auto token = rpc::tokenFromFile(file.toStdString());
        if (!token) {
            out.exitCode = 2;
            out.message = QStringLiteral("retain: %1").arg(QString::fromStdString(token.error().message));
            return out;
        }
        o.token = QString::fromStdString(*token);
    }
    out.options = o;
    return out;
}

}  // namespace retain::desktop
