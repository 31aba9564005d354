#pragma once

#include <QList>
#include <QObject>
#include <QPalette>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTranslator>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;

namespace latent::ui {

// The look and the language of the app, one object for the whole process, persisted in QSettings
// (group "ui"). QML singleton `UiSettings` (module Latent.Ui); the View menu drives the same
// object. Contract with the QML files:
//   UiSettings.language   "system", "en" or "zh_CN" (read/write). "system" follows the system
//                         locale. Changing it installs the translation and retranslates every
//                         QML engine that uses UiSettings (and the window's), so the UI switches live.
//   UiSettings.theme      "system", "light" or "dark" (read/write)
//   UiSettings.darkMode   the theme resolved (read-only): "system" follows the system palette
//                         (its window colour is dark) and changes with it
// The theme also paints the widgets (menu bar, editor panel) and the links in messages: a theme
// the user chose sets the whole application palette in its colours (ui/theme_palette.h); "system"
// keeps the system's palette, with the theme's link colour over it.
//   UiSettings.languages  [{code, name}] for a settings dialog: System, English, 中文
//   UiSettings.themes     [{code, name}]: System, Light, Dark (names translated)
class UiSettings : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY themeChanged)
    Q_PROPERTY(bool darkMode READ darkMode NOTIFY darkModeChanged)
    Q_PROPERTY(QVariantList languages READ languages NOTIFY languageChanged)
    Q_PROPERTY(QVariantList themes READ themes NOTIFY languageChanged)

public:
    // The process's settings, created on first use (after the QApplication) and owned by it.
    // Creating them installs the translation of the language they hold.
    static UiSettings* instance();
    // For the QML engine: the same object for every engine, which is remembered to retranslate.
    static UiSettings* create(QQmlEngine* qmlEngine, QJSEngine* jsEngine);

    static QStringList languageCodes(); // "system", "en", "zh_CN"
    static QStringList themeCodes();    // "system", "light", "dark"

    QString language() const { return language_; }
    void setLanguage(const QString& code);
    QString theme() const { return theme_; }
    void setTheme(const QString& code);
    bool darkMode() const { return darkMode_; }
    QVariantList languages() const;
    QVariantList themes() const;

    // The language the UI is in now: "en" or "zh_CN" ("system" resolved).
    QString uiLanguage() const { return installedLanguage_; }

    // Retranslates this engine's qsTr bindings on every language change, for as long as it lives.
    void retranslateOnChange(QQmlEngine* engine);

signals:
    void languageChanged();
    void themeChanged();
    void darkModeChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    explicit UiSettings(QObject* parent);

    QString systemLanguage() const;
    void applyLanguage();
    void updateDarkMode();
    void applyPalette(bool dark);

    QString language_;
    QString theme_;
    bool darkMode_ = false;
    QPalette systemPalette_;        // the application palette as the system (or another) last set it
    bool applyingPalette_ = false;  // the palette changes now are ours, not the system's
    QString installedLanguage_ = QStringLiteral("en");
    QTranslator appTranslator_;
    QTranslator qtTranslator_; // Qt's own strings (standard dialogs, buttons), when installed
    QList<QPointer<QQmlEngine>> engines_;
};

} // namespace latent::ui
