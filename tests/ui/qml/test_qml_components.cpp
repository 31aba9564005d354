// Runs this folder's Qt Quick Tests (tst_*.qml) against module Latent.Ui. Besides their own
// checks, the run fails when QML warns (an undefined reference, a binding loop, an anchor that
// cannot be): such warnings are bugs that the tests' checks would otherwise let through.

#include "tests/ui/qml_warnings.h"

#include <QQmlEngine>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtQuickTest>

#include <cstdio>

class Setup : public QObject {
    Q_OBJECT

public slots:
    // UiSettings persists in QSettings: the tests keep theirs in a folder of their own, in
    // English whatever the system's language (they read the texts the user sees).
    void applicationAvailable()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsFolder_.path());
        QSettings().setValue(QStringLiteral("ui/language"), QStringLiteral("en"));
    }

    void qmlEngineAvailable(QQmlEngine* engine) { engine->addImportPath(QStringLiteral("qrc:/qt/qml")); }

private:
    QTemporaryDir settingsFolder_;
};

int main(int argc, char** argv)
{
    collectQmlWarnings();
    Setup setup;
    const int failures = quick_test_main_with_setup(argc, argv, "test_qml_components", QUICK_TEST_SOURCE_DIR, &setup);
    const QStringList warnings = takeQmlWarnings();
    if (!warnings.isEmpty()) {
        std::fprintf(stderr, "FAIL: QML warned %d time(s):\n%s\n", int(warnings.size()),
                     qPrintable(warnings.join(QLatin1Char('\n'))));
        return failures + 1;
    }
    return failures;
}

#include "test_qml_components.moc"
