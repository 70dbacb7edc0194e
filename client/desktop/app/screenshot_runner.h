#pragma once
// retain --screenshot DIR: drives the real window through every screen with the data the daemon has
// (by the same keys a person would press) and writes one PNG per screen: today.png, review-card.png,
// review-question.png, summary.png, mock-exam.png, mock-report.png, progress.png, browse.png,
// settings.png (connection.png instead when no daemon can be reached).
// Without `studyItems` it records no answers: it shows the session's first item, ends the session,
// and shows the other kind of item as a preview; the mock pages show mocks the learner already has
// (the start page, and no report, when there are none). With it, it studies that many items first
// and, when the learner has no mock in progress, starts a short practice mock and submits it.

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <optional>

#include "retain/v1/content_service.pb.h"

namespace retain::desktop {

class MainWindow;

class ScreenshotRunner : public QObject {
    Q_OBJECT
public:
    ScreenshotRunner(MainWindow* window, QString directory, int studyItems, QObject* parent = nullptr);
    // Shows the window at a fixed size, connects and starts. `finished` follows.
    void start();
    QStringList written() const { return m_written; }
    QString error() const { return m_error; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    enum class Step {
        Connecting,
        Studying,
        Summary,
        Previews,
        Mock,
        MockReport,
        Progress,
        Browse,
        Settings,
        Done
    };
    void tick();
    void tickStudying();
    void tickPreviews();
    void tickMock();
    void tickMockReport();
    void tickPages();
    // True once `key` has been the situation for a few ticks in a row (layouts settled).
    bool settled(const QString& key);
    bool grab(const QString& name);
    void press(int key);
    void finish(int code, const QString& error = QString());

    MainWindow* m_window;
    QString m_dir;
    int m_study;
    Step m_step = Step::Connecting;
    QTimer m_timer;
    QElapsedTimer m_clock;
    QString m_settleKey;
    int m_settleCount = 0;
    bool m_cardShot = false;
    bool m_questionShot = false;
    bool m_previewRequested = false;
    std::optional<retain::v1::ItemDetail> m_preview;
    bool m_previewFailed = false;
    bool m_pageShown = false;
    bool m_mockStarted = false;
    bool m_practiceByUs = false;
    int m_mockAnswers = 0;
    bool m_reportRequested = false;
    bool m_reportSelected = false;
    bool m_browsePicked = false;
    QStringList m_written;
    QString m_error;
};

}  // namespace retain::desktop
