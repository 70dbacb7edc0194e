#pragma once
// Progress: charts of mastery per domain and task statement (with uncertainty), readiness over time,
// reviews per day as a calendar, the due forecast, time studied, and retention predicted versus actual.
// Five calls to the daemon fill it; until the first answer each chart says what will appear there.

#include <QWidget>
#include <map>

#include "desktop/app/daemon_session.h"

class QChart;
class QChartView;
class QLabel;
class QStackedLayout;

namespace retain::desktop {

class Banner;
class StatTile;

class ProgressView : public QWidget {
    Q_OBJECT
public:
    enum class Chart {
        DomainMastery,
        TaskMastery,
        Readiness,
        Heatmap,
        DueForecast,
        TimeStudied,
        Retention,
        Calibration
    };
    Q_ENUM(Chart)

    explicit ProgressView(DaemonSession* session, QWidget* parent = nullptr);

    // Asks the daemon for everything again; `loaded` follows (or the error banner).
    void refresh();
    bool isLoaded() const { return m_loaded; }
    QChart* chart(Chart which) const;
    // True when `which` shows its "nothing yet" text instead of a plot.
    bool isEmpty(Chart which) const;
    QString errorText() const;
    StatTile* streakTile() const { return m_streak; }
    StatTile* retentionTile() const { return m_retention; }
    StatTile* timeTile() const { return m_time; }

Q_SIGNALS:
    void loaded();

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Card {
        QChartView* view = nullptr;
        QLabel* empty = nullptr;
        QStackedLayout* stack = nullptr;
    };
    QWidget* card(Chart which, const QString& title, const QString& emptyText, const QString& tip);
    void rebuild();
    void setChart(Chart which, QChart* chart);
    void partDone(quint64 generation);

    DaemonSession* m_session;
    Banner* m_error;
    QLabel* m_subtitle;
    StatTile* m_streak;
    StatTile* m_retention;
    StatTile* m_time;
    std::map<Chart, Card> m_cards;
    v1::MasteryReport m_mastery;
    v1::DueForecast m_forecast;
    v1::ReviewHistory m_history;
    v1::RetentionReport m_retentionReport;
    v1::ReadinessHistory m_readiness;
    QString m_today;
    int m_outstanding = 0;
    quint64 m_generation = 0;
    bool m_loaded = false;
    bool m_failed = false;
};

}  // namespace retain::desktop
