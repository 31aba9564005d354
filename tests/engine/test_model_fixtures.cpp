// The model fixtures of ../shared/fixtures (llama and deepseek2): our logits against llama.cpp's
// at every position, and greedy decoding after the prompt, to the bars of the fixtures' README, on
// the CPU and (where this build and machine have them) on Vulkan and CUDA, each fixture to its own
// measured bar.

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
#ifdef LATENT_HAS_CUDA
#include "engine/cuda/cuda_device.h"
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

// Each fixture's bar on each backend (logit_errors.h): `usual` is about 5-10x what the engine
// measures (cmake --build build && build/bin/test_model_fixtures prints it), so a loss of
// precision fails at once; `flips` counts the positions where llama.cpp (whose float steps differ
// from ours, and from machine to machine) rounded an activation the other way (ds-v2lite Q8_0: an
// early one routes to other experts and moves every later position). Every CPU kernel table gives
// the same bits (test_kernel_tables), so one bar holds for them all. Vulkan: measured on lavapipe.
// CUDA: held to the CPU's bars, its goal (issue 19), not yet measured on a GPU.
test::PositionBar positionBar(const QString& name, const QString& backend)
{
    const bool vulkan = backend == "vulkan";
    struct Entry {
        const char* name;
        test::PositionBar cpu, vulkan;
    };
    static const Entry kBars[] = {
        {"llama-coder-f32", {1e-3}, {2e-3}},
        {"llama-coder-q8_0", {1e-6}, {1e-6}},
        {"llama-coder-q4_k_m", {2e-6, 2, 5e-2}, {1e-4}},
        {"llama-gqa-f32", {1e-3}, {1e-3}},
        {"llama-gqa-q4_0", {2e-6}, {2e-6}},
        {"llama-gqa-q6_k", {1e-5}, {2e-6}},
        {"ds-v2lite-f32", {2e-3}, {3e-4}},
        {"ds-v2lite-q8_0", {2e-6, 11, 1e-1}, {2e-6, 11, 1e-1}},
        {"ds-v2lite-q4_k_m", {2e-6, 1, 5e-2}, {2e-6, 1, 5e-2}},
        {"ds-v2lite-legacy-q8_0", {2e-6, 20, 5e-1}, {2e-6, 20, 5e-1}},
        {"ds-v3-f32", {3e-3}, {5e-4}},
        {"ds-v3-q8_0", {1e-6}, {1e-6}},
        {"ds-v3-q4_0", {2e-6, 1, 5e-2}, {2e-6, 2, 5e-2}},
        {"ds-v3-q5_k_m", {2e-6, 1, 8e-2}, {2e-6, 3, 2e-1}},
    };
    for (const Entry& entry : kBars) {
        if (name == entry.name)
            return vulkan ? entry.vulkan : entry.cpu;
    }
    return {}; // a fixture without a bar fails until it is measured and given one
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
#ifdef LATENT_HAS_CUDA
        backends.push_back("cuda");
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
#ifdef LATENT_HAS_CUDA
        // No CI machine has one: tests/gpu/device-check.sh runs these on a GPU.
        if (backend == "cuda") {
            if (const cuda::CudaDevices devices = cuda::listCudaDevices(); devices.devices.empty())
                QSKIP(qPrintable(QString::fromStdString("no CUDA device (" + devices.problem + ")")));
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

        // Per position: max |ours - ref| / max |ref|, held to this fixture's bar on this backend.
        const bool f32 = name.endsWith("f32");
        const test::PositionBar bar = positionBar(name, backend);
        const test::LogitErrors errors =
            test::logitErrors(logits, tokens.size(), vocab, [&](size_t p, size_t i) { return double(reference[p * vocab + i]); });
        qInfo("%s: relative error worst %.2e, median %.2e over %zu positions; %d above %.0e", QTest::currentDataTag(),
              errors.worst(), errors.median(), tokens.size(), errors.positionsAbove(bar.usual), bar.usual);
        const std::string missed = test::missedBar(errors, bar);
        QVERIFY2(missed.empty(), missed.c_str());
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
