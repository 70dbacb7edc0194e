#pragma once
// A rounded message strip for errors and notices, with an optional action button ("Retry").

#include <QFrame>

class QLabel;
class QPushButton;

namespace retain::desktop {

class Banner : public QFrame {
    Q_OBJECT
public:
    explicit Banner(const QString& action = QString(), QWidget* parent = nullptr);
    // Shows `html` (already escaped where needed).
    void showMessage(const QString& html);
    void clear();
    QString text() const;

Q_SIGNALS:
    void actionClicked();

private:
    QLabel* m_text;
    QPushButton* m_action = nullptr;
};

}  // namespace retain::desktop
