#include "desktop/views/settings_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QTimeZone>
#include <QVBoxLayout>
#include <cmath>

#include "desktop/views/banner.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

namespace {

QString whenText(int64_t ms) {
    if (ms <= 0)
        return QStringLiteral("never");
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("ddd d MMM yyyy, HH:mm:ss"));
}

QSpinBox* spin(int lo, int hi, const QString& suffix, const QString& tip) {
    auto* s = new QSpinBox;
    s->setRange(lo, hi);
    s->setSuffix(suffix);
    s->setToolTip(tip);
    return s;
}

}  // namespace

SettingsView::SettingsView(DaemonSession* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_error(new Banner), m_status(new QLabel) {
    setFocusPolicy(Qt::StrongFocus);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(scroll);
    auto* body = new QWidget;
    scroll->setWidget(body);
    auto* row = new QHBoxLayout(body);
    auto* column = new QVBoxLayout;
    row->addStretch(1);
    row->addLayout(column, 10);
    row->addStretch(1);
    column->setContentsMargins(0, 22, 0, 22);
    column->setSpacing(14);
    auto* title = new QLabel(QStringLiteral("Settings"));
    title->setFont(theme::scaled(font(), 2.0, true));
    column->addWidget(title);
    column->addWidget(m_error);
    column->addWidget(buildLearnerBox());
    column->addWidget(buildSyncBox());
    column->addWidget(buildConnectionBox());
    column->addStretch(1);
    auto* saveKey = new QShortcut(QKeySequence::Save, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(saveKey, &QShortcut::activated, this, &SettingsView::save);
}

QWidget* SettingsView::buildLearnerBox() {
    auto* box = new QGroupBox(QStringLiteral("Learner"));
    auto* form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->setLabelAlignment(Qt::AlignRight);
    form->setHorizontalSpacing(18);
    form->setVerticalSpacing(10);
    m_exam = new QLabel;
    form->addRow(QStringLiteral("Exam"), m_exam);
    m_name = new QLineEdit;
    m_name->setMaxLength(64);
    m_name->setMinimumWidth(280);
    m_name->setToolTip(QStringLiteral("The name Today greets you with (1-64 characters)"));
    form->addRow(QStringLiteral("Display name"), m_name);
    auto* dateRow = new QHBoxLayout;
    m_booked = new QCheckBox(QStringLiteral("Booked for"));
    m_booked->setToolTip(QStringLiteral("With a date, new material is paced to be covered before it"));
    m_date = new QDateEdit;
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QStringLiteral("ddd d MMM yyyy"));
    m_date->setDate(QDate::currentDate().addDays(60));
    m_date->setMinimumWidth(m_date->fontMetrics().horizontalAdvance(QStringLiteral("Wed 28 Sep 2027")) + 48);
    dateRow->addWidget(m_booked);
    dateRow->addWidget(m_date);
    dateRow->addStretch(1);
    form->addRow(QStringLiteral("Exam date"), dateRow);
    m_newPerDay =
        spin(0, 1000, QStringLiteral(" items"), QStringLiteral("New items introduced per day at most"));
    form->addRow(QStringLiteral("New per day"), m_newPerDay);
    m_minutes =
        spin(1, 1440, QStringLiteral(" min"), QStringLiteral("Study minutes per day the planner fills"));
    form->addRow(QStringLiteral("Daily time"), m_minutes);
    m_retention = new QDoubleSpinBox;
    m_retention->setRange(0.70, 0.99);
    m_retention->setSingleStep(0.01);
    m_retention->setDecimals(2);
    m_retention->setToolTip(
        QStringLiteral("Chance of recall at review time the schedule aims for: higher means "
                       "more reviews (0.70-0.99)"));
    form->addRow(QStringLiteral("Desired retention"), m_retention);
    m_leech = spin(2, 50, QStringLiteral(" lapses"), QStringLiteral("Lapses after which an item is a leech"));
    form->addRow(QStringLiteral("Leech after"), m_leech);
    m_maxInterval = spin(1, 36500, QStringLiteral(" days"), QStringLiteral("Longest gap between reviews"));
    form->addRow(QStringLiteral("Maximum interval"), m_maxInterval);
    m_zone = new QComboBox;
    m_zone->setEditable(true);
    m_zone->setInsertPolicy(QComboBox::NoInsert);
    m_zone->setMinimumWidth(280);
    for (const QByteArray& id : QTimeZone::availableTimeZoneIds())
        m_zone->addItem(QString::fromUtf8(id));
    m_zone->setToolTip(QStringLiteral("IANA time zone your study days follow, e.g. Europe/Berlin"));
    form->addRow(QStringLiteral("Time zone"), m_zone);
    m_rollover = spin(0, 23, QStringLiteral(":00"), QStringLiteral("Hour at which a new study day starts"));
    form->addRow(QStringLiteral("New day starts at"), m_rollover);

    auto* buttons = new QHBoxLayout;
    m_save = new QPushButton(QStringLiteral("Save"));
    m_save->setObjectName(QStringLiteral("primary"));
    m_save->setToolTip(QStringLiteral("Save the changed settings (Ctrl+S)"));
    m_revert = new QPushButton(QStringLiteral("Revert"));
    m_revert->setToolTip(QStringLiteral("Show the daemon's values again"));
    buttons->addWidget(m_save);
    buttons->addWidget(m_revert);
    theme::makeMuted(m_status);
    buttons->addWidget(m_status, 1);
    form->addRow(QString(), buttons);
    connect(m_save, &QPushButton::clicked, this, &SettingsView::save);
    connect(m_revert, &QPushButton::clicked, this, [this] { load(m_session->learner()); });

    auto dirty = [this] { updateDirty(); };
    connect(m_name, &QLineEdit::textChanged, this, dirty);
    connect(m_booked, &QCheckBox::toggled, this, [this, dirty] {
        m_date->setEnabled(m_booked->isChecked());
        dirty();
    });
    connect(m_date, &QDateEdit::dateChanged, this, dirty);
    connect(m_zone, &QComboBox::currentTextChanged, this, dirty);
    for (QSpinBox* s : {m_rollover, m_newPerDay, m_minutes, m_leech, m_maxInterval})
        connect(s, &QSpinBox::valueChanged, this, dirty);
    connect(m_retention, &QDoubleSpinBox::valueChanged, this, dirty);
    return box;
}

QWidget* SettingsView::buildSyncBox() {
    auto* box = new QGroupBox(QStringLiteral("Sync"));
    auto* column = new QVBoxLayout(box);
    m_sync = theme::wrappedLabel(QStringLiteral("Asking the daemon…"));
    column->addWidget(m_sync);
    auto* form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight);
    m_server = new QLineEdit;
    m_server->setPlaceholderText(QStringLiteral("host:port of your sync server"));
    m_server->setMinimumWidth(280);
    m_token = new QLineEdit;
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(
        QStringLiteral("token from `retainctl sync-server add-learner` on the server"));
    form->addRow(QStringLiteral("Server"), m_server);
    form->addRow(QStringLiteral("Token"), m_token);
    column->addLayout(form);
    auto* buttons = new QHBoxLayout;
    m_setup = new QPushButton(QStringLiteral("Set up sync"));
    m_setup->setToolTip(QStringLiteral("Sync this learner with the server from now on"));
    m_syncNow = new QPushButton(QStringLiteral("Sync now"));
    m_syncNow->setToolTip(QStringLiteral("Push and pull events right away"));
    m_disable = new QPushButton(QStringLiteral("Turn off"));
    m_disable->setToolTip(QStringLiteral("Stop syncing; nothing is deleted here or on the server"));
    for (QPushButton* b : {m_setup, m_syncNow, m_disable})
        buttons->addWidget(b);
    buttons->addStretch(1);
    column->addLayout(buttons);
    connect(m_setup, &QPushButton::clicked, this, [this] {
        v1::SetupSyncRequest r;
        r.set_learner_id(m_session->learner().id());
        r.set_server(m_server->text().trimmed().toStdString());
        r.set_token(m_token->text().toStdString());
        syncCall(QStringLiteral("Setting up sync…"), [r](rpc::Client& c) { return c.setupSync(r); });
    });
    connect(m_syncNow, &QPushButton::clicked, this, [this] {
        v1::SyncNowRequest r;
        r.set_learner_id(m_session->learner().id());
        syncCall(QStringLiteral("Syncing…"), [r](rpc::Client& c) { return c.syncNow(r); });
    });
    connect(m_disable, &QPushButton::clicked, this, [this] {
        v1::DisableSyncRequest r;
        r.set_learner_id(m_session->learner().id());
        syncCall(QStringLiteral("Turning sync off…"), [r](rpc::Client& c) { return c.disableSync(r); });
    });
    return box;
}

