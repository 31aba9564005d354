// The engine's llama forward pass against the float64 reference (tests/support/reference_llama.h)
// on generated tiny models: every weight type, prompts longer than one batch, and decoding one
// token at a time after the prompt.

#include "engine/model/loaded_model.h"
#include "engine/model/test_model.h"
#include "engine/session/session.h"
#include "tests/support/reference_llama.h"

#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace latent;

namespace {

struct Comparison {
    double worstRelativeError = 0;
    int argmaxMismatches = 0;
};

// Per position: max |ours - reference| / max |reference|.
Comparison compare(const std::vector<float>& ours, const std::vector<test::ReferenceLlama::Vector>& reference)
{
    Comparison result;
    const size_t vocab = reference.front().size();
    for (size_t p = 0; p < reference.size(); ++p) {
        double maxDiff = 0, maxRef = 0;
        size_t ourBest = 0, refBest = 0;
        for (size_t i = 0; i < vocab; ++i) {
            const double a = ours[p * vocab + i], b = reference[p][i];
            maxDiff = std::max(maxDiff, std::fabs(a - b));
            maxRef = std::max(maxRef, std::fabs(b));
            if (a > ours[p * vocab + ourBest])
                ourBest = i;
            if (b > reference[p][refBest])
                refBest = i;
        }
        result.worstRelativeError = std::max(result.worstRelativeError, maxDiff / maxRef);
        result.argmaxMismatches += ourBest != refBest;
    }
    return result;
}

} // namespace

class LlamaReferenceTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void matchesReference_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("promptLength");
        QTest::addColumn<double>("bound");
        // F32: only the F16 key/value cache (and llama.cpp's F16 rounding of the query and the
        // attention weights) separates us from exact math. Quantized: activations are quantized
        // to Q8_0 for the integer products, as llama.cpp does; the bound is that error.
        for (const char* preset : {"tiny", "tiny-coder"}) {
            QTest::newRow(qPrintable(QStringLiteral("%1 F32 1").arg(preset))) << preset << "F32" << 1 << 1e-3;
            QTest::newRow(qPrintable(QStringLiteral("%1 F32 37").arg(preset))) << preset << "F32" << 37 << 1e-3;
            QTest::newRow(qPrintable(QStringLiteral("%1 F16 37").arg(preset))) << preset << "F16" << 37 << 2e-3;
            QTest::newRow(qPrintable(QStringLiteral("%1 BF16 37").arg(preset))) << preset << "BF16" << 37 << 2e-3;
            QTest::newRow(qPrintable(QStringLiteral("%1 Q8_0 37").arg(preset))) << preset << "Q8_0" << 37 << 3e-2;
            QTest::newRow(qPrintable(QStringLiteral("%1 Q4_0 37").arg(preset))) << preset << "Q4_0" << 37 << 3e-2;
        }
    }

    void matchesReference()
    {
        QFETCH(QString, preset);
        QFETCH(QString, type);
        QFETCH(int, promptLength);
        QFETCH(double, bound);

        const QString path = dir_.filePath(preset + "-" + type + ".gguf");
        if (!QFileInfo::exists(path))
            writeTestModel({"llama", preset.toStdString(), *gguf::tensorTypeFromName(type.toStdString()), 7},
                           path.toStdString());
        LoadedModel loaded = LoadedModel::open(path.toStdString(), {"cpu", 2});

        std::mt19937 random{uint32_t(promptLength)};
        std::vector<int32_t> tokens(size_t(promptLength) + 12);
        for (int32_t& token : tokens)
            token = int32_t(random() % uint32_t(loaded.model->info().vocabularySize));

        // The prompt in batches of 16, then one token at a time.
        Session session(*loaded.model, {256, 16});
        std::vector<float> logits, step;
        session.evaluate(std::span(tokens).first(size_t(promptLength)), Model::Logits::All, logits);
        for (size_t t = size_t(promptLength); t < tokens.size(); ++t) {
            session.evaluate(std::span(tokens).subspan(t, 1), Model::Logits::Last, step);
            logits.insert(logits.end(), step.begin(), step.end());
        }

        // The prompt again asking for the last logits only (earlier batches fill the cache and
        // compute no logits): the same values as the last row of the full run.
        Session lastOnly(*loaded.model, {256, 16});
        std::vector<float> last;
        lastOnly.evaluate(std::span(tokens).first(size_t(promptLength)), Model::Logits::Last, last);
        const size_t vocab = size_t(loaded.model->info().vocabularySize);
        QVERIFY(std::equal(last.begin(), last.end(), logits.begin() + std::ptrdiff_t((size_t(promptLength) - 1) * vocab)));

        const test::ReferenceLlama reference(*loaded.file);
        const Comparison result = compare(logits, reference.forward(tokens));
        qInfo("%s %s: worst relative error %.2e, argmax differs at %d of %zu positions", qPrintable(preset),
              qPrintable(type), result.worstRelativeError, result.argmaxMismatches, tokens.size());
        QVERIFY(result.worstRelativeError < bound);
        if (type == "F32")
            QCOMPARE(result.argmaxMismatches, 0);
    }
};

QTEST_GUILESS_MAIN(LlamaReferenceTest)
#include "test_llama_reference.moc"
