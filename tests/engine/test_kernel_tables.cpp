// Whole models on every CPU kernel table this processor runs (portable, AVX2, AVX-512): the same
// logits at every position of a 72-token sequence (a 64-token prompt in one batch, then 8 tokens
// one at a time, as generation feeds them), for quantized models of both architectures whose rows
// are long enough for K-quants. The tables take the same float steps (float_sums.h), so they agree
// to the last bit; the bar is 1e-6 of the largest logit. Without it, one activation rounded the
// other way in one table moves every later logit by ~1e-2 through the cache.

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/model.h"
#include "engine/model/test_model.h"
#include "engine/quant/model_quantizer.h"
#include "engine/session/session.h"
#include "tests/support/logit_errors.h"

#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace latent;

namespace {

constexpr size_t kPromptTokens = 64, kGeneratedTokens = 8;

std::vector<int32_t> randomTokens(size_t count, int64_t vocabulary)
{
    std::mt19937 random(1234);
    std::uniform_int_distribution<int32_t> id(2, int32_t(vocabulary - 1));
    std::vector<int32_t> tokens{0};
    while (tokens.size() < count)
        tokens.push_back(id(random));
    return tokens;
}

// The logits at every position: the prompt in one batch, the rest one token at a time.
std::vector<float> logitsOf(const std::shared_ptr<const gguf::GgufFile>& file, const cpu::DotKernels& table)
{
    cpu::CpuBackend backend(2, table);
    const std::unique_ptr<Model> model = Model::load(file, backend);
    const std::vector<int32_t> tokens = randomTokens(kPromptTokens + kGeneratedTokens, model->info().vocabularySize);
    Session session(*model, {.contextLength = 128, .batchSize = 512});
    std::vector<float> all, logits;
    session.evaluate(std::span(tokens).first(kPromptTokens), Model::Logits::All, all);
    for (size_t i = kPromptTokens; i < tokens.size(); ++i) {
        session.evaluate(std::span(tokens).subspan(i, 1), Model::Logits::Last, logits);
        all.insert(all.end(), logits.begin(), logits.end());
    }
    return all;
}

} // namespace

class KernelTablesTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(dir_.isValid(), qPrintable(dir_.errorString()));
        writeTestModel({"llama", "small", gguf::TensorType::F32, 3}, path("llama-f32.gguf"));
        writeTestModel({"deepseek2", "small-v2-lite", gguf::TensorType::F32, 3}, path("deepseek2-f32.gguf"));
    }

    void sameLogitsOnEveryTable_data()
    {
        QTest::addColumn<QString>("architecture");
        QTest::addColumn<QString>("mix");
        for (const char* architecture : {"llama", "deepseek2"})
            for (const char* mix : {"Q4_K_M", "Q5_K_M", "Q6_K", "IQ4_XS", "Q8_0"})
                QTest::addRow("%s %s", architecture, mix) << QString(architecture) << QString(mix);
    }

    void sameLogitsOnEveryTable()
    {
        QFETCH(QString, architecture);
        QFETCH(QString, mix);
        const std::vector<const cpu::DotKernels*> tables = cpu::supportedKernels();
        if (tables.size() < 2)
            QSKIP("this processor runs the portable kernels only; no other table to compare");
        const std::string quantized = path((architecture + "-" + mix + ".gguf").toStdString());
        quant::quantizeModel(path((architecture + "-f32.gguf").toStdString()), quantized,
                             {.mix = *quant::quantMixFromName(mix.toStdString()), .threads = 2});
        const auto file = std::make_shared<const gguf::GgufFile>(gguf::GgufFile::open(quantized));

        const std::vector<float> expected = logitsOf(file, *tables.front());
        const auto vocabulary = size_t(expected.size() / (kPromptTokens + kGeneratedTokens));
        for (size_t i = 1; i < tables.size(); ++i) {
            const std::vector<float> actual = logitsOf(file, *tables[i]);
            QCOMPARE(actual.size(), expected.size());
            const test::LogitErrors errors =
                test::logitErrors(actual, kPromptTokens + kGeneratedTokens, vocabulary,
                                  [&](size_t p, size_t v) { return double(expected[p * vocabulary + v]); });
            qInfo("%s, %s kernels against the portable ones: worst relative difference %.2e over %zu positions",
                  QTest::currentDataTag(), std::string(tables[i]->name).c_str(), errors.worst(), errors.relative.size());
            QVERIFY2(errors.worst() <= 1e-6, qPrintable(QStringLiteral("%1 kernels: worst relative difference %2")
                                                            .arg(QString::fromUtf8(tables[i]->name.data(),
                                                                                   int(tables[i]->name.size())))
                                                            .arg(errors.worst())));
            QCOMPARE(errors.argmaxMismatches, 0);
        }
    }

private:
    std::string path(const std::string& name) const { return dir_.filePath(QString::fromStdString(name)).toStdString(); }

    QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(KernelTablesTest)
#include "test_kernel_tables.moc"
