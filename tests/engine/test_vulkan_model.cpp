// Whole models on the Vulkan backend: the tiny llama models' logits and greedy generation against
// the CPU backend, the phase-1 llama fixtures against llama.cpp's logits (the bars of
// test_model_fixtures), and deepseek2 refused at load with a message that says what to do.

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/loaded_model.h"
#include "engine/model/test_model.h"
#include "engine/session/session.h"
#include "tests/support/logit_errors.h"
#include "tests/support/shared_data.h"
#include "tests/support/vulkan_test_backend.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace latent;

namespace {

int32_t argmax(std::span<const float> values)
{
    return int32_t(std::max_element(values.begin(), values.end()) - values.begin());
}

// Greedy continuation of `count` tokens after logits of a prompt, one token per forward.
std::vector<int32_t> greedy(Session& session, std::vector<float> logits, size_t vocab, size_t count)
{
    std::vector<int32_t> tokens;
    for (size_t i = 0; i < count; ++i) {
        tokens.push_back(argmax(std::span(logits).last(vocab)));
        const int32_t one[] = {tokens.back()};
        session.evaluate(one, Model::Logits::Last, logits);
    }
    return tokens;
}

std::vector<int32_t> readIds(const QString& path)
{
    QFile file(path);
    std::vector<int32_t> ids;
    if (file.open(QIODevice::ReadOnly)) {
        for (const QString& item : QString::fromUtf8(file.readAll()).split(QRegularExpression("[\\s,]+"), Qt::SkipEmptyParts))
            ids.push_back(item.toInt());
    }
    return ids;
}

} // namespace

