#include "desktop/app/text_format.h"

#include <QDate>
#include <QLocale>
#include <cmath>

namespace retain::desktop {

QString safeTextToHtml(const std::string& text) {
    const QString in = QString::fromStdString(text);
    QString out;
    out.reserve(in.size() + 16);
    bool strong = false, emphasis = false, code = false;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const QChar c = in.at(i);
        if (c == u'`') {
            out += code ? QStringLiteral("</code>") : QStringLiteral("<code>");
            code = !code;
            continue;
        }
        if (!code && c == u'*') {
            if (i + 1 < in.size() && in.at(i + 1) == u'*') {
                out += strong ? QStringLiteral("</b>") : QStringLiteral("<b>");
                strong = !strong;
                ++i;
            } else {
                out += emphasis ? QStringLiteral("</i>") : QStringLiteral("<i>");
                emphasis = !emphasis;
            }
            continue;
        }
        if (c == u'\n') {
            out += QStringLiteral("<br>");
            continue;
        }
        if (c == u'<')
            out += QStringLiteral("&lt;");
        else if (c == u'>')
            out += QStringLiteral("&gt;");
        else if (c == u'&')
            out += QStringLiteral("&amp;");
        else
            out += c;
    }
    // Unbalanced markers: close what is open so the rest of the label is not affected.
    if (code)
        out += QStringLiteral("</code>");
    if (emphasis)
        out += QStringLiteral("</i>");
    if (strong)
        out += QStringLiteral("</b>");
    return out;
}

QString plainLine(const std::string& text, int max) {
    QString p = QString::fromStdString(text).simplified();
    p.remove(QLatin1Char('`')).remove(QLatin1Char('*'));
    return max > 0 && p.size() > max ? p.left(max - 1) + QStringLiteral("…") : p;
}

QString intervalText(uint32_t days) {
    if (days == 0)
        return QStringLiteral("today");
    if (days == 1)
        return QStringLiteral("1 day");
    if (days < 45)
        return QStringLiteral("%1 days").arg(days);
    if (days < 365) {
        const int months = static_cast<int>(std::lround(days / 30.44));
        return QStringLiteral("%1 months").arg(months);
    }
    const double years = days / 365.25;
    return QStringLiteral("%1 years").arg(QLocale().toString(years, 'f', years < 10 ? 1 : 0));
}

QString minutesText(double minutes) {
    if (minutes < 1.0)
        return minutes <= 0.0 ? QStringLiteral("0 min") : QStringLiteral("under a minute");
    const int total = static_cast<int>(std::lround(minutes));
    if (total < 60)
        return QStringLiteral("about %1 min").arg(total);
    const int h = total / 60, m = total % 60;
    return m == 0 ? QStringLiteral("about %1 h").arg(h) : QStringLiteral("about %1 h %2 min").arg(h).arg(m);
}

QString longDateText(const std::string& isoDate) {
    const QDate d = QDate::fromString(QString::fromStdString(isoDate), Qt::ISODate);
    if (!d.isValid())
        return QString::fromStdString(isoDate);
    return QLocale().toString(d, QStringLiteral("dddd d MMMM yyyy"));
}

QString optionLetter(int index) {
    return QString(QChar(u'A' + index));
}

QString lettersText(const QList<int>& indexes) {
    QStringList letters;
    for (int i : indexes)
        letters << optionLetter(i);
    if (letters.size() <= 1)
        return letters.join(QString());
    const QString last = letters.takeLast();
    return letters.join(QStringLiteral(", ")) + QStringLiteral(" and ") + last;
}

QString chooseText(uint32_t choose) {
    return choose > 1 ? QStringLiteral("Choose %1.").arg(choose) : QString();
}

}  // namespace retain::desktop
