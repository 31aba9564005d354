#include "ui/uisettings.h"

#include "ui/theme_palette.h"

#include <QCoreApplication>
#include <QEvent>
#include <QGuiApplication>
#include <QJSEngine>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QQmlEngine>
#include <QScopedValueRollback>
#include <QSettings>
#include <QVariantMap>

namespace latent::ui {

namespace {

const QString systemCode = QStringLiteral("system");
const QString englishCode = QStringLiteral("en");
const QString languageKey = QStringLiteral("ui/language");
const QString themeKey = QStringLiteral("ui/theme");

// A value read from the settings file that is not one we know (edited by hand, or written by a
// newer Latent) falls back to "system", with a warning that says where it came from.
QString storedChoice(const QString& key, const QStringList& allowed)
{
    const QSettings settings;
    const QString value = settings.value(key, systemCode).toString();
    if (allowed.contains(value))
        return value;
    qWarning("Latent: the setting %s in %s is \"%s\", not one of %s; using \"system\"", qPrintable(key),
             qPrintable(settings.fileName()), qPrintable(value), qPrintable(allowed.join(QStringLiteral(", "))));
    return systemCode;
}

// Makes a choice and remembers it; false when the code is not one of the choices (with a warning
// that names them) or is the current one.
bool changeChoice(QString& current, const QString& code, const QStringList& allowed, const QString& key,
                  const char* setting)
{
    if (!allowed.contains(code)) {
        qWarning("Latent: no %s \"%s\"; the %ss are %s", setting, qPrintable(code), setting,
                 qPrintable(allowed.join(QStringLiteral(", "))));
        return false;
    }
    if (code == current)
        return false;
    current = code;
    QSettings().setValue(key, code);
    return true;
}

QVariantMap choice(const QString& code, const QString& name)
{
    return {{QStringLiteral("code"), code}, {QStringLiteral("name"), name}};
}

} // namespace

UiSettings* UiSettings::instance()
{
    static QPointer<UiSettings> settings;
    if (!settings) {
        Q_ASSERT_X(QCoreApplication::instance(), "UiSettings::instance", "create the QApplication first");
        settings = new UiSettings(QCoreApplication::instance());
    }
    return settings;
}

UiSettings* UiSettings::create(QQmlEngine* qmlEngine, QJSEngine*)
{
    UiSettings* settings = instance();
    QJSEngine::setObjectOwnership(settings, QJSEngine::CppOwnership); // shared by every engine
    settings->retranslateOnChange(qmlEngine);
    return settings;
}

UiSettings::UiSettings(QObject* parent)
    : QObject(parent), language_(storedChoice(languageKey, languageCodes())),
      theme_(storedChoice(themeKey, themeCodes())), systemPalette_(QGuiApplication::palette())
{
    // Qt 6.4 has no colour-scheme API: the system theme shows in the palette, which changes with it.
    QCoreApplication::instance()->installEventFilter(this);
    updateDarkMode();
    applyLanguage();
}

QStringList UiSettings::languageCodes()
{
    return {systemCode, englishCode, QStringLiteral("zh_CN")};
}

QStringList UiSettings::themeCodes()
{
    return {systemCode, QStringLiteral("light"), QStringLiteral("dark")};
}

void UiSettings::setLanguage(const QString& code)
{
    if (!changeChoice(language_, code, languageCodes(), languageKey, "language"))
        return;
    applyLanguage();
    emit languageChanged();
}

void UiSettings::setTheme(const QString& code)
{
    if (!changeChoice(theme_, code, themeCodes(), themeKey, "theme"))
        return;
    emit themeChanged();
    updateDarkMode();
}

QVariantList UiSettings::languages() const
{
    // Each language's name in itself, so that a user who cannot read the current one finds theirs.
    return {choice(systemCode, tr("System")), choice(englishCode, QStringLiteral("English")),
            choice(QStringLiteral("zh_CN"), QStringLiteral("中文"))};
}

QVariantList UiSettings::themes() const
{
    return {choice(systemCode, tr("System")), choice(QStringLiteral("light"), tr("Light")),
            choice(QStringLiteral("dark"), tr("Dark"))};
}

void UiSettings::retranslateOnChange(QQmlEngine* engine)
{
    if (engine && !engines_.contains(engine))
        engines_.append(engine);
}

bool UiSettings::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == QCoreApplication::instance() && event->type() == QEvent::ApplicationPaletteChange
        && !applyingPalette_) {
        systemPalette_ = QGuiApplication::palette();
        updateDarkMode();
    }
    return QObject::eventFilter(watched, event);
}

// The first of the system's UI languages that we have a translation for; English otherwise.
QString UiSettings::systemLanguage() const
{
    for (const QString& name : QLocale::system().uiLanguages()) {
        if (name.startsWith(QLatin1String("zh")))
            return QStringLiteral("zh_CN"); // the only Chinese we have: better than English for zh_TW
        if (name.startsWith(QLatin1String("en")))
            return englishCode;
    }
    return englishCode;
}

void UiSettings::applyLanguage()
{
    const QString wanted = language_ == systemCode ? systemLanguage() : language_;
    QLocale::setDefault(language_ == systemCode ? QLocale::system() : QLocale(wanted));
    if (wanted == installedLanguage_)
        return;
    QCoreApplication::removeTranslator(&appTranslator_);
    QCoreApplication::removeTranslator(&qtTranslator_);
    installedLanguage_ = wanted;
    if (wanted != englishCode) {
        if (appTranslator_.load(QStringLiteral(":/i18n/latent_%1.qm").arg(wanted)))
            QCoreApplication::installTranslator(&appTranslator_);
        else
            qWarning("Latent: the %s translation is missing from the build", qPrintable(wanted));
        // Qt's own strings (qt_ loads qtbase_ and qtdeclarative_) come from the system's Qt
        // (package qt6-translations-l10n); without them standard dialogs stay in English.
        if (qtTranslator_.load(QStringLiteral("qt_%1").arg(wanted), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&qtTranslator_);
    }
    engines_.removeAll(nullptr);
    for (QQmlEngine* engine : std::as_const(engines_))
        engine->retranslate();
}

void UiSettings::updateDarkMode()
{
    bool dark = theme_ == QLatin1String("dark");
    if (theme_ == systemCode)
        dark = systemPalette_.color(QPalette::Window).lightness() < 128;
    applyPalette(dark); // before darkModeChanged: what repaints then reads the palette
    if (dark == darkMode_)
        return;
    darkMode_ = dark;
    emit darkModeChanged();
}

// The system's palette keeps its resolve mask with only Link added, so that Qt still carries the
// system's later changes through to the application palette.
void UiSettings::applyPalette(bool dark)
{
    QPalette palette = theme_ == systemCode ? systemPalette_ : themePalette(dark);
    if (theme_ == systemCode)
        palette.setColor(QPalette::Link, themeLinkColour(dark));
    const QScopedValueRollback ours(applyingPalette_, true);
    QGuiApplication::setPalette(palette);
}

} // namespace latent::ui
