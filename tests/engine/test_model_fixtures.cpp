// The model fixtures of ../shared/fixtures (llama and deepseek2): our logits against llama.cpp's
// at every position, and greedy decoding after the prompt, to the bars of the fixtures' README, on
// the CPU and (where this build and machine have it) on Vulkan.

#include "engine/core/error.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/model/loaded_model.h"
#include "engine/session/session.h"
#include "tests/support/logit_errors.h"
#include "tests/support/shared_data.h"
#ifdef LATENT_HAS_VULKAN
#include "engine/vulkan/vulkan_backend.h"
#include "tests/support/vulkan_test_backend.h"
#endif

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace latent;

namespace {

std::vector<int32_t> readIds(const QString& text)
{
    std::vector<int32_t> ids;
    for (const QString& item : text.split(QRegularExpression("[\\s,]+"), Qt::SkipEmptyParts))
        ids.push_back(item.toInt());
    return ids;
}

QString readText(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

class ModelFixturesTest : public QObject {
    Q_OBJECT

private slots:
    void parity_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("backend");
        std::vector<const char*> backends{"cpu"};
#ifdef LATENT_HAS_VULKAN
        backends.push_back("vulkan");
#endif
        for (const char* backend : backends)
            for (const char* name : {"llama-coder-f32", "llama-coder-q8_0", "llama-coder-q4_k_m", "llama-gqa-f32",
                                     "llama-gqa-q4_0", "llama-gqa-q6_k", "ds-v2lite-f32", "ds-v2lite-q8_0",
                                     "ds-v2lite-q4_k_m", "ds-v2lite-legacy-q8_0", "ds-v3-f32", "ds-v3-q8_0", "ds-v3-q4_0",
                                     "ds-v3-q5_k_m"})
                QTest::addRow("%s on %s", name, backend) << name << backend;
    }

    void parity()
    {
        QFETCH(QString, name);
        QFETCH(QString, backend);
        LATENT_REQUIRE_SHARED("fixtures/" + name + ".gguf");
        const QString base = test::sharedPath("fixtures/" + name);
#ifdef LATENT_HAS_VULKAN
        if (backend == "vulkan") {
            LATENT_REQUIRE_VULKAN(probe);
        }
#endif
        LoadedModel loaded = LoadedModel::open((base + ".gguf").toStdString(), {backend.toStdString(), 2});
        const std::vector<int32_t> tokens = readIds(readText(base + ".tokens"));
        QFile referenceFile(base + ".logits.f32");
        QVERIFY(referenceFile.open(QIODevice::ReadOnly));
        const QByteArray referenceBytes = referenceFile.readAll();
        const auto* reference = reinterpret_cast<const float*>(referenceBytes.constData());
        const auto vocab = size_t(loaded.model->info().vocabularySize);
        QCOMPARE(size_t(referenceBytes.size()), tokens.size() * vocab * sizeof(float));

        Session session(*loaded.model, {256, 512});
        std::vector<float> logits;
        session.evaluate(tokens, Model::Logits::All, logits);

        // Per position: max |ours - ref| / max |ref|. F32 files: under 1e-3 and the same argmax at
        // every position. Quantized: under 3e-2 at every position (llama), or at the median position
        // (deepseek2: an activation computed in another order can route a token to another expert).
        const bool f32 = name.endsWith("f32");
        const bool moe = loaded.model->info().architecture == "deepseek2";
        const double bound = f32 ? 1e-3 : 3e-2;
        const test::LogitErrors errors =
            test::logitErrors(logits, tokens.size(), vocab, [&](size_t p, size_t i) { return double(reference[p * vocab + i]); });
        qInfo("%s: relative error worst %.2e, median %.2e over %zu positions", QTest::currentDataTag(),
              errors.worst(), errors.median(), tokens.size());
        if (f32 || !moe)
            QVERIFY2(errors.worst() < bound, qPrintable(QStringLiteral("worst relative error %1").arg(errors.worst())));
        QVERIFY2(errors.median() < bound, qPrintable(QStringLiteral("median relative error %1").arg(errors.median())));
        if (f32)
            QCOMPARE(errors.argmaxMismatches, 0);

        if (!f32)
            return;
        // Greedy continuation, one token at a time after the batched prompt.
        const QString text = readText(base + ".txt");
        const auto match = QRegularExpression("greedy:([^\\n]*)").match(text);
        QVERIFY(match.hasMatch());
        const std::vector<int32_t> expected = readIds(match.captured(1));
        std::vector<int32_t> greedy;
        for (size_t i = 0; i < expected.size(); ++i) {
            const auto last = std::span(logits).last(vocab);
            const auto next = int32_t(std::max_element(last.begin(), last.end()) - last.begin());
            greedy.push_back(next);
            const int32_t one[] = {next};
            session.evaluate(one, Model::Logits::Last, logits);
        }
        QCOMPARE(greedy, expected);
    }

    void unsupportedTypeIsALoadError()
    {
        // A fixture with one tensor rewritten as IQ2_XXS (a type the engine cannot compute): the
        // load names the tensor and the type instead of failing mid-generation.
        LATENT_REQUIRE_SHARED("fixtures/llama-gqa-f32.gguf");
        const auto file = gguf::GgufFile::open(test::sharedPath("fixtures/llama-gqa-f32.gguf").toStdString());
        gguf::GgufWriter writer;
        for (const auto& [key, value] : file.metadata().entries())
            writer.metadata().set(key, value);
        const gguf::TensorInfo& output = *file.findTensor("output.weight");
        const gguf::TensorTypeTraits& iq2 = gguf::tensorTypeTraits(gguf::TensorType::IQ2_XXS);
        const std::vector<uint8_t> iq2Bytes(output.elementCount / iq2.blockValues * iq2.blockBytes, 0x5A);
        for (const gguf::TensorInfo& tensor : file.tensors()) {
            if (tensor.name == output.name)
                writer.addTensor(tensor.name, gguf::TensorType::IQ2_XXS, tensor.shape, iq2Bytes);
            else
                writer.addTensor(tensor.name, tensor.type, tensor.shape, file.tensorData(tensor));
        }
        QTemporaryDir dir;
        const std::string path = dir.filePath("iq2.gguf").toStdString();
        writer.write(path);
        try {
            LoadedModel::open(path, {"cpu", 1});
            QFAIL("expected an error at load");
        } catch (const Error& error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains("tensor 'output.weight' is stored as IQ2_XXS"), qPrintable(message));
        }
    }
};

QTEST_GUILESS_MAIN(ModelFixturesTest)
#include "test_model_fixtures.moc"
