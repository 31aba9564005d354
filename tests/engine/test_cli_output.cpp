// What latent-cli writes into a script's log, and what it refuses: make-test-model's progress
// without carriage returns when not on a terminal, run's stats line on a line of its own, numbers
// out of range refused with the option named, and one spelling of the chat-format override.
// Runs latent-cli (built beside this test) on a generated tiny model.

#include "tests/support/built_program.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using latent::test::ProgramRun;
using latent::test::runBuiltProgram;

class CliOutputTest : public QObject {
    Q_OBJECT

    QTemporaryDir folder_;
    QString model_;
    ProgramRun made_;

    QStringList runArguments(const QStringList& extra) const
    {
        return QStringList{QStringLiteral("run"), QStringLiteral("-m"), model_, QStringLiteral("-p"),
                           QStringLiteral("Hello"), QStringLiteral("--temperature"), QStringLiteral("0")} +
               extra;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(folder_.isValid());
        model_ = folder_.filePath(QStringLiteral("tiny.gguf"));
        made_ = runBuiltProgram(QStringLiteral("latent-cli"),
                                {QStringLiteral("make-test-model"), QStringLiteral("--preset"), QStringLiteral("tiny"),
                                 QStringLiteral("-o"), model_});
        QVERIFY2(made_.exitCode == 0, qPrintable(made_.err));
    }

    // A log is not a terminal: a counter rewritten with \r would fill it with one long line.
    void makeTestModelWritesNoCarriageReturnsIntoALog()
    {
        QVERIFY2(!made_.err.contains(u'\r'), qPrintable(made_.err));
        QCOMPARE(made_.err, QStringLiteral("wrote %1\n").arg(model_));
    }

    // stdout and stderr into one log (2>&1): the stats start a line, after the answer's text.
    void statsStartTheirOwnLine()
    {
        const ProgramRun run = runBuiltProgram(QStringLiteral("latent-cli"),
                                               runArguments({QStringLiteral("-n"), QStringLiteral("8"),
                                                             QStringLiteral("--stats")}),
                                               QProcessEnvironment::systemEnvironment(), QProcess::MergedChannels);
        QCOMPARE(run.exitCode, 0);
        const qsizetype stats = run.out.indexOf(QLatin1String("prompt: "));
        QVERIFY2(stats > 0, qPrintable(run.out));
        QVERIFY2(run.out.at(stats - 1) == u'\n', qPrintable(run.out));
        QVERIFY2(run.out.endsWith(QLatin1String("tokens/s\n")), qPrintable(run.out));
    }

    void numbersOutOfRangeAreRefusedNamingTheOption_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::newRow("max tokens below -1") << "--max-tokens" << "-5";
        QTest::newRow("negative temperature") << "--temperature" << "-1";
        QTest::newRow("negative top-k") << "--top-k" << "-3";
        QTest::newRow("top-p above 1") << "--top-p" << "1.5";
        QTest::newRow("negative min-p") << "--min-p" << "-0.1";
        QTest::newRow("zero repeat penalty") << "--repeat-penalty" << "0";
        QTest::newRow("negative seed") << "--seed" << "-5";
        QTest::newRow("zero threads") << "--threads" << "0";
        QTest::newRow("negative context") << "--ctx" << "-3";
        QTest::newRow("zero batch") << "--batch" << "0";
    }

    void numbersOutOfRangeAreRefusedNamingTheOption()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        const ProgramRun run = runBuiltProgram(QStringLiteral("latent-cli"), runArguments({option, value}));
        QVERIFY2(run.exitCode != 0, qPrintable(run.out));
        QVERIFY2(run.err.startsWith(QStringLiteral("%1: %2 is not ").arg(option, value)), qPrintable(run.err));
        QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
    }

    // -1 is the documented "until the context is full", not a mistake.
    void maxTokensMinusOneRunsToTheContext()
    {
        const ProgramRun run = runBuiltProgram(QStringLiteral("latent-cli"),
                                               runArguments({QStringLiteral("-n"), QStringLiteral("-1"),
                                                             QStringLiteral("--ctx"), QStringLiteral("24")}));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(!run.out.isEmpty());
    }

    // run and template both take --chat-format (template's old --format still works, unlisted).
    void chatFormatIsOneOptionInEveryCommand()
    {
        const QString conversation = folder_.filePath(QStringLiteral("conversation.json"));
        QFile file(conversation);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"messages": [{"role": "user", "content": "Hi"}]})");
        file.close();
        for (const QString& command : {QStringLiteral("run"), QStringLiteral("template")}) {
            const ProgramRun help =
                runBuiltProgram(QStringLiteral("latent-cli"), {command, QStringLiteral("--help")});
            QVERIFY2(help.out.contains(QLatin1String("--chat-format")), qPrintable(help.out));
            QVERIFY2(!help.out.contains(QLatin1String(" --format")), qPrintable(help.out));
        }
        const QStringList templateArguments{QStringLiteral("template"), QStringLiteral("-m"), model_, conversation};
        const ProgramRun named = runBuiltProgram(
            QStringLiteral("latent-cli"),
            templateArguments + QStringList{QStringLiteral("--chat-format"), QStringLiteral("deepseek-coder")});
        QVERIFY2(named.exitCode == 0, qPrintable(named.err));
        const ProgramRun old = runBuiltProgram(
            QStringLiteral("latent-cli"),
            templateArguments + QStringList{QStringLiteral("--format"), QStringLiteral("deepseek-coder")});
        QVERIFY2(old.exitCode == 0, qPrintable(old.err));
        QCOMPARE(old.out, named.out);
        const ProgramRun wrong = runBuiltProgram(
            QStringLiteral("latent-cli"),
            runArguments({QStringLiteral("--chat"), QStringLiteral("--chat-format"), QStringLiteral("nope")}));
        QVERIFY(wrong.exitCode != 0);
        QVERIFY2(wrong.err.contains(QLatin1String("--chat-format 'nope' is not a chat format; use one of deepseek-llm")),
                 qPrintable(wrong.err));
    }
};

QTEST_GUILESS_MAIN(CliOutputTest)
#include "test_cli_output.moc"
