// The desktop tests' main: widgets need a QApplication, created once for the process, and the offscreen
// platform so the tests run without a display. Settings and caches go to Qt's test locations.
#include <gtest/gtest.h>

#include <QApplication>
#include <QStandardPaths>

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Retain"));
    QApplication::setApplicationName(QStringLiteral("retain-desktop-tests"));
    return RUN_ALL_TESTS();
}
