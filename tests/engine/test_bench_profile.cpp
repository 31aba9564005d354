// `latent-cli bench --profile` on tiny test models of both architectures, on the CPU and on Vulkan
// (device times from GPU timestamps): the per-operation tables of the prompt's pass and of a
// decoding step hold the operations the architecture runs, as many times a token as its blocks call
// them, and their shares add up to the whole pass. And `--depth`: the runs after that many tokens
// already in the cache (which must hold them too). Runs latent-cli (built beside this test).

#include "tests/support/built_program.h"
#include "tests/support/skip_or_fail.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using latent::test::ProgramRun;
using latent::test::runBuiltProgram;

namespace {

constexpr int kPromptTokens = 16;
constexpr int kGeneratedTokens = 8;

// Operation kind -> calls per token, summed over the kinds that start with it ("matmul" covers
// "matmul Q8_0" and "matmul F32").
double callsPerToken(const QJsonArray& rows, const QString& kind)
{
    double calls = 0;
    for (const QJsonValue& row : rows) {
        const QString operation = row[QLatin1String("operation")].toString();
        if (operation == kind || operation.startsWith(kind + u' '))
            calls += row[QLatin1String("calls_per_token")].toDouble();
    }
    return calls;
}

double percentSum(const QJsonArray& rows)
{
    double sum = 0;
    for (const QJsonValue& row : rows)
        sum += row[QLatin1String("percent")].toDouble();
    return sum;
}

} // namespace

class BenchProfileTest : public QObject {
    Q_OBJECT

    QTemporaryDir folder_;

    QString makeModel(const QString& arch, const QString& preset)
    {
        const QString path = folder_.filePath(preset + QStringLiteral(".gguf"));
        const ProgramRun made =
            runBuiltProgram(QStringLiteral("latent-cli"), {QStringLiteral("make-test-model"), QStringLiteral("--arch"),
                                                           arch, QStringLiteral("--preset"), preset,
                                                           QStringLiteral("--type"), QStringLiteral("Q8_0"),
                                                           QStringLiteral("-o"), path});
        if (made.exitCode != 0)
            qWarning("%s", qPrintable(made.err));
        return path;
    }

    static QStringList benchArguments(const QString& model, const QString& backend, const QStringList& extra)
    {
        return QStringList{QStringLiteral("bench"), QStringLiteral("-m"), model, QStringLiteral("-p"),
                           QString::number(kPromptTokens), QStringLiteral("-n"), QString::number(kGeneratedTokens),
                           QStringLiteral("-r"), QStringLiteral("1"), QStringLiteral("--threads"), QStringLiteral("2"),
                           QStringLiteral("--backend"), backend, QStringLiteral("--profile")} +
               extra;
    }

    // The profile of a model's bench --json line: {"prompt": [rows], "decode": [rows]}.
    QJsonObject profileOf(const QString& model, const QString& backend)
    {
        const ProgramRun run =
            runBuiltProgram(QStringLiteral("latent-cli"), benchArguments(model, backend, {QStringLiteral("--json")}));
        if (run.exitCode != 0)
            qWarning("%s", qPrintable(run.err));
        return QJsonDocument::fromJson(run.out.toUtf8()).object()[QLatin1String("profile")].toObject();
    }

    // The shares add up to the pass; the products' rows say how fast they read weights; on a GPU
    // every operation's row has the CPU's time recording it beside the device's time, and the
    // products took device time.
    static void checkShares(const QJsonObject& profile, const QString& backend)
    {
        const bool onDevice = backend != QLatin1String("cpu");
        for (const QString& pass : {QStringLiteral("prompt"), QStringLiteral("decode")}) {
            const QJsonArray rows = profile[pass].toArray();
            QVERIFY2(!rows.isEmpty(), qPrintable(pass));
            QVERIFY2(qAbs(percentSum(rows) - 100) < 0.5, qPrintable(QStringLiteral("%1: %2%").arg(pass).arg(percentSum(rows))));
            for (const QJsonValue& row : rows) {
                const QString operation = row[QLatin1String("operation")].toString();
                QVERIFY(row[QLatin1String("ms_per_token")].toDouble() >= 0);
                const bool readsWeights = operation.startsWith(QLatin1String("matmul")) || operation == QLatin1String("moe");
                QCOMPARE(row[QLatin1String("weight_gb_s")].toDouble() > 0, readsWeights);
                if (operation.startsWith(u'('))
                    continue;
                QCOMPARE(row.toObject().contains(QLatin1String("record_ms_per_token")), onDevice);
                if (onDevice && readsWeights)
                    QVERIFY2(row[QLatin1String("ms_per_token")].toDouble() > 0, qPrintable(operation));
            }
        }
    }

