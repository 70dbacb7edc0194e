#pragma once
// Settings: the learner's profile and study settings (LearnerService.UpdateSettings, only the fields
// changed), the daemon address this client uses (QSettings, takes effect on reconnect), and sync:
// its status (last sync, pending events, last error, next attempt) and set up / sync now / disable.
// A daemon without sync answers UNIMPLEMENTED: the page then says sync is not available there.

#include <QWidget>

#include "desktop/app/daemon_session.h"

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace retain::desktop {

class Banner;

class SettingsView : public QWidget {
    Q_OBJECT
public:
    explicit SettingsView(DaemonSession* session, QWidget* parent = nullptr);

    // Shows the learner's settings as the daemon has them and asks for the sync status.
    void refresh();
    // Sends the fields that differ from the learner's settings; `saved` or the error banner follows.
    void save();
    // The LearnerSettings field names whose editors differ from the daemon's values.
    QStringList changedFields() const;

    QLineEdit* displayName() const { return m_name; }
    QCheckBox* examBooked() const { return m_booked; }
    QDateEdit* examDate() const { return m_date; }
    QComboBox* timeZone() const { return m_zone; }
    QSpinBox* rolloverHour() const { return m_rollover; }
    QSpinBox* newPerDay() const { return m_newPerDay; }
    QSpinBox* minutesPerDay() const { return m_minutes; }
    QDoubleSpinBox* desiredRetention() const { return m_retention; }
    QSpinBox* leechThreshold() const { return m_leech; }
    QSpinBox* maximumInterval() const { return m_maxInterval; }
    QLineEdit* daemonAddress() const { return m_address; }
    QPushButton* saveButton() const { return m_save; }
    QString syncText() const;
    QString statusText() const;
    QString errorText() const;
    bool syncAvailable() const { return m_syncAvailable; }

Q_SIGNALS:
    void saved();
    void syncStatusShown();
    // The address changed and the user asked to connect to it.
    void reconnectRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QWidget* buildLearnerBox();
    QWidget* buildConnectionBox();
    QWidget* buildSyncBox();
    void load(const retain::v1::Learner& learner);
    retain::v1::LearnerSettings edited() const;
    void updateDirty();
    void fetchSync();
    void showSync(const retain::v1::SyncStatus& status);
    void syncFailed(const rpc::RpcError& error);
    void syncCall(const QString& what, std::function<rpc::Reply<retain::v1::SyncStatus>(rpc::Client&)> call);

    DaemonSession* m_session;
    Banner* m_error;
    QLabel* m_status;
    QLabel* m_exam;
    QLineEdit* m_name;
    QCheckBox* m_booked;
    QDateEdit* m_date;
    QComboBox* m_zone;
    QSpinBox* m_rollover;
    QSpinBox* m_newPerDay;
    QSpinBox* m_minutes;
    QDoubleSpinBox* m_retention;
    QSpinBox* m_leech;
    QSpinBox* m_maxInterval;
    QPushButton* m_save;
    QPushButton* m_revert;
    QLineEdit* m_address;
    QPushButton* m_reconnect;
    QLabel* m_sync;
    QLineEdit* m_server;
    QLineEdit* m_token;
    QPushButton* m_setup;
    QPushButton* m_syncNow;
    QPushButton* m_disable;
    bool m_syncAvailable = false;
    bool m_loading = false;
};

}  // namespace retain::desktop