class VulkanModelTest : public QObject {
    Q_OBJECT

private slots:
    void matchesCpu_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("type");
        for (const char* preset : {"tiny", "tiny-coder"})
            for (const char* type : {"F32", "F16", "Q8_0", "Q4_0"})
                QTest::addRow("%s %s", preset, type) << preset << type;
    }

    // Logits at every position of a prompt, then 16 greedy tokens, on both backends.
    void matchesCpu()
    {
        QFETCH(QString, preset);
        QFETCH(QString, type);
        LATENT_REQUIRE_VULKAN(probe);
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.gguf").toStdString();
        writeTestModel({"llama", preset.toStdString(), *gguf::tensorTypeFromName(type.toStdString()), 5}, path);
        LoadedModel cpu = LoadedModel::open(path, {"cpu", 2});
        LoadedModel gpu = LoadedModel::open(path, {"vulkan", 1});
        const std::vector<int32_t> prompt = cpu.tokenizer->encode("def fibonacci(n):\n    return n if n < 2 else", {});
        const auto vocab = size_t(cpu.model->info().vocabularySize);

        Session cpuSession(*cpu.model, {128, 512}), gpuSession(*gpu.model, {128, 512});
        std::vector<float> expected, logits;
        cpuSession.evaluate(prompt, Model::Logits::All, expected);
        gpuSession.evaluate(prompt, Model::Logits::All, logits);
        const test::LogitErrors errors =
            test::logitErrors(logits, prompt.size(), vocab, [&](size_t p, size_t i) { return double(expected[p * vocab + i]); });
        qInfo("%s %s: relative error worst %.2e, median %.2e over %zu positions", qPrintable(preset), qPrintable(type),
              errors.worst(), errors.median(), prompt.size());
        QCOMPARE(errors.argmaxMismatches, 0);
        if (type == "F32")
            QVERIFY2(errors.worst() < 1e-3, qPrintable(QString("worst relative error %1").arg(errors.worst())));
        QCOMPARE(greedy(gpuSession, logits, vocab, 16), greedy(cpuSession, expected, vocab, 16));
    }

    void llamaFixtures_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"llama-coder-f32", "llama-coder-q8_0", "llama-gqa-f32", "llama-gqa-q4_0"})
            QTest::newRow(name) << name;
    }

    // As test_model_fixtures: per position max |ours - ref| / max |ref| under 1e-3 (F32, with the
    // same argmax everywhere) or 3e-2 (quantized); F32 files also continue greedily as llama.cpp.
    void llamaFixtures()
    {
        QFETCH(QString, name);
        LATENT_REQUIRE_SHARED("fixtures/" + name + ".gguf");
        LATENT_REQUIRE_VULKAN(probe);
        const QString base = test::sharedPath("fixtures/" + name);
        // Only fixtures all of whose tensors are phase-1 types (a Q4_0 file may keep a K-quant output).
        if (const std::string why = vulkan::unsupportedOnVulkan(gguf::GgufFile::open((base + ".gguf").toStdString()));
            !why.empty())
            QSKIP(why.c_str());
        LoadedModel loaded = LoadedModel::open((base + ".gguf").toStdString(), {"vulkan", 1});
        const std::vector<int32_t> tokens = readIds(base + ".tokens");
        QFile referenceFile(base + ".logits.f32");
        QVERIFY(referenceFile.open(QIODevice::ReadOnly));
        const QByteArray referenceBytes = referenceFile.readAll();
        const auto* reference = reinterpret_cast<const float*>(referenceBytes.constData());
        const auto vocab = size_t(loaded.model->info().vocabularySize);
        QCOMPARE(size_t(referenceBytes.size()), tokens.size() * vocab * sizeof(float));

        Session session(*loaded.model, {256, 512});
        std::vector<float> logits;
        session.evaluate(tokens, Model::Logits::All, logits);
        const bool f32 = name.endsWith("f32");
        const test::LogitErrors errors = test::logitErrors(
            logits, tokens.size(), vocab, [&](size_t p, size_t i) { return double(reference[p * vocab + i]); });
        qInfo("%s: relative error worst %.2e, median %.2e over %zu positions", qPrintable(name), errors.worst(),
              errors.median(), tokens.size());
        QVERIFY2(errors.worst() < (f32 ? 1e-3 : 3e-2), qPrintable(QString("worst relative error %1").arg(errors.worst())));
        if (!f32)
            return;
        QCOMPARE(errors.argmaxMismatches, 0);
        QFile text(base + ".txt");
        QVERIFY(text.open(QIODevice::ReadOnly));
        const auto match = QRegularExpression("greedy:([^\\n]*)").match(QString::fromUtf8(text.readAll()));
        QVERIFY(match.hasMatch());
        std::vector<int32_t> expected;
        for (const QString& item : match.captured(1).split(QRegularExpression("[\\s,]+"), Qt::SkipEmptyParts))
            expected.push_back(item.toInt());
        QCOMPARE(greedy(session, logits, vocab, expected.size()), expected);
    }

    void deepseek2IsRefusedAtLoad()
    {
        LATENT_REQUIRE_VULKAN(probe);
        QTemporaryDir dir;
        const std::string path = dir.filePath("ds.gguf").toStdString();
        writeTestModel({"deepseek2", "tiny-v2-lite", gguf::TensorType::F32, 1}, path);
        try {
            LoadedModel::open(path, {"vulkan", 1});
            QFAIL("expected an error at load");
        } catch (const Error& error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains("architecture 'deepseek2' is not supported on Vulkan yet (phase 1") &&
                         message.contains("use --backend cpu"),
                     qPrintable(message));
        }
        // auto runs it on the CPU and says why.
        LoadedModel loaded = LoadedModel::open(path, {"auto", 1});
        QVERIFY(QString::fromStdString(loaded.backend->name()).startsWith("cpu"));
        QVERIFY2(QString::fromStdString(loaded.backendReason).contains("deepseek2"), loaded.backendReason.c_str());
    }

    void autoUsesTheCpuOnACpuTypeDevice()
    {
        LATENT_REQUIRE_VULKAN(probe);
        if (probe->device().type != vulkan::DeviceType::Cpu)
            QSKIP("the chosen Vulkan device is a GPU, which auto uses");
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.gguf").toStdString();
        writeTestModel({"llama", "tiny", gguf::TensorType::Q8_0, 1}, path);
        LoadedModel loaded = LoadedModel::open(path, {"auto", 1});
        QVERIFY(QString::fromStdString(loaded.backend->name()).startsWith("cpu"));
        QVERIFY2(QString::fromStdString(loaded.backendReason).contains("CPU-type device"), loaded.backendReason.c_str());
    }
};

QTEST_GUILESS_MAIN(VulkanModelTest)
#include "test_vulkan_model.moc"
