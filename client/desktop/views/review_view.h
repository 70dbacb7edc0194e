#pragma once
// A review session, keyboard first: Space reveals a card, 1-4 grade it; letters choose a question's
// options and Enter submits; Enter goes on after feedback; Ctrl+Z undoes the last answer; Esc ends the
// session. Every call goes through the DaemonSession; this view shows the errors of those calls.

#include <QElapsedTimer>
#include <QWidget>
#include <functional>

#include "desktop/app/daemon_session.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QFrame;
class QScrollArea;

namespace retain::desktop {

class FlashcardPanel;
class QuestionPanel;
class OptionListModel;

class ReviewView : public QWidget {
    Q_OBJECT
public:
    enum class State {
        Idle,        // no session
        Starting,    // session being planned
        Loading,     // waiting for the next item
        Front,       // flashcard front shown
        Back,        // flashcard back shown, waiting for a grade
        Choosing,    // question shown, waiting for a choice
        Submitting,  // answer being recorded
        Feedback,    // question answered, feedback shown
        Undoing,
        Ending,
        Finished,
        Error,    // a call failed; Retry (Enter) repeats it
        Preview,  // an item shown outside any session (screenshots)
    };
    Q_ENUM(State)

    explicit ReviewView(DaemonSession* session, QWidget* parent = nullptr);

    // Starts a session of `mode` and shows its first item.
    // A session: the daily one, a drill on `scope` (a domain or task statement, new items included beyond the
    // daily limit), or the learner's recent mistakes.
    void begin(retain::v1::StudyMode mode = retain::v1::DAILY_REVIEW, const QString& scope = {});
    // Shows an item outside any session: a flashcard revealed, a question unanswered.
    void showPreview(const retain::v1::ItemDetail& detail);
    // Called by the main window for failures of this view's operations.
    void showError(DaemonSession::Operation operation, const QString& message);

    State state() const { return m_state; }
    const retain::v1::PresentedItem& currentItem() const { return m_item; }
    // The leech notice shown with the item ("" when hidden).
    QString leechText() const;
    // Answers recorded in this session and not undone.
    int answeredCount() const { return m_answered; }
    QString statusText() const;
    QString errorText() const;
    QString progressText() const;
    FlashcardPanel* flashcardPanel() const { return m_flashcard; }
    QuestionPanel* questionPanel() const { return m_question; }
    OptionListModel* optionModel() const { return m_options; }
    QProgressBar* progressBar() const { return m_progress; }

Q_SIGNALS:
    void stateChanged(retain::desktop::ReviewView::State state);
    void finished(const retain::v1::SessionSummary& summary, const QString& reason);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void setState(State state);
    void onSessionStarted(const retain::v1::Session& session);
    void onNextItem(const retain::v1::NextItemResponse& next);
    void onItem(const retain::v1::ItemDetail& detail);
    void onAnswered(const retain::v1::AnswerResponse& answer);
    void onUndone(const retain::v1::UndoResponse& undo);
    void onEnded(const retain::v1::SessionSummary& summary);
    void present(const retain::v1::PresentedItem& item, const std::vector<uint32_t>& intervals);
    void reveal();
    void grade(int rating);
    void submit();
    void next();
    void undo();
    void end();
    void retry();
    void setStatus(const QString& text);
    void showLoading(const QString& text);
    uint32_t responseMs() const;

    DaemonSession* m_session;
    OptionListModel* m_options;
    QLabel* m_counter;
    QProgressBar* m_progress;
    QLabel* m_topic;
    QLabel* m_badges;
    QPushButton* m_undo;
    QPushButton* m_end;
    QLabel* m_status;
    QFrame* m_errorBanner;
    QLabel* m_error;
    QFrame* m_leechBanner;
    QLabel* m_leech;
    QWidget* m_stack;  // the loading label, the flashcard or the question: one shown at a time
    QLabel* m_loading;
    FlashcardPanel* m_flashcard;
    QuestionPanel* m_question;
    QScrollArea* m_scroll;

    State m_state = State::Idle;
    retain::v1::PresentedItem m_item;
    QString m_finishReason;
    QElapsedTimer m_shown;
    int m_answered = 0;
    bool m_revealPending = false;
    std::function<void()> m_retry;
};

}  // namespace retain::desktop
