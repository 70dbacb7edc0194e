#include "desktop/views/shortcuts_dialog.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "desktop/views/theme.h"

namespace retain::desktop {

namespace {

struct Group {
    const char* title;
    std::vector<std::pair<const char*, const char*>> keys;
};

const std::vector<Group>& groups() {
    static const std::vector<Group> kGroups = {
        {"Everywhere",
         {{"Ctrl+1 … Ctrl+6", "Today, Study, Mock exam, Progress, Browse, Settings"},
          {"Ctrl+,", "Settings"},
          {"F5", "Refresh the page from the daemon"},
          {"F1, Ctrl+/", "This list"}}},
        {"Today", {{"Enter", "Study now"}}},
        {"Study",
         {{"Space", "Reveal a flashcard's back"},
          {"1 2 3 4", "Grade a card: Again, Hard, Good, Easy"},
          {"A … F", "Choose a question's option"},
          {"Enter", "Submit the answer, then go on"},
          {"Ctrl+Z", "Undo the last answer"},
          {"Esc", "End the session"}}},
        {"Mock exam",
         {{"A … F", "Choose an option (the answer is saved at once)"},
          {"→, N", "Next question"},
          {"←, P", "Previous question"},
          {"M", "Flag or unflag for review"},
          {"Home, End", "First, last question"},
          {"Ctrl+Enter", "Submit the exam (asks first)"},
          {"Ctrl+P", "Pause or resume the clock"}}},
        {"Browse",
         {{"Ctrl+F", "Search"},
          {"↑ ↓", "Move through the items"},
          {"S", "Suspend or unsuspend the selected item"}}},
        {"Settings", {{"Ctrl+S", "Save the learner's settings"}}},
    };
    return kGroups;
}

}  // namespace

QStringList ShortcutsDialog::entries() {
    QStringList out;
    for (const Group& g : groups()) {
        out << QString::fromUtf8(g.title);
        for (const auto& [k, what] : g.keys)
            out << QStringLiteral("%1 — %2").arg(QString::fromUtf8(k), QString::fromUtf8(what));
    }
    return out;
}

ShortcutsDialog::ShortcutsDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(QStringLiteral("Keyboard shortcuts"));
    auto* layout = new QVBoxLayout(this);
    auto* body = new QWidget;
    auto* grid = new QGridLayout(body);
    grid->setHorizontalSpacing(24);
    grid->setVerticalSpacing(6);
    int row = 0;
    for (const Group& g : groups()) {
        auto* title = new QLabel(QString::fromUtf8(g.title));
        title->setFont(theme::scaled(font(), 1.1, true));
        if (row > 0)
            grid->setRowMinimumHeight(row++, 8);
        grid->addWidget(title, row++, 0, 1, 2);
        for (const auto& [k, what] : g.keys) {
            auto* key = new QLabel(QString::fromUtf8(k));
            key->setFont(theme::scaled(font(), 1.0, true));
            grid->addWidget(key, row, 0, Qt::AlignTop);
            grid->addWidget(new QLabel(QString::fromUtf8(what)), row++, 1);
        }
    }
    grid->setColumnStretch(1, 1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(scroll);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(560, 620);
}

}  // namespace retain::desktop
