#pragma once
// A headline number with a caption and an optional line of detail, on a rounded card.

#include <QColor>
#include <QFrame>

class QLabel;

namespace retain::desktop {

class StatTile : public QFrame {
    Q_OBJECT
public:
    explicit StatTile(const QString& caption, QWidget* parent = nullptr);
    void setValue(const QString& value);
    void setDetail(const QString& detail);
    void setCaption(const QString& caption);
    // Value font size relative to the application font (default 2.2).
    void setValueScale(double factor);
    // Colour of the value (e.g. pass and fail); invalid: the palette's text colour.
    void setValueColor(const QColor& color);
    QString value() const;
    QString detail() const;
    QString caption() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    QLabel* m_caption;
    QLabel* m_value;
    QLabel* m_detail;
};

}  // namespace retain::desktop