QWidget* SettingsView::buildConnectionBox() {
    auto* box = new QGroupBox(QStringLiteral("Daemon"));
    auto* column = new QVBoxLayout(box);
    auto* row = new QHBoxLayout;
    m_address = new QLineEdit;
    m_address->setPlaceholderText(QString::fromStdString(rpc::defaultDaemonAddress()));
    m_address->setToolTip(QStringLiteral("unix:PATH or host:port of retaind; empty for the local default"));
    m_reconnect = new QPushButton(QStringLiteral("Connect"));
    m_reconnect->setToolTip(QStringLiteral("Remember this address and connect to it now"));
    row->addWidget(new QLabel(QStringLiteral("Address")));
    row->addWidget(m_address, 1);
    row->addWidget(m_reconnect);
    column->addLayout(row);
    auto* note = theme::wrappedLabel(QStringLiteral(
        "Retain talks to its study daemon over this address. Empty means the local one, which Retain starts "
        "itself when it is not running. <code>retain --daemon ADDRESS</code> overrides it for one run."));
    theme::makeMuted(note);
    column->addWidget(note);
    connect(m_reconnect, &QPushButton::clicked, this, [this] {
        const QString address = m_address->text().trimmed();
        QSettings().setValue(QStringLiteral("daemon/address"), address);
        m_session->setAddress(
            address.isEmpty() ? QString::fromStdString(rpc::defaultDaemonAddress()) : address,
            address.isEmpty());
        Q_EMIT reconnectRequested();
    });
    return box;
}

