#pragma once
// The embedded default: when nothing answers on the local socket, the client starts retaind itself so
// that a new user goes from launch to first card with no setup. Blocking functions, meant for the
// DaemonSession's worker thread; no widgets.

#include <QString>
#include <chrono>
#include <functional>

namespace retain::desktop {

struct LaunchOutcome {
    bool ok = false;
    QString message;  // for people: what went wrong and where the log is
    qint64 pid = 0;
    QString logFile;
};

// The socket path of a "unix:PATH" or "unix:///PATH" address; empty for HOST:PORT addresses, which the
// client never starts a daemon for.
QString unixSocketPath(const QString& address);

// retaind in the build tree (<build>/client/desktop/retain -> <build>/daemon/app/retaind), next to the
// client when installed, or on PATH; empty when none is found.
QString findRetaind(const QString& applicationDir);

// True while process `pid` exists and is not a zombie (a detached daemon's parent is init, which in a
// container may never reap it).
bool processRunning(qint64 pid);

// Where a daemon started by the client writes its log.
QString launchedDaemonLogFile();

// When `program` is /usr/bin/retaind on the default socket, first tries the systemd user service
// (`systemctl --user start retaind.service`; then `pid` stays 0). Otherwise, or if that fails: starts
// `program` detached (it outlives the client, like a user service) with its defaults, plus
// `--socket socketPath` unless that is the default socket; then polls `isServing` until it returns
// true, the daemon exits (its last log line becomes the message), or `timeout` passes.
LaunchOutcome launchRetaind(const QString& program, const QString& socketPath, bool defaultSocket,
                            const std::function<bool()>& isServing, std::chrono::milliseconds timeout);

}  // namespace retain::desktop
