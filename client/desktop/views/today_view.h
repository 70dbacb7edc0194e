#pragma once
// The Today screen: what is due, how long it takes, the streak, the exam countdown, readiness, and
// one big "Study now" (Enter).

#include <QWidget>

#include "retain/v1/content.pb.h"
#include "retain/v1/learner.pb.h"
#include "retain/v1/progress.pb.h"
#include "retain/v1/readiness.pb.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QFrame;

namespace retain::desktop {

class StatTile;

class TodayView : public QWidget {
    Q_OBJECT
public:
    explicit TodayView(QWidget* parent = nullptr);

    void setLearner(const retain::v1::Learner& learner, const retain::v1::Blueprint& blueprint);
    void setToday(const retain::v1::TodaySummary& today);
    // The readiness headline: pass probability and scaled score with its interval, or what is missing.
    void setReadiness(const retain::v1::Readiness& readiness);
    // Waiting for numbers: keeps what is shown, says it is refreshing.
    void setLoading();
    void showError(const QString& message);
    bool hasToday() const { return m_hasToday; }

    StatTile* dueTile() const { return m_due; }
    StatTile* newTile() const { return m_new; }
    StatTile* timeTile() const { return m_time; }
    StatTile* streakTile() const { return m_streak; }
    StatTile* examTile() const { return m_exam; }
    StatTile* readinessTile() const { return m_readiness; }
    QPushButton* studyButton() const { return m_study; }
    // Under the button: how to start, or why the day is done (today's minutes used, or nothing left).
    QLabel* studyHint() const { return m_studyHint; }
    QComboBox* focusBox() const { return m_focus; }
    QPushButton* focusButton() const { return m_focusButton; }
    QPushButton* mistakesButton() const { return m_mistakes; }
    // "Study next": the readiness model's most valuable task statements, as links that start a drill.
    QLabel* nextLabel() const { return m_next; }
    QString errorText() const;

Q_SIGNALS:
    void studyRequested();
    // A drill on a domain ("3") or task statement ("3.2"), new items included.
    void focusRequested(const QString& scope);
    void mistakesRequested();
    void retryRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QLabel* m_title;
    QLabel* m_subtitle;
    QLabel* m_examNote;
    QFrame* m_errorBanner;
    QLabel* m_error;
    StatTile* m_due;
    StatTile* m_new;
    StatTile* m_time;
    StatTile* m_streak;
    StatTile* m_exam;
    StatTile* m_readiness;
    QProgressBar* m_seen;
    QLabel* m_seenLabel;
    QLabel* m_plan;
    QLabel* m_todaySoFar;
    QPushButton* m_study;
    QLabel* m_studyHint;
    QComboBox* m_focus;
    QPushButton* m_focusButton;
    QPushButton* m_mistakes;
    QLabel* m_next;
    QString m_examCode;
    bool m_hasToday = false;
};

}  // namespace retain::desktop
