#pragma once
// The client's one link to retaind. Every rpc::Client call runs on a private one-thread pool, so calls
// never block the GUI and run in the order they were asked for (an answer is recorded before the next
// item is fetched); results come back to the GUI thread by a queued call and leave as signals. Errors
// leave as `failed(operation, message)`, and exactly one view shows each operation's errors.

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>
#include <chrono>
#include <functional>
#include <memory>

#include "rpc/client.h"

namespace retain::desktop {

namespace v1 = ::retain::v1;

// "The daemon is not running" style text for an RPC error, for people.
QString describeError(const rpc::RpcError& error);

class DaemonSession : public QObject {
    Q_OBJECT
public:
    struct Config {
        QString address;  // "unix:PATH" or "HOST:PORT"
        QString learner = QStringLiteral("default");
        // Start retaind when nothing answers on a unix socket address (the embedded default).
        bool startDaemon = true;
        // retaind to start; empty: findRetaind(application dir).
        QString retaindProgram;
        // True when `address` is the default address, so retaind is started with its own defaults.
        bool defaultAddress = false;
        std::chrono::milliseconds deadline{5000};
        std::chrono::milliseconds startTimeout{15000};
        // Access token for a TCP address (docs/security.md); the unix socket needs none.
        QString token;
    };

    enum class Operation {
        Connect,
        Today,
        StartSession,
        NextItem,
        Item,
        Answer,
        Undo,
        EndSession,
        Search,
        Readiness,
        Mock,
        Progress,
        Browse,
        Settings,
        Sync,
    };
    Q_ENUM(Operation)

    enum class ConnectionState { Disconnected, Connecting, StartingDaemon, Connected, Failed };
    Q_ENUM(ConnectionState)

    explicit DaemonSession(Config config, QObject* parent = nullptr);
    // Waits for the call in flight (bounded by the deadline); queued calls are dropped.
    ~DaemonSession() override;

    const Config& config() const { return m_config; }
    // Another daemon address for the next connectToDaemon (from Settings).
    void setAddress(const QString& address, bool defaultAddress);
    ConnectionState connectionState() const { return m_state; }
    bool isConnected() const { return m_state == ConnectionState::Connected; }
    const v1::Learner& learner() const { return m_learner; }
    // The learner's blueprint (empty when it could not be read): titles of domains and task statements.
    const v1::Blueprint& blueprint() const { return m_blueprint; }
    QString taskStatementTitle(const std::string& id) const;
    // The open study session's id, empty when none.
    const std::string& sessionId() const { return m_sessionId; }
    // Process id of the retaind this session started (the embedded default), 0 if none.
    qint64 launchedDaemonPid() const { return m_launchedPid; }
    // True while calls are queued or running.
    bool isBusy() const { return m_pending > 0; }

    // Health check, retaind started when needed (see Config::startDaemon), then the learner.
    void connectToDaemon();
    void fetchToday();
    // `scope`: a domain ("3") or task statement ("3.2") for DRILL, empty otherwise.
    void startSession(v1::StudyMode mode = v1::DAILY_REVIEW, uint32_t maxItems = 0,
                      const std::string& scope = {});
    void fetchNextItem();
    // Full content of an item (a flashcard's back), without learner state.
    void fetchItem(const std::string& itemId);
    // Fills in learner and session ids.
    void answer(v1::AnswerRequest request);
    void undo();
    void endSession();
    // The first item of a kind in the learner's exam (for screenshots of both item kinds).
    void fetchFirstItemOfKind(v1::ItemKind kind);
    // The learner as the daemon has it now (after settings changed); `connected` is not re-emitted.
    void setLearner(const v1::Learner& learner);

    // Any rpc::Client call, off the GUI thread like the rest: `done(value)` runs on the GUI thread if
    // `context` still exists. Errors go to `onError` when given, else leave as `failed(op, ...)`.
    template <typename T>
    void call(Operation op, QObject* context, std::function<rpc::Reply<T>(rpc::Client&)> rpcCall,
              std::function<void(const T&)> done, std::function<void(const rpc::RpcError&)> onError = {});

Q_SIGNALS:
    void connectionStateChanged(retain::desktop::DaemonSession::ConnectionState state,
                                const QString& message);
    void connected(const retain::v1::Learner& learner);
    void todayReady(const retain::v1::TodaySummary& today);
    void sessionStarted(const retain::v1::Session& session);
    void nextItemReady(const retain::v1::NextItemResponse& next);
    void itemReady(const retain::v1::ItemDetail& item);
    void firstItemOfKindReady(const retain::v1::ItemDetail& item);
    void answered(const retain::v1::AnswerResponse& answer);
    void undone(const retain::v1::UndoResponse& undo);
    void sessionEnded(const retain::v1::SessionSummary& summary);
    void failed(retain::desktop::DaemonSession::Operation operation, const QString& message);
    void busyChanged(bool busy);
    void learnerChanged(const retain::v1::Learner& learner);

private:
    template <typename T, typename Call, typename Done>
    void run(Operation op, Call call, Done done);
    void startCall();
    void setState(ConnectionState state, const QString& message);
    void finishCall();

    Config m_config;
    QThreadPool m_pool;
    std::shared_ptr<rpc::Client> m_client;
    ConnectionState m_state = ConnectionState::Disconnected;
    v1::Learner m_learner;
    v1::Blueprint m_blueprint;
    std::string m_sessionId;
    int m_pending = 0;
    qint64 m_launchedPid = 0;
    // Bumped by connectToDaemon: results of calls made on an earlier connection are dropped.
    quint64 m_generation = 0;
};

template <typename T>
void DaemonSession::call(Operation op, QObject* context, std::function<rpc::Reply<T>(rpc::Client&)> rpcCall,
                         std::function<void(const T&)> done,
                         std::function<void(const rpc::RpcError&)> onError) {
    if (!m_client) {
        const rpc::RpcError e{14, "UNAVAILABLE", "not connected to the study daemon"};
        if (onError)
            onError(e);
        else
            Q_EMIT failed(op, QStringLiteral("Not connected to the study daemon."));
        return;
    }
    auto client = m_client;
    const quint64 generation = m_generation;
    QPointer<QObject> guard(context);
    startCall();
    m_pool.start([this, client, rpcCall, done, onError, op, generation, guard] {
        auto reply = std::make_shared<rpc::Reply<T>>(rpcCall(*client));
        QMetaObject::invokeMethod(
            this,
            [this, reply, done, onError, op, generation, guard] {
                finishCall();
                if (generation != m_generation || !guard)
                    return;
                if (!*reply) {
                    if (onError)
                        onError(reply->error());
                    else
                        Q_EMIT failed(op, describeError(reply->error()));
                    return;
                }
                done(reply->value());
            },
            Qt::QueuedConnection);
    });
}

}  // namespace retain::desktop
