// `latent` run from a script, as the README's screenshot and smoke tests run it: the help and the
// version without a display, and a scripted answer that fills the context still gives its picture.
// Runs latent and latent-cli (built beside this test) as separate processes.

#include "tests/support/built_program.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QLibraryInfo>
#include <QTemporaryDir>
#include <QTest>

using latent::test::ProgramRun;
using latent::test::runBuiltProgram;

class LatentCommandLineTest : public QObject {
    Q_OBJECT

    QTemporaryDir folder_;

    // No display of any kind, as over SSH or on a build machine.
    static QProcessEnvironment withoutDisplay()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            environment.remove(QString::fromLatin1(name));
        return environment;
    }

private slots:
    void initTestCase() { QVERIFY(folder_.isValid()); }

    void helpNeedsNoDisplay()
    {
        const ProgramRun help = runBuiltProgram(QStringLiteral("latent"), {QStringLiteral("--help")}, withoutDisplay());
        QVERIFY2(help.exitCode == 0, qPrintable(help.err));
        QVERIFY2(help.out.startsWith(QLatin1String("Usage: ")), qPrintable(help.out));
        QVERIFY2(help.out.contains(QLatin1String("--screenshot")), qPrintable(help.out));
    }

    void versionNeedsNoDisplay()
    {
        const ProgramRun version =
            runBuiltProgram(QStringLiteral("latent"), {QStringLiteral("--version")}, withoutDisplay());
        QVERIFY2(version.exitCode == 0, qPrintable(version.err));
        QVERIFY2(version.out.startsWith(QLatin1String("Latent ")), qPrintable(version.out));
    }

    // A broken installation: the QML modules' folder missing (a qt.conf beside a copy of latent
    // points Qt at an empty one). The app says what is missing and fails, instead of picturing an
    // empty window.
    void aMissingQmlModuleFailsAndSaysSo()
    {
        const QString folder = folder_.filePath(QStringLiteral("broken install"));
        QVERIFY(QDir().mkpath(folder + QStringLiteral("/no qml")));
        const QString program = folder + QStringLiteral("/latent");
        QVERIFY(QFile::copy(QCoreApplication::applicationDirPath() + QStringLiteral("/latent"), program));
        QFile conf(folder + QStringLiteral("/qt.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        // Only the QML path moves: the plugins (the platform) stay where Qt has them.
        conf.write("[Paths]\nPlugins = " + QLibraryInfo::path(QLibraryInfo::PluginsPath).toUtf8()
                   + "\nQmlImports = no qml\n");
        conf.close();

        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), folder + QStringLiteral("/config"));
        environment.remove(QStringLiteral("QML2_IMPORT_PATH"));
        environment.remove(QStringLiteral("QML_IMPORT_PATH"));
        const QString picture = folder + QStringLiteral("/window.png");
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(program, {QStringLiteral("--database"), folder + QStringLiteral("/chat.sqlite3"),
                                QStringLiteral("--screenshot"), picture});
        QVERIFY(process.waitForFinished(120'000));
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 1, qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("could not be loaded")) && err.contains(QLatin1String("QtQuick")),
                 qPrintable(err));
        QVERIFY2(!QFile::exists(picture), "no picture of an empty window");
    }

    // The tiny model (seed 5, as the app's suites use it) with a context of 256 and no limit on the
    // answer: DeepSeek-Coder's system prompt takes most of it, and the answer runs until it is full.
    void aScriptedAnswerThatFillsTheContextIsStillPictured()
    {
        const QString model = folder_.filePath(QStringLiteral("tiny.gguf"));
        const ProgramRun made = runBuiltProgram(QStringLiteral("latent-cli"),
                                                {QStringLiteral("make-test-model"), QStringLiteral("--preset"),
                                                 QStringLiteral("tiny"), QStringLiteral("--seed"), QStringLiteral("5"),
                                                 QStringLiteral("-o"), model});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));

        // Settings of this run only, in the platform's place for them (XDG_CONFIG_HOME).
        const QString config = folder_.filePath(QStringLiteral("config"));
        QVERIFY(QDir().mkpath(config + QStringLiteral("/Latent")));
        QFile settings(config + QStringLiteral("/Latent/Latent.conf"));
        QVERIFY(settings.open(QIODevice::WriteOnly));
        settings.write("[engine]\ncontextSize=256\nmaxTokens=-1\ntemperature=0\nbackend=cpu\nthreads=2\n");
        settings.close();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), config);
        environment.insert(QStringLiteral("XDG_DATA_HOME"), folder_.filePath(QStringLiteral("data")));

        const QString picture = folder_.filePath(QStringLiteral("full.png"));
        const ProgramRun run = runBuiltProgram(
            QStringLiteral("latent"),
            {QStringLiteral("--database"), folder_.filePath(QStringLiteral("chat.sqlite3")), QStringLiteral("--model"),
             model, QStringLiteral("--send"), QStringLiteral("Hi"), QStringLiteral("--screenshot"), picture},
            environment);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains(QLatin1String("The context is full")), qPrintable(run.err));
        const QImage image(picture);
        QVERIFY2(!image.isNull(), qPrintable(picture));
        QVERIFY(image.width() > 400 && image.height() > 300);
    }
};

QTEST_GUILESS_MAIN(LatentCommandLineTest)
#include "test_latent_command_line.moc"
