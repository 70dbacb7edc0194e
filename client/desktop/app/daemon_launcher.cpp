#include "desktop/app/daemon_launcher.h"

#include <signal.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>
#include <cerrno>

namespace retain::desktop {

QString unixSocketPath(const QString& address) {
    if (address.startsWith(QStringLiteral("unix://")))
        return address.mid(7);
    if (address.startsWith(QStringLiteral("unix:")))
        return address.mid(5);
    return {};
}

QString findRetaind(const QString& applicationDir) {
    const QDir dir(applicationDir);
    for (const QString& candidate : {dir.filePath(QStringLiteral("../../daemon/app/retaind")),
                                     dir.filePath(QStringLiteral("retaind"))}) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.canonicalFilePath();
    }
    return QStandardPaths::findExecutable(QStringLiteral("retaind"));
}

QString launchedDaemonLogFile() {
    const QString dir =
        QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/retain");
    QDir().mkpath(dir);
    return dir + QStringLiteral("/retaind.log");
}

bool processRunning(qint64 pid) {
    if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH))
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;  // no procfs: trust kill()
    // "pid (comm) S ...": the state follows the last ')'.
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    const char state = close >= 0 && close + 2 < line.size() ? line.at(close + 2) : 'R';
    return state != 'Z' && state != 'X';
}

namespace {

// The last non-empty line the daemon wrote after `offset`: retaind ends a failed start with
// "retaind: <reason>".
QString lastLogLine(const QString& logFile, qint64 offset) {
    QFile f(logFile);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    f.seek(offset);
    const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
    return lines.isEmpty() ? QString() : lines.last().trimmed();
}

// The packaged user unit (packaging/systemd/retaind.service) runs this program on the default socket.
constexpr auto kServiceProgram = "/usr/bin/retaind";

// `systemctl --user start retaind.service`: true once the unit is active, which for its Type=notify
// means retaind serves. False at once when systemctl, a user manager or the unit is missing.
bool startUserService(std::chrono::milliseconds timeout) {
    const QString systemctl = QStandardPaths::findExecutable(QStringLiteral("systemctl"));
    if (systemctl.isEmpty())
        return false;
    QProcess p;
    p.setStandardInputFile(QProcess::nullDevice());
    p.start(systemctl,
            {QStringLiteral("--user"), QStringLiteral("start"), QStringLiteral("retaind.service")});
    if (!p.waitForFinished(static_cast<int>(timeout.count()))) {
        p.kill();
        p.waitForFinished();
        return false;
    }
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

}  // namespace

LaunchOutcome launchRetaind(const QString& program, const QString& socketPath, bool defaultSocket,
                            const std::function<bool()>& isServing, std::chrono::milliseconds timeout) {
    LaunchOutcome out;
    out.logFile = launchedDaemonLogFile();
    if (program.isEmpty()) {
        out.message = QStringLiteral(
            "The study daemon retaind was not found next to this program or on PATH. Install the retain "
            "package, or start retaind yourself and press Retry.");
        return out;
    }
    // Installed from the packages: the user service runs the same daemon, supervised, with its logs in the
    // journal. Anything else (a build tree, another socket) is started directly.
    if (defaultSocket && QFileInfo(program).canonicalFilePath() == QLatin1String(kServiceProgram) &&
        startUserService(timeout) && isServing()) {
        out.ok = true;
        out.logFile.clear();  // the service logs to the journal (journalctl --user -u retaind)
        return out;
    }
    const qint64 logOffset = QFileInfo(out.logFile).size();
    QProcess process;
    process.setProgram(program);
    if (!defaultSocket)
        process.setArguments({QStringLiteral("--socket"), socketPath});
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(out.logFile, QIODevice::Append);
    process.setStandardErrorFile(out.logFile, QIODevice::Append);
    if (!process.startDetached(&out.pid)) {
        out.message = QStringLiteral("Could not start %1: %2").arg(program, process.errorString());
        return out;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (isServing()) {
            out.ok = true;
            return out;
        }
        if (!processRunning(out.pid)) {
            const QString reason = lastLogLine(out.logFile, logOffset);
            out.message = QStringLiteral("The study daemon stopped while starting%1 (log: %2).")
                              .arg(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason, out.logFile);
            return out;
        }
        QThread::msleep(50);
    }
    out.message = QStringLiteral("The study daemon did not answer within %1 s of starting (log: %2).")
                      .arg(std::chrono::duration_cast<std::chrono::seconds>(timeout).count())
                      .arg(out.logFile);
    return out;
}

}  // namespace retain::desktop