void SettingsView::refresh() {
    m_error->clear();
    load(m_session->learner());
    m_address->setText(QSettings().value(QStringLiteral("daemon/address")).toString());
    fetchSync();
}

void SettingsView::load(const v1::Learner& learner) {
    m_loading = true;
    const v1::LearnerSettings& s = learner.settings();
    const v1::Blueprint& bp = m_session->blueprint();
    m_exam->setText(bp.name().empty() ? QString::fromStdString(s.exam_code())
                                      : QStringLiteral("%1 · %2").arg(QString::fromStdString(s.exam_code()),
                                                                      QString::fromStdString(bp.name())));
    m_name->setText(QString::fromStdString(s.display_name().empty() ? learner.name() : s.display_name()));
    const QDate exam = QDate::fromString(QString::fromStdString(s.exam_date()), Qt::ISODate);
    m_booked->setChecked(exam.isValid());
    m_date->setEnabled(exam.isValid());
    if (exam.isValid())
        m_date->setDate(exam);
    m_zone->setCurrentText(QString::fromStdString(s.time_zone().empty() ? "UTC" : s.time_zone()));
    m_rollover->setValue(static_cast<int>(s.day_rollover_hour()));
    m_newPerDay->setValue(static_cast<int>(s.new_items_per_day()));
    m_minutes->setValue(static_cast<int>(s.minutes_per_day()));
    m_retention->setValue(s.desired_retention());
    m_leech->setValue(static_cast<int>(s.leech_threshold()));
    m_maxInterval->setValue(static_cast<int>(s.maximum_interval_days()));
    m_loading = false;
    updateDirty();
}

