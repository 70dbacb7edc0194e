#pragma once
// The Progress page's charts, built from the daemon's replies. Pure functions from data to a QChart,
// so tests and the benchmark build them without a window. Colours come from the palette, so the charts
// read well in light and dark themes. An empty reply gives a chart with no series (the page says so).

#include <QDate>
#include <QPalette>

#include "retain/v1/content_service.pb.h"
#include "retain/v1/progress.pb.h"
#include "retain/v1/readiness.pb.h"

class QChart;

namespace retain::desktop::charts {

// Mastery (probability of answering an unseen question right) as a bar per row with its ±1 s.d.
// band: the mean sits where the darker part meets the lighter one.
QChart* mastery(const google::protobuf::RepeatedPtrField<retain::v1::Mastery>& rows, const QPalette& palette);
// Pass probability per study day with enough evidence.
QChart* readiness(const retain::v1::ReadinessHistory& history, const QPalette& palette);
// Reviews per day over the last `weeks` weeks ending at `today`: a calendar of squares by weekday.
QChart* heatmap(const retain::v1::ReviewHistory& history, const QDate& today, const QPalette& palette,
                int weeks = 26);
// Items due per day from today.
QChart* dueForecast(const retain::v1::DueForecast& forecast, const QPalette& palette);
// Minutes studied per day over the last `days` days ending at `today`.
QChart* timeStudied(const retain::v1::ReviewHistory& history, const QDate& today, const QPalette& palette,
                    int days = 30);
// Weekly recall: predicted versus actual, with the desired retention as a line.
QChart* retention(const retain::v1::RetentionReport& report, const QPalette& palette);
// Calibration: actual recall per predicted-recall bin against the diagonal.
QChart* calibration(const retain::v1::RetentionReport& report, const QPalette& palette);

// An item's forgetting curve since its last review, R(t) = (1 + f t / S)^-decay (FSRS-6), with "now"
// marked where the daemon's retrievability puts it and the desired retention as a line.
QChart* forgettingCurve(const retain::v1::ItemMemory& memory, double desiredRetention,
                        const QPalette& palette);
// Days since the last review at which the curve reaches `r`.
double daysToRecall(const retain::v1::ItemMemory& memory, double r);

// Points across all series of `chart` (bar sets count their values): how much data it shows.
int pointCount(const QChart* chart);

}  // namespace retain::desktop::charts
