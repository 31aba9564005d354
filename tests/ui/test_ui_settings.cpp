// The UI settings: choosing Chinese installs the translation and retranslates QML live, the theme
// is remembered, and darkMode follows the theme or, for "system", the system palette.

#include "test_settings.h"

#include "ui/uisettings.h"

#include <QGuiApplication>
#include <QPalette>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

#include <memory>

using latent::ui::UiSettings;

namespace {

QPalette paletteWithWindow(const QColor& window)
{
    QPalette palette = QGuiApplication::palette();
    palette.setColor(QPalette::Window, window);
    return palette;
}

// The colour Qt's markdown reader gives a link, as in a message.
QColor linkColourOfMarkdown()
{
    QTextDocument document;
    document.setMarkdown(QStringLiteral("[a link](https://example.com)"));
    return document.firstBlock().begin().fragment().charFormat().foreground().color();
}

} // namespace

class UiSettingsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        useTestSettings("test_ui_settings");
    }

    void cleanup() { UiSettings::instance()->setLanguage(QStringLiteral("en")); }
    void cleanupTestCase() { QSettings().clear(); }

    void switchingLanguageTranslatesLive()
    {
        UiSettings* settings = UiSettings::instance();
        QCOMPARE(settings->language(), QStringLiteral("en"));
        QCOMPARE(settings->uiLanguage(), QStringLiteral("en"));

        // A QML engine that uses UiSettings is retranslated when the language changes.
        QQmlEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
        QQmlComponent component(&engine);
        component.setData("import QtQml\nimport Latent.Ui\n"
                          "QtObject { property string language: UiSettings.language\n"
                          "           property string dark: qsTranslate(\"latent::ui::UiSettings\", \"Dark\") }",
                          QUrl());
        const std::unique_ptr<QObject> object(component.create());
        QVERIFY2(object, qPrintable(component.errorString()));
        QCOMPARE(object->property("dark").toString(), QStringLiteral("Dark"));

        QSignalSpy languageChanged(settings, &UiSettings::languageChanged);
        settings->setLanguage(QStringLiteral("zh_CN"));
        QCOMPARE(languageChanged.count(), 1);
        QCOMPARE(settings->uiLanguage(), QStringLiteral("zh_CN"));
        QCOMPARE(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("zh_CN"));
        QCOMPARE(QCoreApplication::translate("latent::ui::MainWindow", "&File"), QStringLiteral("文件(&F)"));
        QCOMPARE(object->property("dark").toString(), QStringLiteral("深色"));
        QCOMPARE(object->property("language").toString(), QStringLiteral("zh_CN"));
        QCOMPARE(settings->themes().at(0).toMap().value(QStringLiteral("name")).toString(), QStringLiteral("跟随系统"));

        settings->setLanguage(QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("latent::ui::MainWindow", "&File"), QStringLiteral("&File"));
        QCOMPARE(object->property("dark").toString(), QStringLiteral("Dark"));
    }

    void unknownLanguageIsRefused()
    {
        UiSettings* settings = UiSettings::instance();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("no language \"fr\"")));
        settings->setLanguage(QStringLiteral("fr"));
        QCOMPARE(settings->language(), QStringLiteral("en"));
    }

    void themeIsPersistedAndResolved()
    {
        UiSettings* settings = UiSettings::instance();
        settings->setTheme(QStringLiteral("dark"));
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("dark"));
        QVERIFY(settings->darkMode());
        settings->setTheme(QStringLiteral("light"));
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("light"));
        QVERIFY(!settings->darkMode());

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("no theme \"blue\"")));
        settings->setTheme(QStringLiteral("blue"));
        QCOMPARE(settings->theme(), QStringLiteral("light"));
    }

    // A theme the user chose paints the widgets (the application palette) in its colours, and the
    // links of markdown in Theme.link (Qt's markdown reader takes the palette's, pure blue by
    // default: 1.9:1 on the dark background); "system" gives the system's palette back, with the
    // theme's links.
    void themeSetsTheApplicationPalette()
    {
        UiSettings* settings = UiSettings::instance();
        settings->setTheme(QStringLiteral("system"));
        const QColor systemWindow = QGuiApplication::palette().color(QPalette::Window);
        QVERIFY(!settings->darkMode()); // the test platform's palette is light

        settings->setTheme(QStringLiteral("dark"));
        QCOMPARE(QGuiApplication::palette().color(QPalette::Window), QColor(0x18, 0x19, 0x1b)); // Theme.sidebar
        QCOMPARE(QGuiApplication::palette().color(QPalette::WindowText), QColor(0xe4, 0xe6, 0xea)); // Theme.text
        QCOMPARE(linkColourOfMarkdown(), QColor(0x8a, 0xb4, 0xf8)); // Theme.link

        settings->setTheme(QStringLiteral("light"));
        QCOMPARE(QGuiApplication::palette().color(QPalette::Window), QColor(0xf5, 0xf6, 0xf8));
        QCOMPARE(linkColourOfMarkdown(), QColor(0x0b, 0x57, 0xd0));

        settings->setTheme(QStringLiteral("system"));
        QCOMPARE(QGuiApplication::palette().color(QPalette::Window), systemWindow);
        QCOMPARE(linkColourOfMarkdown(), QColor(0x0b, 0x57, 0xd0));
    }

    void systemThemeFollowsThePalette()
    {
        UiSettings* settings = UiSettings::instance();
        const QPalette original = QGuiApplication::palette();
        settings->setTheme(QStringLiteral("light"));

        QGuiApplication::setPalette(paletteWithWindow(QColor(0x20, 0x21, 0x24)));
        QVERIFY(!settings->darkMode()); // an explicit theme ignores the palette
        settings->setTheme(QStringLiteral("system"));
        QVERIFY(settings->darkMode());

        QSignalSpy darkModeChanged(settings, &UiSettings::darkModeChanged);
        QGuiApplication::setPalette(paletteWithWindow(QColor(0xf5, 0xf5, 0xf5)));
        QTRY_COMPARE(darkModeChanged.count(), 1);
        QVERIFY(!settings->darkMode());
        QGuiApplication::setPalette(original);
    }
};

QTEST_MAIN(UiSettingsTest)
#include "test_ui_settings.moc"
