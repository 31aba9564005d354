// The command line's backend choice, as a user meets it: `latent-cli devices`, `--backend vulkan`
// giving the CPU's text, `--backend auto` saying why it chose the CPU, and bad choices refused with
// the option named. Runs latent-cli (built beside this test) on a generated tiny model.

#include "tests/support/built_program.h"
#include "tests/support/skip_or_fail.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Run = latent::test::ProgramRun;

// extraEnvironment: NAME=value entries added to this process's environment.
Run latentCli(const QStringList& arguments, const QStringList& extraEnvironment = {})
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString& entry : extraEnvironment)
        environment.insert(entry.section(u'=', 0, 0), entry.section(u'=', 1));
    return latent::test::runBuiltProgram(QStringLiteral("latent-cli"), arguments, environment);
}

} // namespace

class CliBackendsTest : public QObject {
    Q_OBJECT

    QTemporaryDir folder_;
    QString model_;
    bool haveDevice_ = false;

    QStringList runArguments(const QString& backend) const
    {
        return {QStringLiteral("run"), QStringLiteral("-m"), model_, QStringLiteral("-p"), QStringLiteral("Hello"),
                QStringLiteral("-n"), QStringLiteral("12"), QStringLiteral("--temperature"), QStringLiteral("0"),
                QStringLiteral("--backend"), backend};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(folder_.isValid());
        model_ = folder_.filePath(QStringLiteral("tiny.gguf"));
        const Run made = latentCli({QStringLiteral("make-test-model"), QStringLiteral("--arch"), QStringLiteral("llama"),
                                    QStringLiteral("--preset"), QStringLiteral("tiny"), QStringLiteral("-o"), model_});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        const Run devices = latentCli({QStringLiteral("devices")});
        QVERIFY2(devices.exitCode == 0, qPrintable(devices.err));
        haveDevice_ = devices.out.contains(QLatin1String(": usable")) || devices.out.contains(QLatin1String("   usable"));
    }

    void devicesListsEachWithWhetherUsable()
    {
        const Run devices = latentCli({QStringLiteral("devices")});
        QCOMPARE(devices.exitCode, 0);
        // CUDA first: its devices, or why there are none (no driver here), or that the build has none.
        QVERIFY2(devices.out.startsWith(QLatin1String("CUDA 0: ")) || devices.out.startsWith(QLatin1String("CUDA: ")),
                 qPrintable(devices.out));
        if (devices.out.contains(QLatin1String("Vulkan: no devices")) ||
            devices.out.contains(QLatin1String("no Vulkan backend")))
            LATENT_SKIP_WITHOUT_VULKAN(QStringLiteral("no Vulkan device here: ") + devices.out.trimmed());
        QVERIFY2(devices.out.contains(QRegularExpression(QStringLiteral("^Vulkan 0: "),
                                                         QRegularExpression::MultilineOption)),
                 qPrintable(devices.out));
        QVERIFY2(devices.out.contains(QLatin1String("maxStorageBufferRange")), qPrintable(devices.out));
        QVERIFY2(devices.out.contains(QLatin1String("usable")), qPrintable(devices.out));
    }

    void vulkanWritesTheCpusText()
    {
        if (!haveDevice_)
            LATENT_SKIP_WITHOUT_VULKAN(QStringLiteral("no usable Vulkan device here (latent-cli devices)"));
        const Run cpu = latentCli(runArguments(QStringLiteral("cpu")));
        const Run vulkan = latentCli(runArguments(QStringLiteral("vulkan")));
        QVERIFY2(cpu.exitCode == 0, qPrintable(cpu.err));
        QVERIFY2(vulkan.exitCode == 0, qPrintable(vulkan.err));
        QVERIFY2(vulkan.err.contains(QLatin1String("backend: vulkan (device")), qPrintable(vulkan.err));
        QVERIFY(!cpu.out.trimmed().isEmpty());
        QCOMPARE(vulkan.out, cpu.out);
    }

    // lavapipe, the only device of a machine without a GPU, is slower than the CPU backend.
    void autoSaysWhyItChoseTheCpu()
    {
        const Run automatic = latentCli(runArguments(QStringLiteral("auto")));
        QVERIFY2(automatic.exitCode == 0, qPrintable(automatic.err));
        if (automatic.err.contains(QLatin1String("backend: vulkan")))
            QSKIP("this machine has a Vulkan GPU, which auto chose");
        // The choice and its reason are the first line, together.
        const QString first = automatic.err.section(QLatin1Char('\n'), 0, 0);
        QVERIFY2(first.startsWith(QLatin1String("backend: cpu")) && first.contains(QLatin1String("(auto chose the CPU: ")),
                 qPrintable(automatic.err));
    }

    // A machine with the Vulkan loader but no driver (the loader finds no ICD): auto runs on the
    // CPU and says why; asking for Vulkan is an error that says what to do.
    void noDriverFallsBackToTheCpu()
    {
        const QStringList noDriver{QStringLiteral("VK_ICD_FILENAMES=/nonexistent/icd.json"),
                                   QStringLiteral("VK_DRIVER_FILES=/nonexistent/icd.json")};
        const Run automatic = latentCli(runArguments(QStringLiteral("auto")), noDriver);
        QVERIFY2(automatic.exitCode == 0, qPrintable(automatic.err));
        QVERIFY2(automatic.err.contains(QLatin1String("auto chose the CPU: ")), qPrintable(automatic.err));
        QVERIFY(!automatic.out.trimmed().isEmpty());
        const Run vulkan = latentCli(runArguments(QStringLiteral("vulkan")), noDriver);
        QVERIFY(vulkan.exitCode != 0);
        QVERIFY2(vulkan.err.contains(QLatin1String("--backend cpu")), qPrintable(vulkan.err));
    }

    void aDeviceThatDoesNotExistIsRefused()
    {
        QStringList arguments = runArguments(QStringLiteral("vulkan"));
        arguments << QStringLiteral("--device") << QStringLiteral("99");
        const Run run = latentCli(arguments);
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains(QLatin1String("99")), qPrintable(run.err));
    }

    void anUnknownBackendNamesTheChoices()
    {
        const Run run = latentCli(runArguments(QStringLiteral("metal")));
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains(QLatin1String("metal")) && run.err.contains(QLatin1String("cpu")), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(CliBackendsTest)
#include "test_cli_backends.moc"
