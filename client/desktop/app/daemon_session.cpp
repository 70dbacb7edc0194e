#include "desktop/app/daemon_session.h"

#include <QCoreApplication>
#include <QMetaObject>

#include "desktop/app/daemon_launcher.h"

namespace retain::desktop {

QString describeError(const rpc::RpcError& error) {
    const QString message = QString::fromStdString(error.message);
    if (error.codeName == "UNAVAILABLE")
        return QStringLiteral("The study daemon is not reachable (%1).").arg(message);
    if (error.codeName == "DEADLINE_EXCEEDED")
        return QStringLiteral("The study daemon did not answer in time.");
    if (message.isEmpty())
        return QString::fromStdString(error.codeName);
    return message;
}

DaemonSession::DaemonSession(Config config, QObject* parent) : QObject(parent), m_config(std::move(config)) {
    // One thread: calls run in the order they are made, and rpc::Client is used by one thread at a time.
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

DaemonSession::~DaemonSession() {
    m_pool.clear();
    m_pool.waitForDone();
}

QString DaemonSession::taskStatementTitle(const std::string& id) const {
    for (const auto& d : m_blueprint.domains())
        for (const auto& t : d.task_statements())
            if (t.id() == id)
                return QString::fromStdString(t.title());
    return {};
}

void DaemonSession::setState(ConnectionState state, const QString& message) {
    m_state = state;
    Q_EMIT connectionStateChanged(state, message);
}

void DaemonSession::startCall() {
    if (m_pending++ == 0)
        Q_EMIT busyChanged(true);
}

void DaemonSession::setAddress(const QString& address, bool defaultAddress) {
    m_config.address = address;
    m_config.defaultAddress = defaultAddress;
}

void DaemonSession::setLearner(const v1::Learner& learner) {
    m_learner = learner;
    Q_EMIT learnerChanged(m_learner);
}

void DaemonSession::finishCall() {
    if (--m_pending == 0)
        Q_EMIT busyChanged(false);
}

template <typename T, typename Call, typename Done>
void DaemonSession::run(Operation op, Call call, Done done) {
    if (!m_client) {
        Q_EMIT failed(op, QStringLiteral("Not connected to the study daemon."));
        return;
    }
    auto client = m_client;
    const quint64 generation = m_generation;
    if (m_pending++ == 0)
        Q_EMIT busyChanged(true);
    m_pool.start([this, client, call, done, op, generation] {
        const rpc::Reply<T> reply = call(*client);
        QMetaObject::invokeMethod(
            this,
            [this, reply, done, op, generation] {
                finishCall();
                if (generation != m_generation)
                    return;
                if (!reply) {
                    Q_EMIT failed(op, describeError(reply.error()));
                    return;
                }
                done(reply.value());
            },
            Qt::QueuedConnection);
    });
}

void DaemonSession::connectToDaemon() {
    ++m_generation;
    m_client.reset();
    m_sessionId.clear();
    setState(ConnectionState::Connecting,
             QStringLiteral("Connecting to the study daemon at %1…").arg(m_config.address));
    struct Outcome {
        std::shared_ptr<rpc::Client> client;
        v1::Learner learner;
        v1::Blueprint blueprint;
        QString error;
        qint64 launchedPid = 0;
    };
    const Config cfg = m_config;
    const QString program = cfg.retaindProgram.isEmpty() ? findRetaind(QCoreApplication::applicationDirPath())
                                                         : cfg.retaindProgram;
    const quint64 generation = m_generation;
    if (m_pending++ == 0)
        Q_EMIT busyChanged(true);
    m_pool.start([this, cfg, program, generation] {
        auto out = std::make_shared<Outcome>();
        const std::string address = cfg.address.toStdString();
        rpc::ClientOptions options;
        options.deadline = cfg.deadline;
        options.token = cfg.token.toStdString();
        // A fresh channel per probe: a channel that failed to connect backs off before trying again.
        auto serving = [&] {
            auto h = rpc::Client(address, options).health();
            return h && *h;
        };
        bool up = serving();
        if (!up) {
            const QString socket = unixSocketPath(cfg.address);
            if (cfg.startDaemon && !socket.isEmpty()) {
                QMetaObject::invokeMethod(
                    this,
                    [this, generation] {
                        if (generation == m_generation)
                            setState(ConnectionState::StartingDaemon,
                                     QStringLiteral("No study daemon was running; starting one…"));
                    },
                    Qt::QueuedConnection);
                const auto launched =
                    launchRetaind(program, socket, cfg.defaultAddress, serving, cfg.startTimeout);
                up = launched.ok;
                out->launchedPid = launched.pid;
                if (!up)
                    out->error = QStringLiteral("No study daemon answers at %1, and starting one failed. %2")
                                     .arg(cfg.address, launched.message);
            } else {
                out->error =
                    QStringLiteral("No study daemon answers at %1. Start retaind there and press Retry.")
                        .arg(cfg.address);
            }
        }
        if (up) {
            auto client = std::make_shared<rpc::Client>(address, options);
            auto learner = client->ensureLearner(cfg.learner.toStdString());
            if (!learner) {
                out->error =
                    QStringLiteral("The study daemon answered, but learner \"%1\" could not be opened: %2")
                        .arg(cfg.learner, describeError(learner.error()));
            } else {
                out->learner = *learner;
                v1::GetBlueprintRequest b;
                b.set_exam_code(learner->settings().exam_code());
                if (auto bp = client->getBlueprint(b))
                    out->blueprint = *bp;
                out->client = std::move(client);
            }
        }
        QMetaObject::invokeMethod(
            this,
            [this, out, generation] {
                finishCall();
                if (generation != m_generation)
                    return;
                if (out->launchedPid)
                    m_launchedPid = out->launchedPid;
                if (!out->client) {
                    setState(ConnectionState::Failed, out->error);
                    Q_EMIT failed(Operation::Connect, out->error);
                    return;
                }
                m_client = out->client;
                m_learner = out->learner;
                m_blueprint = out->blueprint;
                setState(ConnectionState::Connected, QString());
                Q_EMIT connected(m_learner);
            },
            Qt::QueuedConnection);
    });
}

void DaemonSession::fetchToday() {
    v1::GetTodayRequest r;
    r.set_learner_id(m_learner.id());
    run<v1::TodaySummary>(
        Operation::Today, [r](rpc::Client& c) { return c.today(r); },
        [this](const v1::TodaySummary& t) { Q_EMIT todayReady(t); });
}

void DaemonSession::startSession(v1::StudyMode mode, uint32_t maxItems, const std::string& scope) {
    v1::StartSessionRequest r;
    r.set_learner_id(m_learner.id());
    r.set_mode(mode);
    r.set_max_items(maxItems);
    r.set_scope(scope);
    run<v1::Session>(
        Operation::StartSession, [r](rpc::Client& c) { return c.startSession(r); },
        [this](const v1::Session& s) {
            m_sessionId = s.id();
            Q_EMIT sessionStarted(s);
        });
}

void DaemonSession::fetchNextItem() {
    v1::NextItemRequest r;
    r.set_learner_id(m_learner.id());
    r.set_session_id(m_sessionId);
    run<v1::NextItemResponse>(
        Operation::NextItem, [r](rpc::Client& c) { return c.nextItem(r); },
        [this](const v1::NextItemResponse& n) { Q_EMIT nextItemReady(n); });
}

void DaemonSession::fetchItem(const std::string& itemId) {
    v1::GetItemRequest r;
    r.set_item_id(itemId);
    run<v1::ItemDetail>(
        Operation::Item, [r](rpc::Client& c) { return c.getItem(r); },
        [this](const v1::ItemDetail& d) { Q_EMIT itemReady(d); });
}

void DaemonSession::answer(v1::AnswerRequest r) {
    r.set_learner_id(m_learner.id());
    r.set_session_id(m_sessionId);
    run<v1::AnswerResponse>(
        Operation::Answer, [r](rpc::Client& c) { return c.answer(r); },
        [this](const v1::AnswerResponse& a) { Q_EMIT answered(a); });
}

void DaemonSession::undo() {
    v1::UndoRequest r;
    r.set_learner_id(m_learner.id());
    r.set_session_id(m_sessionId);
    run<v1::UndoResponse>(
        Operation::Undo, [r](rpc::Client& c) { return c.undo(r); },
        [this](const v1::UndoResponse& u) { Q_EMIT undone(u); });
}

void DaemonSession::endSession() {
    v1::EndSessionRequest r;
    r.set_learner_id(m_learner.id());
    r.set_session_id(m_sessionId);
    run<v1::SessionSummary>(
        Operation::EndSession, [r](rpc::Client& c) { return c.endSession(r); },
        [this](const v1::SessionSummary& s) {
            m_sessionId.clear();
            Q_EMIT sessionEnded(s);
        });
}

void DaemonSession::fetchFirstItemOfKind(v1::ItemKind kind) {
    v1::SearchItemsRequest search;
    search.set_exam_code(m_learner.settings().exam_code());
    search.set_kind(kind);
    search.set_page_size(1);
    run<v1::ItemDetail>(
        Operation::Search,
        [search](rpc::Client& c) -> rpc::Reply<v1::ItemDetail> {
            auto found = c.searchItems(search);
            if (!found)
                return found.error();
            if (found->items().empty())
                return rpc::RpcError{5, "NOT_FOUND", "no item of that kind in the exam's content"};
            v1::GetItemRequest get;
            get.set_item_id(found->items(0).id());
            return c.getItem(get);
        },
        [this](const v1::ItemDetail& d) { Q_EMIT firstItemOfKindReady(d); });
}

}  // namespace retain::desktop
