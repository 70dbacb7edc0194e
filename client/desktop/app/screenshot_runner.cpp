#include "desktop/app/screenshot_runner.h"

#include <QCoreApplication>
#include <QDir>
#include <QKeyEvent>
#include <QPixmap>

#include "desktop/app/daemon_session.h"
#include "desktop/models/option_list_model.h"
#include "desktop/views/main_window.h"
#include "desktop/views/review_view.h"
#include "desktop/views/today_view.h"

namespace retain::desktop {

namespace {
constexpr int kTickMs = 20;
constexpr int kSettleTicks = 4;
constexpr qint64 kTimeoutMs = 90'000;
}  // namespace

ScreenshotRunner::ScreenshotRunner(MainWindow* window, QString directory, int studyItems, QObject* parent)
    : QObject(parent), m_window(window), m_dir(std::move(directory)), m_study(studyItems) {
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &ScreenshotRunner::tick);
    DaemonSession* session = m_window->session();
    connect(session, &DaemonSession::firstItemOfKindReady, this,
            [this](const v1::ItemDetail& detail) { m_preview = detail; });
    connect(session, &DaemonSession::failed, this,
            [this](DaemonSession::Operation op, const QString& message) {
                if (op == DaemonSession::Operation::Search) {
                    m_previewFailed = true;
                    m_error = message;
                }
            });
}

void ScreenshotRunner::start() {
    if (!QDir().mkpath(m_dir)) {
        finish(1, QStringLiteral("cannot create directory %1").arg(m_dir));
        return;
    }
    m_window->resize(1180, 800);
    m_window->show();
    m_clock.start();
    m_timer.start();
    m_window->start();
}

bool ScreenshotRunner::settled(const QString& key) {
    if (key != m_settleKey) {
        m_settleKey = key;
        m_settleCount = 0;
        return false;
    }
    return ++m_settleCount >= kSettleTicks;
}

bool ScreenshotRunner::grab(const QString& name) {
    const QString path = QDir(m_dir).filePath(name);
    if (!m_window->grab().save(path, "PNG")) {
        finish(1, QStringLiteral("cannot write %1").arg(path));
        return false;
    }
    m_written << path;
    m_settleKey.clear();
    return true;
}

void ScreenshotRunner::press(int key) {
    QWidget* target = m_window->currentPage();
    const QString text = key >= Qt::Key_Space && key <= Qt::Key_AsciiTilde ? QString(QChar(key)) : QString();
    QKeyEvent down(QEvent::KeyPress, key, Qt::NoModifier, text);
    QKeyEvent up(QEvent::KeyRelease, key, Qt::NoModifier, text);
    QCoreApplication::sendEvent(target, &down);
    QCoreApplication::sendEvent(target, &up);
    m_settleKey.clear();
}

void ScreenshotRunner::finish(int code, const QString& error) {
    if (m_step == Step::Done)
        return;
    m_step = Step::Done;
    m_timer.stop();
    if (!error.isEmpty())
        m_error = error;
    QTimer::singleShot(0, this, [this, code] { Q_EMIT finished(code); });
}

void ScreenshotRunner::tick() {
    if (m_clock.elapsed() > kTimeoutMs) {
        finish(1, QStringLiteral("timed out after %1 s").arg(kTimeoutMs / 1000));
        return;
    }
    DaemonSession* session = m_window->session();
    switch (m_step) {
        case Step::Connecting:
            if (session->connectionState() == DaemonSession::ConnectionState::Failed) {
                if (settled(QStringLiteral("failed")) && grab(QStringLiteral("connection.png")))
                    finish(1, QStringLiteral("no daemon: the connection screen says why"));
                return;
            }
            if (m_window->page() == MainWindow::Page::Today && m_window->todayView()->hasToday() &&
                !session->isBusy() && settled(QStringLiteral("today"))) {
                if (!grab(QStringLiteral("today.png")))
                    return;
                m_step = Step::Studying;
                m_window->studyNow();
            }
            return;
        case Step::Studying:
            tickStudying();
            return;
        case Step::Summary:
            if (settled(QStringLiteral("summary")) && grab(QStringLiteral("summary.png")))
                m_step = Step::Previews;
            return;
        case Step::Previews:
            tickPreviews();
            return;
        case Step::Mock:
            tickMock();
            return;
        case Step::MockReport:
            tickMockReport();
            return;
        case Step::Progress:
        case Step::Browse:
        case Step::Settings:
            tickPages();
            return;
        case Step::Done:
            return;
    }
}

void ScreenshotRunner::tickStudying() {
    using State = ReviewView::State;
    ReviewView* review = m_window->reviewView();
    if (m_window->page() == MainWindow::Page::Summary) {
        m_step = Step::Summary;
        return;
    }
    const bool studying = m_study > 0;
    const bool enough = review->answeredCount() >= m_study && m_cardShot && m_questionShot;
    const QString item = QString::fromStdString(review->currentItem().id());
    switch (review->state()) {
        case State::Front:
            if (settled(QStringLiteral("front:") + item))
                press(Qt::Key_Space);
            return;
        case State::Back:
            if (!settled(QStringLiteral("back:") + item))
                return;
            if (!m_cardShot) {
                if (!grab(QStringLiteral("review-card.png")))
                    return;
                m_cardShot = true;
            }
            press(studying && !enough ? Qt::Key_3 : Qt::Key_Escape);
            return;
        case State::Choosing: {
            if (!settled(QStringLiteral("choosing:") + item))
                return;
            OptionListModel* options = review->optionModel();
            if (options->chosenCount() == 0) {
                for (int i = 0; i < options->choose(); ++i)
                    press(Qt::Key_A + i);
                return;
            }
            if (studying) {
                press(Qt::Key_Return);
                return;
            }
            if (!m_questionShot) {
                if (!grab(QStringLiteral("review-question.png")))
                    return;
                m_questionShot = true;
            }
            press(Qt::Key_Escape);
            return;
        }
        case State::Feedback:
            if (!settled(QStringLiteral("feedback:") + item))
                return;
            if (!m_questionShot) {
                if (!grab(QStringLiteral("review-question.png")))
                    return;
                m_questionShot = true;
            }
            press(enough ? Qt::Key_Escape : Qt::Key_Return);
            return;
        case State::Error:
            finish(1, review->errorText());
            return;
        default:
            return;
    }
}

void ScreenshotRunner::tickPreviews() {
    ReviewView* review = m_window->reviewView();
    if (m_cardShot && m_questionShot) {
        m_step = Step::Mock;
        return;
    }
    if (m_previewFailed) {
        finish(1, QStringLiteral("no item to preview: %1").arg(m_error));
        return;
    }
    const v1::ItemKind kind = m_cardShot ? v1::MULTIPLE_CHOICE : v1::FLASHCARD;
    if (!m_previewRequested) {
        m_preview.reset();
        m_previewRequested = true;
        m_window->session()->fetchFirstItemOfKind(kind);
        return;
    }
    if (!m_preview)
        return;
    if (review->state() != ReviewView::State::Preview ||
        review->currentItem().id() != m_preview->item().id()) {
        review->showPreview(*m_preview);
        m_window->showPage(MainWindow::Page::Review);
        return;
    }
    if (!settled(QStringLiteral("preview:") + QString::fromStdString(m_preview->item().id())))
        return;
    if (!grab(kind == v1::FLASHCARD ? QStringLiteral("review-card.png")
                                    : QStringLiteral("review-question.png")))
        return;
    (kind == v1::FLASHCARD ? m_cardShot : m_questionShot) = true;
    m_previewRequested = false;
}

}  // namespace retain::desktop
