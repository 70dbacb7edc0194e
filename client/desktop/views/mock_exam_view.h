#pragma once
// Mock exams: a start page (full timed form or a short practice one, past mocks to reopen), the exam
// itself (timer, question navigator with answered and flagged squares, flag for review, previous and
// next, submit with a confirmation listing unanswered and flagged questions) and, after submission,
// the score report (MockReportView). Every answer is saved by the daemon as it is given.
// Keys while answering: letters choose, Left/Right (or P/N) move, M flags, Ctrl+Enter submits,
// Ctrl+P pauses.

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>
#include <vector>

#include "desktop/app/daemon_session.h"

class QAbstractButton;
class QButtonGroup;
class QLabel;
class QListView;
class QListWidget;
class QMessageBox;
class QPushButton;
class QStackedWidget;
class QVBoxLayout;

namespace retain::desktop {

class Banner;
class MockNavigatorModel;
class MockReportView;

class MockExamView : public QWidget {
    Q_OBJECT
public:
    enum class State { Start, Starting, Running, Submitting, Report };
    Q_ENUM(State)

    explicit MockExamView(DaemonSession* session, QWidget* parent = nullptr);

    // On the start page: lists past mocks. While running: re-reads the mock (time left, answers).
    void refresh();
    // Back to the start page (a mock in progress stays as it is on the daemon) and its list.
    void showStart();
    // True once the start page's list of mocks has arrived.
    bool isListed() const { return m_listed; }
    const retain::v1::ListMocksResponse& mocks() const { return m_mocks; }
    // Starts a mock: `questions` 0 means the full form; `minutes` 0 the form's time.
    void startMock(uint32_t questions = 0, uint32_t minutes = 0);
    // Opens a mock: resumes it when unsubmitted, else shows its report.
    void openMock(const std::string& mockId);
    // Moves to question `row` (0-based).
    void goTo(int row);
    // Chooses (or for several answers, flips) option `option` of the question on screen.
    void choose(int option);
    void toggleFlag();
    void togglePause();
    // Asks for confirmation (non-modal; see confirmation()), then submits.
    void requestSubmit();

    State state() const { return m_state; }
    const retain::v1::MockExam& mock() const { return m_mock; }
    int currentRow() const { return m_row; }
    int secondsLeft() const;
    // True while answers or flags are being saved.
    bool isSaving() const { return m_writes > 0; }
    MockNavigatorModel* navigatorModel() const { return m_navModel; }
    QListView* navigator() const { return m_navigator; }
    MockReportView* reportView() const { return m_report; }
    QMessageBox* confirmation() const { return m_confirm; }
    QListWidget* pastMocks() const { return m_past; }
    QString timerText() const;
    QString errorText() const;
    QAbstractButton* optionButton(int row) const;
    QPushButton* startButton() const { return m_startFull; }

Q_SIGNALS:
    void stateChanged(retain::desktop::MockExamView::State state);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QWidget* buildStartPage();
    QWidget* buildExamPage();
    void setState(State state);
    void showMock(const retain::v1::MockExam& mock);
    void applyServerMock(const retain::v1::MockExam& mock);
    void showQuestion();
    void updateCounts();
    void tick();
    void submit();
    void showReport(const retain::v1::MockReport& report);
    void fail(const rpc::RpcError& error, const QString& what);
    void saveAnswer(int row);

    DaemonSession* m_session;
    State m_state = State::Start;
    QStackedWidget* m_pages;
    Banner* m_error;
    // Start page
    QLabel* m_formText;
    QPushButton* m_startFull;
    QPushButton* m_startShort;
    QListWidget* m_past;
    QLabel* m_pastEmpty;
    // Exam page
    QLabel* m_position;
    QLabel* m_timer;
    QLabel* m_counts;
    QPushButton* m_pause;
    QPushButton* m_submit;
    MockNavigatorModel* m_navModel;
    QListView* m_navigator;
    QLabel* m_stem;
    QLabel* m_hint;
    QVBoxLayout* m_optionsLayout;
    QButtonGroup* m_optionGroup;
    std::vector<QAbstractButton*> m_optionButtons;
    std::vector<QWidget*> m_optionRows;
    QPushButton* m_flag;
    QPushButton* m_prev;
    QPushButton* m_next;
    QLabel* m_pausedNote;
    MockReportView* m_report;
    QMessageBox* m_confirm = nullptr;

    retain::v1::MockExam m_mock;
    retain::v1::ListMocksResponse m_mocks;
    bool m_listed = false;
    int m_row = 0;
    int m_writes = 0;
    QTimer m_clock;
    QElapsedTimer m_sinceServer;
    int m_serverSecondsLeft = 0;
};

}  // namespace retain::desktop