v1::LearnerSettings SettingsView::edited() const {
    v1::LearnerSettings s;
    s.set_display_name(m_name->text().trimmed().toStdString());
    s.set_exam_date(m_booked->isChecked() ? m_date->date().toString(Qt::ISODate).toStdString()
                                          : std::string());
    s.set_time_zone(m_zone->currentText().trimmed().toStdString());
    s.set_day_rollover_hour(static_cast<uint32_t>(m_rollover->value()));
    s.set_new_items_per_day(static_cast<uint32_t>(m_newPerDay->value()));
    s.set_minutes_per_day(static_cast<uint32_t>(m_minutes->value()));
    s.set_desired_retention(m_retention->value());
    s.set_leech_threshold(static_cast<uint32_t>(m_leech->value()));
    s.set_maximum_interval_days(static_cast<uint32_t>(m_maxInterval->value()));
    return s;
}

QStringList SettingsView::changedFields() const {
    const v1::Learner& l = m_session->learner();
    const v1::LearnerSettings& a = l.settings();
    const v1::LearnerSettings b = edited();
    QStringList f;
    const std::string name = a.display_name().empty() ? l.name() : a.display_name();
    if (b.display_name() != name)
        f << QStringLiteral("display_name");
    if (b.exam_date() != a.exam_date())
        f << QStringLiteral("exam_date");
    if (b.time_zone() != (a.time_zone().empty() ? "UTC" : a.time_zone()))
        f << QStringLiteral("time_zone");
    if (b.day_rollover_hour() != a.day_rollover_hour())
        f << QStringLiteral("day_rollover_hour");
    if (b.new_items_per_day() != a.new_items_per_day())
        f << QStringLiteral("new_items_per_day");
    if (b.minutes_per_day() != a.minutes_per_day())
        f << QStringLiteral("minutes_per_day");
    if (std::abs(b.desired_retention() - a.desired_retention()) > 1e-9)
        f << QStringLiteral("desired_retention");
    if (b.leech_threshold() != a.leech_threshold())
        f << QStringLiteral("leech_threshold");
    if (b.maximum_interval_days() != a.maximum_interval_days())
        f << QStringLiteral("maximum_interval_days");
    return f;
}

void SettingsView::updateDirty() {
    if (m_loading)
        return;
    const QStringList changed = changedFields();
    m_save->setEnabled(!changed.isEmpty());
    m_revert->setEnabled(!changed.isEmpty());
    m_status->setText(changed.isEmpty() ? QStringLiteral("Saved settings shown.")
                                        : QStringLiteral("%1 unsaved %2 (Ctrl+S saves)")
                                              .arg(changed.size())
                                              .arg(changed.size() == 1 ? QStringLiteral("change")
                                                                       : QStringLiteral("changes")));
}

void SettingsView::save() {
    const QStringList changed = changedFields();
    if (changed.isEmpty())
        return;
    v1::UpdateSettingsRequest r;
    r.set_learner_id(m_session->learner().id());
    *r.mutable_settings() = edited();
    for (const QString& f : changed)
        r.add_fields(f.toStdString());
    m_save->setEnabled(false);
    m_status->setText(QStringLiteral("Saving…"));
    m_session->call<v1::Learner>(
        DaemonSession::Operation::Settings, this, [r](rpc::Client& c) { return c.updateSettings(r); },
        [this](const v1::Learner& learner) {
            m_error->clear();
            m_session->setLearner(learner);
            load(learner);
            m_status->setText(QStringLiteral("Saved."));
            Q_EMIT saved();
        },
        [this](const rpc::RpcError& e) {
            m_error->showMessage(QStringLiteral("<b>Not saved.</b> ") + describeError(e).toHtmlEscaped());
            updateDirty();
        });
}

