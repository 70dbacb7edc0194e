#include "sim/plot.h"

#include <QFont>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <memory>

namespace retain::sim {
namespace {

using nlohmann::json;

const QColor kColors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
                          QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b)};

// A plot frame: data (x0..x1, y0..y1) mapped into the pixel rectangle r.
struct Frame {
    QRectF r;
    double x0, x1, y0, y1;
    QPointF at(double x, double y) const {
        return {r.left() + (x - x0) / (x1 - x0) * r.width(), r.bottom() - (y - y0) / (y1 - y0) * r.height()};
    }
};

void axes(QPainter& p, const Frame& f, const QString& title, const QString& xLabel, const QString& yLabel,
          int xTicks, int yTicks) {
    p.setPen(QPen(Qt::black, 1));
    p.drawRect(f.r);
    p.setFont(QFont("Sans", 10));
    for (int i = 0; i <= xTicks; ++i) {
        const double x = f.x0 + (f.x1 - f.x0) * i / xTicks;
        const QPointF a = f.at(x, f.y0);
        p.setPen(QPen(QColor(220, 220, 220), 1));
        p.drawLine(a, f.at(x, f.y1));
        p.setPen(Qt::black);
        p.drawText(QRectF(a.x() - 40, a.y() + 4, 80, 16), Qt::AlignHCenter | Qt::AlignTop,
                   QString::number(x, 'f', f.x1 - f.x0 > 10 ? 0 : 1));
    }
    for (int i = 0; i <= yTicks; ++i) {
        const double y = f.y0 + (f.y1 - f.y0) * i / yTicks;
        const QPointF a = f.at(f.x0, y);
        p.setPen(QPen(QColor(220, 220, 220), 1));
        p.drawLine(a, f.at(f.x1, y));
        p.setPen(Qt::black);
        p.drawText(QRectF(a.x() - 46, a.y() - 8, 40, 16), Qt::AlignRight | Qt::AlignVCenter,
                   QString::number(y, 'f', 1));
    }
    p.setPen(Qt::black);
    p.drawText(QRectF(f.r.left(), f.r.bottom() + 22, f.r.width(), 18), Qt::AlignHCenter, xLabel);
    p.save();
    p.translate(f.r.left() - 52, f.r.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-f.r.height() / 2, -18, f.r.height(), 18), Qt::AlignHCenter, yLabel);
    p.restore();
    QFont bold("Sans", 11);
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRectF(f.r.left() - 70, f.r.top() - 26, f.r.width() + 140, 20), Qt::AlignHCenter, title);
    p.setFont(QFont("Sans", 10));
}

}  // namespace

bool writePlot(const json& summary, const std::string& path) {
    std::unique_ptr<QGuiApplication> app;
    static int argc = 1;
    static char arg0[] = "retain-sim";
    static char* argv[] = {arg0, nullptr};
    if (!QCoreApplication::instance()) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    }
    const auto& models = summary["models"];
    const int rows = std::max<int>(1, static_cast<int>(models.size()));
    const int w = 1200, rowH = 470;
    QImage image(w, rows * rowH, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    int row = 0;
    for (const auto& m : models) {
        const double top = row * rowH + 50;
        const QString model = QString::fromStdString(m["model"].get<std::string>());
        const auto& cal = m["calibration"];
        // Reliability diagram.
        Frame rel{QRectF(80, top, 380, 360), 0, 1, 0, 1};
        axes(p, rel,
             QString("%1: reliability (ECE %2, Brier %3)")
                 .arg(model)
                 .arg(cal["ece"].get<double>(), 0, 'f', 3)
                 .arg(cal["brier"].get<double>(), 0, 'f', 3),
             "predicted pass probability", "observed pass rate", 5, 5);
        p.setPen(QPen(Qt::gray, 1, Qt::DashLine));
        p.drawLine(rel.at(0, 0), rel.at(1, 1));
        int maxCount = 1;
        for (const auto& b : cal["bins"])
            maxCount = std::max(maxCount, b["count"].get<int>());
        QPainterPath line;
        bool first = true;
        for (const auto& b : cal["bins"]) {
            const int n = b["count"].get<int>();
            if (n == 0)
                continue;
            const QPointF pt = rel.at(b["mean_predicted"].get<double>(), b["observed_rate"].get<double>());
            first ? line.moveTo(pt) : line.lineTo(pt);
            first = false;
            const double radius = 3 + 9 * std::sqrt(static_cast<double>(n) / maxCount);
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(31, 119, 180, 160));
            p.drawEllipse(pt, radius, radius);
        }
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(kColors[0], 2));
        p.drawPath(line);
        // True pass probability against cumulative minutes, per policy.
        double maxMinutes = 1;
        for (const auto& pol : m["policies"])
            for (const auto& x : pol["curve"]["minutes"])
                maxMinutes = std::max(maxMinutes, x.get<double>());
        Frame eff{QRectF(620, top, 540, 360), 0, maxMinutes, 0, 1};
        axes(p, eff, QString("%1: mean true pass probability vs study minutes").arg(model),
             "cumulative study minutes (mean over learners)", "true pass probability", 6, 5);
        p.setPen(QPen(Qt::gray, 1, Qt::DashLine));
        const double target = summary["config"]["target"].get<double>();
        p.drawLine(eff.at(0, target), eff.at(maxMinutes, target));
        int k = 0;
        for (const auto& pol : m["policies"]) {
            const QColor color = kColors[k % 5];
            QPainterPath curve;
            curve.moveTo(eff.at(0, 0));
            const auto& xs = pol["curve"]["minutes"];
            const auto& ys = pol["curve"]["true_pass"];
            bool started = false;
            for (size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
                const QPointF pt = eff.at(xs[i].get<double>(), ys[i].get<double>());
                started ? curve.lineTo(pt) : curve.moveTo(pt);
                started = true;
            }
            p.setPen(QPen(color, 2));
            p.drawPath(curve);
            p.drawLine(QPointF(eff.r.left() + 12, eff.r.top() + 16 + 18 * k),
                       QPointF(eff.r.left() + 36, eff.r.top() + 16 + 18 * k));
            p.setPen(Qt::black);
            p.drawText(QPointF(eff.r.left() + 42, eff.r.top() + 20 + 18 * k),
                       QString::fromStdString(pol["policy"].get<std::string>()));
            ++k;
        }
        ++row;
    }
    p.end();
    return image.save(QString::fromStdString(path), "PNG");
}

}  // namespace retain::sim
