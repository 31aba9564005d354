#include "test_settings.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>

void useTestSettings(const char* testName)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LatentTests"));
    QCoreApplication::setApplicationName(QLatin1String(testName));
    QSettings settings;
    settings.clear();
    settings.setValue(QStringLiteral("ui/language"), QStringLiteral("en"));
}
