// latent: the desktop app.

#include "app/chat/chat_controller.h"
#include "app/chat/model_manager.h"
#include "app/remote/remote_models.h"
#include "engine/core/build_info.h"
#include "ui/editor/editor_area.h"
#include "ui/editor/editor_panel.h"
#include "ui/main_window.h"
#include "ui/scripted_run.h"
#include "ui/store_opening.h"
#include "ui/uisettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>
#include <QQmlError>
#include <QQuickWidget>

#include <cstdio>
#include <optional>
#include <string_view>

namespace {

struct Options {
    QString model;
    QString database;
    QString conversation;
    QString send;
    QString screenshot;
    QString language;
    QString theme;
    int suggestLine = 0;
    QStringList files;
};

// The options are for scripts (the README's screenshot, smoke tests) and for trying a model or a
// database without changing the defaults; people use the menus. Shows the help or the version and
// exits when asked for them.
Options parseOptions(const QCoreApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Chat with DeepSeek models on your own machine."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Load this GGUF model (instead of the last one)."),
                                   QStringLiteral("path"));
    const QCommandLineOption database(QStringLiteral("database"),
                                      QStringLiteral("Keep conversations in this database (instead of the default)."),
                                      QStringLiteral("path"));
    const QCommandLineOption conversation(QStringLiteral("conversation"),
                                          QStringLiteral("Open the conversation with this id in the database."),
                                          QStringLiteral("id"));
    const QCommandLineOption send(QStringLiteral("send"), QStringLiteral("Once the model is ready, send this message."),
                                  QStringLiteral("text"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("When the answer is complete (or the model loaded), save the window as a PNG and quit."),
        QStringLiteral("file"));
    const QCommandLineOption language(QStringLiteral("language"),
                                      QStringLiteral("The UI language, remembered: %1.")
                                          .arg(latent::ui::UiSettings::languageCodes().join(QStringLiteral(", "))),
                                      QStringLiteral("code"));
    const QCommandLineOption theme(QStringLiteral("theme"),
                                   QStringLiteral("The theme, remembered: %1.")
                                       .arg(latent::ui::UiSettings::themeCodes().join(QStringLiteral(", "))),
                                   QStringLiteral("name"));
    const QCommandLineOption suggest(
        QStringLiteral("suggest"),
        QStringLiteral("With --screenshot: first ask for a completion at the end of this line of the file open in the "
                       "editor, and wait for its ghost text."),
        QStringLiteral("line"));
    parser.addOptions({model, database, conversation, send, screenshot, language, theme, suggest});
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Files to open in the code editor."),
                                 QStringLiteral("[files...]"));
    parser.process(app);
    return {parser.value(model),      parser.value(database), parser.value(conversation),
            parser.value(send),       parser.value(screenshot), parser.value(language),
            parser.value(theme),      parser.value(suggest).toInt(), parser.positionalArguments()};
}

// An option value that must be one of a few: an error naming the option and the choices.
bool checkChoice(const char* option, const QString& value, const QStringList& choices)
{
    if (value.isEmpty() || choices.contains(value))
        return true;
    std::fprintf(stderr, "latent: --%s %s is not one of: %s\n", option, qPrintable(value),
                 qPrintable(choices.join(QStringLiteral(", "))));
    return false;
}

// The id of --conversation: 0 when not given, -1 (after saying why) when not an id.
qint64 conversationId(const QString& value)
{
    if (value.isEmpty())
        return 0;
    bool ok = false;
    const qint64 id = value.toLongLong(&ok);
    if (ok && id > 0)
        return id;
    std::fprintf(stderr, "latent: --conversation %s is not a conversation id (a whole number above 0)\n",
                 qPrintable(value));
    return -1;
}

void nameTheApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("Latent"));
    QCoreApplication::setOrganizationName(QStringLiteral("Latent"));
    QCoreApplication::setApplicationVersion(QString::fromUtf8(latent::buildInfo().version.data(),
                                                              qsizetype(latent::buildInfo().version.size())));
}

bool asksForHelpOrVersion(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        if (argument == "--") // what follows is a file name
            return false;
        if (argument == "-h" || argument == "--help" || argument == "-?" || argument == "--help-all" ||
            argument == "-v" || argument == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    // The help and the version need no display: a QApplication aborts where there is none (a
    // terminal over SSH, a build machine).
    if (asksForHelpOrVersion(argc, argv)) {
        QCoreApplication console(argc, argv);
        nameTheApplication();
        parseOptions(console); // prints and exits
    }

    QApplication app(argc, argv);
    nameTheApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("Latent"));
    QApplication::setDesktopFileName(QStringLiteral("io.latent.Latent"));

    using latent::ui::UiSettings;
    const Options options = parseOptions(app);
    const qint64 conversation = conversationId(options.conversation);
    if (conversation < 0 || !checkChoice("language", options.language, UiSettings::languageCodes()) ||
        !checkChoice("theme", options.theme, UiSettings::themeCodes()))
        return 2;
    UiSettings* settings = UiSettings::instance(); // installs the translation before any window exists
    if (!options.language.isEmpty())
        settings->setLanguage(options.language);
    if (!options.theme.isEmpty())
        settings->setTheme(options.theme);

    const std::unique_ptr<latent::app::ChatStore> store = latent::ui::StoreOpening::open(
        options.database.isEmpty() ? latent::app::ChatStore::defaultPath() : options.database);
    if (!store)
        return 1;
    latent::app::ModelManager models(*store);
    latent::app::ChatController chat(*store, models);
    latent::ui::MainWindow window(chat, models);
    if (window.chatView()->status() == QQuickWidget::Error) {
        // A broken installation (a QML module missing or damaged) would otherwise open an empty
        // window: say what is missing instead, and fail.
        QStringList errors;
        for (const QQmlError& error : window.chatView()->errors())
            errors << error.toString();
        const QString message =
            QApplication::translate("main", "The chat window could not be loaded, because a part of Qt it needs is "
                                            "missing or damaged. Reinstall Latent (from a package: install it again; "
                                            "on Debian, the qml6-module-* packages).")
            + QStringLiteral("\n\n") + errors.join(QLatin1Char('\n'));
        std::fprintf(stderr, "latent: %s\n", qPrintable(message));
        if (options.send.isEmpty() && options.screenshot.isEmpty())
            QMessageBox::critical(nullptr, QApplication::translate("main", "Latent cannot start"), message);
        return 1;
    }
    window.show();
    for (const QString& file : options.files) // a file that cannot be opened is reported in a dialog
        window.editorArea()->panel()->openFile(QFileInfo(file).absoluteFilePath());

    std::optional<latent::ui::ScriptedRun> script;
    if (!options.send.isEmpty() || !options.screenshot.isEmpty())
        script.emplace(chat, models, window, options.send, options.screenshot, options.suggestLine);
    if (conversation > 0)
        chat.selectConversation(conversation); // a missing one is reported like any error
    // The model of the last session: a file given, else the remote model chosen last, else the
    // last file loaded.
    const QString model = options.model.isEmpty() ? models.lastModelPath() : options.model;
    const bool remoteChosen = options.model.isEmpty() && window.remoteModels()->chooseLastModel();
    if (!remoteChosen && !model.isEmpty())
        models.loadModel(model);
    if (script)
        script->start();
    return QApplication::exec();
}
