// ReviewView's keyboard and error handling: every key of a review session, and Retry.
#include <QKeyEvent>
#include <QLabel>

#include "desktop/app/text_format.h"
#include "desktop/models/option_list_model.h"
#include "desktop/views/keys.h"
#include "desktop/views/review_view.h"

namespace retain::desktop {

void ReviewView::showError(DaemonSession::Operation operation, const QString& message) {
    const char* what = "";
    switch (operation) {
        case DaemonSession::Operation::StartSession:
            what = "Could not start the session.";
            break;
        case DaemonSession::Operation::NextItem:
            what = "Could not get the next item.";
            m_retry = [this] { next(); };
            break;
        case DaemonSession::Operation::Item:
            what = "Could not load the card's answer.";
            m_retry = [this, id = m_item.id()] {
                setState(State::Front);
                m_session->fetchItem(id);
            };
            break;
        case DaemonSession::Operation::Answer:
            what = "Your answer was not recorded.";
            break;
        case DaemonSession::Operation::Undo:
            what = "Could not undo.";
            break;
        case DaemonSession::Operation::EndSession:
            what = "Could not end the session.";
            break;
        default:
            return;
    }
    m_error->setText(QStringLiteral("<b>%1</b> %2").arg(QString::fromLatin1(what), message.toHtmlEscaped()));
    m_errorBanner->show();
    setState(State::Error);
}

void ReviewView::retry() {
    if (m_state != State::Error || !m_retry)
        return;
    m_errorBanner->hide();
    m_retry();
}

void ReviewView::keyPressEvent(QKeyEvent* event) {
    if (event->matches(QKeySequence::Undo)) {
        undo();
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        end();
        return;
    }
    switch (m_state) {
        case State::Front:
            if (keys::isSpace(event) || keys::isEnter(event))
                reveal();
            else if (keys::grade(event))
                setStatus(QStringLiteral("Press Space to see the answer first, then grade it."));
            else
                break;
            return;
        case State::Back:
            if (const int g = keys::grade(event)) {
                grade(g);
                return;
            }
            break;
        case State::Choosing: {
            const int row = keys::letter(event);
            if (row >= 0 && row < m_options->rowCount()) {
                m_options->toggle(row);
                return;
            }
            if (keys::isEnter(event)) {
                if (m_options->canSubmit())
                    submit();
                else
                    setStatus(
                        m_options->multipleResponse()
                            ? QStringLiteral("Choose %1 options, then press Enter.").arg(m_options->choose())
                            : QStringLiteral("Choose an option first (A–%1).")
                                  .arg(optionLetter(m_options->rowCount() - 1)));
                return;
            }
            break;
        }
        case State::Feedback:
            if (keys::isEnter(event) || keys::isSpace(event)) {
                next();
                return;
            }
            break;
        case State::Error:
            if (keys::isEnter(event)) {
                retry();
                return;
            }
            break;
        default:
            break;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace retain::desktop