void SettingsView::fetchSync() {
    v1::GetSyncStatusRequest r;
    r.set_learner_id(m_session->learner().id());
    m_session->call<v1::SyncStatus>(
        DaemonSession::Operation::Sync, this, [r](rpc::Client& c) { return c.syncStatus(r); },
        [this](const v1::SyncStatus& s) { showSync(s); }, [this](const rpc::RpcError& e) { syncFailed(e); });
}

void SettingsView::syncCall(const QString& what,
                            std::function<rpc::Reply<v1::SyncStatus>(rpc::Client&)> call) {
    m_sync->setText(what.toHtmlEscaped());
    for (QPushButton* b : {m_setup, m_syncNow, m_disable})
        b->setEnabled(false);
    m_session->call<v1::SyncStatus>(
        DaemonSession::Operation::Sync, this, std::move(call),
        [this](const v1::SyncStatus& s) { showSync(s); },
        [this](const rpc::RpcError& e) {
            syncFailed(e);
            if (m_syncAvailable)
                fetchSync();
        });
}

void SettingsView::showSync(const v1::SyncStatus& s) {
    m_syncAvailable = true;
    QString text;
    if (!s.configured()) {
        text = QStringLiteral(
            "<b>Sync is off.</b> Set it up to keep this learner's history in step across "
            "machines through your own sync server.");
    } else {
        text = QStringLiteral("<b>%1</b> with %2<br/>Last sync: %3 · pending events: %4")
                   .arg(s.in_progress() ? QStringLiteral("Syncing now") : QStringLiteral("Sync is on"))
                   .arg(QString::fromStdString(s.server()).toHtmlEscaped())
                   .arg(whenText(s.last_sync_ms()))
                   .arg(s.pending_events());
        if (s.last_sync_ms() > 0)
            text +=
                QStringLiteral(" · last time %1 sent, %2 received").arg(s.last_pushed()).arg(s.last_pulled());
        if (!s.last_error().empty())
            text += QStringLiteral(
                        "<br/><span style='color:%1'><b>Last error:</b> %2</span> (%3 failures in a row)")
                        .arg(theme::wrongColor(palette()).name(),
                             QString::fromStdString(s.last_error()).toHtmlEscaped())
                        .arg(s.consecutive_failures());
        if (s.next_attempt_ms() > 0)
            text += QStringLiteral("<br/>Next attempt: %1").arg(whenText(s.next_attempt_ms()));
        m_server->setText(QString::fromStdString(s.server()));
    }
    m_sync->setText(text);
    m_server->setEnabled(true);
    m_token->setEnabled(true);
    m_setup->setEnabled(true);
    m_setup->setText(s.configured() ? QStringLiteral("Change server") : QStringLiteral("Set up sync"));
    m_syncNow->setEnabled(s.configured() && !s.in_progress());
    m_disable->setEnabled(s.configured());
    Q_EMIT syncStatusShown();
}

void SettingsView::syncFailed(const rpc::RpcError& e) {
    if (e.codeName == "UNIMPLEMENTED") {
        m_syncAvailable = false;
        m_sync->setText(
            QStringLiteral("<b>Sync is not available in this daemon.</b> It keeps this learner's "
                           "history on this machine only; a daemon with sync support can keep "
                           "several machines in step."));
        for (QWidget* w : std::initializer_list<QWidget*>{m_server, m_token, m_setup, m_syncNow, m_disable})
            w->setEnabled(false);
    } else {
        m_sync->setText(QStringLiteral("<span style='color:%1'><b>Sync:</b> %2</span>")
                            .arg(theme::wrongColor(palette()).name(), describeError(e).toHtmlEscaped()));
        m_setup->setEnabled(m_syncAvailable);
    }
    Q_EMIT syncStatusShown();
}

QString SettingsView::syncText() const {
    return m_sync->text();
}

QString SettingsView::statusText() const {
    return m_status->text();
}

QString SettingsView::errorText() const {
    return m_error->text();
}

void SettingsView::keyPressEvent(QKeyEvent* event) {
    QWidget::keyPressEvent(event);
}

}  // namespace retain::desktop