    static void addBackends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("cpu") << QStringLiteral("cpu");
        QTest::newRow("vulkan") << QStringLiteral("vulkan");
    }

    // Vulkan's rows need a usable device (lavapipe in CI).
    static bool skipWithoutVulkan(const QString& backend)
    {
        if (backend != QLatin1String("vulkan"))
            return false;
        const ProgramRun devices = runBuiltProgram(QStringLiteral("latent-cli"), {QStringLiteral("devices")});
        return !devices.out.contains(QLatin1String("usable")) || devices.out.contains(QLatin1String("not usable"));
    }

private slots:
    void initTestCase() { QVERIFY(folder_.isValid()); }

    void llamaDecodeCountsEachBlocksOperations_data() { addBackends(); }
    // tiny: 2 blocks; per block 7 products in 4 calls (q, k and v in one matmuls(); output; gate
    // and up in another; down), then the output head. On a GPU the calls are those the device
    // timed: the same counts.
    void llamaDecodeCountsEachBlocksOperations()
    {
        QFETCH(QString, backend);
        if (skipWithoutVulkan(backend))
            LATENT_SKIP_WITHOUT_VULKAN(QStringLiteral("no usable Vulkan device here (latent-cli devices)"));
        const QJsonObject profile = profileOf(makeModel(QStringLiteral("llama"), QStringLiteral("tiny")), backend);
        const QJsonArray decode = profile[QLatin1String("decode")].toArray();
        QCOMPARE(callsPerToken(decode, QStringLiteral("matmul")), 2 * 2 + 1);
        QCOMPARE(callsPerToken(decode, QStringLiteral("matmuls")), 2 * 2);
        QCOMPARE(callsPerToken(decode, QStringLiteral("attention")), 2);
        // Per block the query's rope, the keys' ropeAndStore and the values' store; the first
        // block's norm, the later ones' added to the residual first (addAndNorm), as is every
        // feed-forward's; the last block's feed-forward added on its own, before the head's norm.
        QCOMPARE(callsPerToken(decode, QStringLiteral("rope")), 2);
        QCOMPARE(callsPerToken(decode, QStringLiteral("ropeAndStore")), 2);
        QCOMPARE(callsPerToken(decode, QStringLiteral("store")), 2);
        QCOMPARE(callsPerToken(decode, QStringLiteral("rmsNorm")), 1 + 1);
        QCOMPARE(callsPerToken(decode, QStringLiteral("addAndNorm")), 2 * 2 - 1);
        QCOMPARE(callsPerToken(decode, QStringLiteral("swiglu")), 2);
        QCOMPARE(callsPerToken(decode, QStringLiteral("add")), 1);
        QCOMPARE(callsPerToken(decode, QStringLiteral("getRows")), 1);
        QCOMPARE(callsPerToken(decode, QStringLiteral("mlaAttention")), 0);
        // The prompt is one pass: each call serves all its tokens.
        const QJsonArray prompt = profile[QLatin1String("prompt")].toArray();
        QCOMPARE(callsPerToken(prompt, QStringLiteral("attention")), 2.0 / kPromptTokens);
        checkShares(profile, backend);
    }

    // tiny-v2-lite: 3 blocks (1 dense, 2 MoE), no query bottleneck. Per block 4 attention products
    // in 2 calls (q, the latent's down projection and the rotated key in one matmuls(); output); the
    // dense block 3 more in 2 (gate and up in one matmuls(); down), each MoE block the router,
    // its routed and shared experts in one moeWithShared() (profiled as "moe"); the output head.
    void deepseek2DecodeCountsEachBlocksOperations_data() { addBackends(); }
    void deepseek2DecodeCountsEachBlocksOperations()
    {
        QFETCH(QString, backend);
        if (skipWithoutVulkan(backend))
            LATENT_SKIP_WITHOUT_VULKAN(QStringLiteral("no usable Vulkan device here (latent-cli devices)"));
        const QJsonObject profile =
            profileOf(makeModel(QStringLiteral("deepseek2"), QStringLiteral("tiny-v2-lite")), backend);
        const QJsonArray decode = profile[QLatin1String("decode")].toArray();
        QCOMPARE(callsPerToken(decode, QStringLiteral("matmul")), 3 * 1 + 1 + 2 * 1 + 1);
        QCOMPARE(callsPerToken(decode, QStringLiteral("matmuls")), 3 + 1);
        QCOMPARE(callsPerToken(decode, QStringLiteral("swiglu")), 1); // the dense block's
        QCOMPARE(callsPerToken(decode, QStringLiteral("mlaAttention")), 3);
        QCOMPARE(callsPerToken(decode, QStringLiteral("route")), 2);
        QCOMPARE(callsPerToken(decode, QStringLiteral("moe")), 2);
        QCOMPARE(callsPerToken(decode, QStringLiteral("attention")), 0);
        // Norms: the first block's, every block's latent norm, the head's; the rest follow a residual.
        QCOMPARE(callsPerToken(decode, QStringLiteral("rmsNorm")), 1 + 3 + 1);
        QCOMPARE(callsPerToken(decode, QStringLiteral("addAndNorm")), 3 * 2 - 1);
        QCOMPARE(callsPerToken(decode, QStringLiteral("ropeAndStore")), 3);
        checkShares(profile, backend);
    }

    void textHasBothTables_data() { addBackends(); }
    void textHasBothTables()
    {
        QFETCH(QString, backend);
        if (skipWithoutVulkan(backend))
            LATENT_SKIP_WITHOUT_VULKAN(QStringLiteral("no usable Vulkan device here (latent-cli devices)"));
        const ProgramRun run = runBuiltProgram(
            QStringLiteral("latent-cli"), benchArguments(makeModel(QStringLiteral("llama"), QStringLiteral("tiny")), backend, {}));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QLatin1String("prompt: one forward pass of 16 tokens, per token")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("decode: one forward pass per generated token")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("calls/token")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("matmul Q8_0")), qPrintable(run.out));
        const bool onDevice = backend != QLatin1String("cpu");
        QCOMPARE(run.out.contains(QLatin1String("device time from GPU timestamps")), onDevice);
        QCOMPARE(run.out.contains(QLatin1String("record ms/token")), onDevice);
    }

    // Deeper than the prompt and generation together: the cache is sized for the depth as well,
    // both runs report it, and a negative depth is refused naming the option.
    void depthFillsTheCacheFirst()
    {
        const QString model = makeModel(QStringLiteral("llama"), QStringLiteral("tiny"));
        const QStringList deep = {QStringLiteral("--depth"), QStringLiteral("100")};
        const ProgramRun json =
            runBuiltProgram(QStringLiteral("latent-cli"), benchArguments(model, QStringLiteral("cpu"), deep + QStringList{QStringLiteral("--json")}));
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonObject line = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(line[QLatin1String("depth")].toInt(), 100);
        QVERIFY(line[QLatin1String("tg_tok_s")].toDouble() > 0);
        const ProgramRun text = runBuiltProgram(QStringLiteral("latent-cli"), benchArguments(model, QStringLiteral("cpu"), deep));
        QVERIFY2(text.exitCode == 0, qPrintable(text.err));
        QVERIFY2(text.out.contains(QLatin1String("tokens/s @ d100")), qPrintable(text.out));
        const ProgramRun negative = runBuiltProgram(
            QStringLiteral("latent-cli"), benchArguments(model, QStringLiteral("cpu"), {QStringLiteral("--depth"), QStringLiteral("-3")}));
        QVERIFY(negative.exitCode != 0);
        QVERIFY2(negative.err.contains(QLatin1String("--depth")), qPrintable(negative.err));
    }
};

QTEST_GUILESS_MAIN(BenchProfileTest)
#include "test_bench_profile.moc"
