// The model quantizer (`latent-cli quantize`): llama.cpp's per-tensor types for every mix, checked
// against files llama.cpp's llama-quantize wrote from the shared F32 fixtures (and byte for byte
// where this build has the quantizers); every mix on generated llama and deepseek2 models, with
// the written file's metadata, types and values; the writer's tensor sources; and the errors,
// which leave no file behind.

#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/model/test_model.h"
#include "engine/quant/model_quantizer.h"
#include "engine/quant/quant_mix.h"
#include "engine/quant/quantize.h"
#include "tests/support/error_of.h"
#include "tests/support/shared_data.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>

using namespace latent;
using latent::gguf::GgufFile;
using latent::gguf::TensorInfo;
using latent::gguf::TensorType;
using latent::quant::QuantMix;
using latent::test::errorOf;

Q_DECLARE_METATYPE(latent::quant::QuantMix)

namespace {

std::filesystem::path pathOf(const QString& path)
{
    return std::filesystem::path(path.toStdString());
}

// The type each tensor of a file is written in, by name.
std::map<std::string, TensorType> typesByName(const GgufFile& file, const std::vector<quant::TensorTypeChoice>& choices)
{
    std::map<std::string, TensorType> types;
    for (size_t t = 0; t < choices.size(); ++t)
        types[file.tensors()[t].name] = choices[t].type;
    return types;
}

std::map<std::string, TensorType> typesByName(const GgufFile& file)
{
    std::map<std::string, TensorType> types;
    for (const TensorInfo& tensor : file.tensors())
        types[tensor.name] = tensor.type;
    return types;
}

std::vector<float> valuesOf(const GgufFile& file, const TensorInfo& tensor)
{
    return quant::dequantize(tensor.type, file.tensorData(tensor), tensor.elementCount);
}

// sqrt(sum (b - a)^2 / sum a^2)
double relativeError(const std::vector<float>& a, const std::vector<float>& b)
{
    double difference = 0, magnitude = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        difference += (double(b[i]) - a[i]) * (double(b[i]) - a[i]);
        magnitude += double(a[i]) * a[i];
    }
    return magnitude > 0 ? std::sqrt(difference / magnitude) : std::sqrt(difference);
}

// The largest relative RMS error a type may add to the Gaussian weights of these models: about
// 1.3x the largest measured over every mix and model (each bit fewer doubles it).
double allowedError(TensorType type)
{
    switch (type) {
    case TensorType::F32: return 0;
    case TensorType::F16: return 3e-4;
    case TensorType::BF16: return 2.5e-3;
    case TensorType::Q8_0: return 0.0075;
    case TensorType::Q6_K: return 0.025;
    case TensorType::Q5_0:
    case TensorType::Q5_1:
    case TensorType::Q5_K: return 0.056;
    case TensorType::Q4_0:
    case TensorType::Q4_1:
    case TensorType::Q4_K:
    case TensorType::IQ4_NL:
    case TensorType::IQ4_XS: return 0.115;
    case TensorType::Q3_K: return 0.2;
    case TensorType::Q2_K: return 0.39;
    default: throw std::logic_error("no expected error for this type");
    }
}

// A model file of a few [256, 2] tensors and the hyper-parameters the rules read: enough for the
// rules and checks that the generated models do not reach.
struct SketchModel {
    std::string architecture = "llama";
    uint32_t blocks = 1;
    uint32_t heads = 1;
    uint32_t keyValueHeads = 1;
    std::vector<std::string> tensors{"blk.0.attn_q.weight"};
    TensorType type = TensorType::F32;
};

void writeSketchModel(const std::filesystem::path& path, const SketchModel& model)
{
    gguf::GgufWriter writer;
    const std::string& arch = model.architecture;
    writer.metadata().set("general.architecture", arch);
    writer.metadata().set(arch + ".block_count", model.blocks);
    writer.metadata().set(arch + ".attention.head_count", model.heads);
    writer.metadata().set(arch + ".attention.head_count_kv", model.keyValueHeads);
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(model.type);
    const std::vector<uint8_t> bytes(2 * 256 / traits.blockValues * traits.blockBytes, 0);
    for (const std::string& name : model.tensors)
        writer.addTensor(name, model.type, {256, 2}, bytes);
    writer.write(path);
}

} // namespace

class ModelQuantizerTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString path(const QString& name) const { return dir_.filePath(name); }
    QString generated(const char* architecture, const char* preset, TensorType type = TensorType::F32) const
    {
        return path(QStringLiteral("%1-%2-%3.gguf").arg(architecture, preset, gguf::tensorTypeName(type).data()));
    }

    // The files quantized in every mix: generated llama (rows of 256 and a 704-wide ffn_down) and
    // deepseek2 models (rows of 64, 8 experts), then the shared F32 fixtures (rows of 256).
    void addEveryInput(const std::function<void(const QString& label, const QString& file)>& add) const
    {
        add("llama-small", generated("llama", "small"));
        add("v2-lite", generated("deepseek2", "tiny-v2-lite"));
        add("v2-lite-legacy", generated("deepseek2", "tiny-v2-lite-legacy"));
        add("v3", generated("deepseek2", "tiny-v3"));
        add("fixture-v2-lite", latent::test::sharedPath("fixtures/ds-v2lite-f32.gguf"));
        add("fixture-v3", latent::test::sharedPath("fixtures/ds-v3-f32.gguf"));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        writeTestModel({"llama", "small", TensorType::F32, 1}, pathOf(generated("llama", "small")));
        writeTestModel({"llama", "small", TensorType::F16, 1}, pathOf(generated("llama", "small", TensorType::F16)));
        writeTestModel({"llama", "small", TensorType::Q8_0, 1}, pathOf(generated("llama", "small", TensorType::Q8_0)));
        for (const char* preset : {"tiny-v2-lite", "tiny-v2-lite-legacy", "tiny-v3"})
            writeTestModel({"deepseek2", preset, TensorType::F32, 1}, pathOf(generated("deepseek2", preset)));
    }

    void mixNames()
    {
        for (const quant::QuantMixInfo& info : quant::quantMixes()) {
            QCOMPARE(quant::quantMixFromName(info.name), std::optional(info.mix));
            QCOMPARE(&quant::quantMixInfo(info.mix), &info);
            QVERIFY(QString::fromStdString(quant::quantMixNames()).contains(QString::fromUtf8(info.name.data())));
        }
        QCOMPARE(quant::quantMixFromName("q4_k_m"), std::optional(QuantMix::Q4_K_M));
        QCOMPARE(quant::quantMixFromName("Q4_K"), std::optional(QuantMix::Q4_K_M)); // llama-quantize's aliases
        QCOMPARE(quant::quantMixFromName("Q3_K"), std::optional(QuantMix::Q3_K_M));
        QCOMPARE(quant::quantMixFromName("Q5_K"), std::optional(QuantMix::Q5_K_M));
        QCOMPARE(quant::quantMixFromName("Q4_K_X"), std::nullopt);
        QCOMPARE(quant::quantMixFromName(""), std::nullopt);
        // llama.cpp's file-type codes
        QCOMPARE(uint32_t(QuantMix::Q4_K_M), 15u);
        QCOMPARE(uint32_t(QuantMix::IQ4_XS), 30u);
        QCOMPARE(uint32_t(QuantMix::BF16), 32u);
    }

    // llama-quantize wrote the quantized fixtures from the F32 ones: the rules must choose the
    // type it chose for every tensor, and with this build's quantizers the whole file is its bytes.
    void sameAsLlamaCpp_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QuantMix>("mix");
        const auto add = [](const char* input, const char* reference, QuantMix mix) {
            QTest::newRow(reference) << QString(input) << QString(reference) << mix;
        };
        add("ds-v2lite-f32", "ds-v2lite-q4_k_m", QuantMix::Q4_K_M);
        add("ds-v2lite-f32", "ds-v2lite-q8_0", QuantMix::Q8_0);
        add("ds-v3-f32", "ds-v3-q5_k_m", QuantMix::Q5_K_M);
        add("ds-v3-f32", "ds-v3-q4_0", QuantMix::Q4_0);
        add("ds-v3-f32", "ds-v3-q8_0", QuantMix::Q8_0);
        add("llama-coder-f32", "llama-coder-q4_k_m", QuantMix::Q4_K_M);
        add("llama-coder-f32", "llama-coder-q8_0", QuantMix::Q8_0);
        add("llama-gqa-f32", "llama-gqa-q4_0", QuantMix::Q4_0);
        add("llama-gqa-f32", "llama-gqa-q6_k", QuantMix::Q6_K);
    }

    void sameAsLlamaCpp()
    {
        QFETCH(QString, input);
        QFETCH(QString, reference);
        QFETCH(QuantMix, mix);
        LATENT_REQUIRE_SHARED("fixtures/" + input + ".gguf");
        const QString inputPath = latent::test::sharedPath("fixtures/" + input + ".gguf");
        const QString referencePath = latent::test::sharedPath("fixtures/" + reference + ".gguf");
        const GgufFile source = GgufFile::open(pathOf(inputPath));
        const GgufFile expected = GgufFile::open(pathOf(referencePath));

        const std::vector<quant::TensorTypeChoice> choices = quant::chooseTensorTypes(source, mix);
        QCOMPARE(typesByName(source, choices), typesByName(expected));

        const QString output = path(reference + ".gguf");
        quant::quantizeModel(pathOf(inputPath), pathOf(output), {mix});
        QFile ours(output), theirs(referencePath);
        QVERIFY(ours.open(QIODevice::ReadOnly) && theirs.open(QIODevice::ReadOnly));
        QVERIFY2(ours.readAll() == theirs.readAll(), "the quantized file differs from llama-quantize's");
    }

    // A few of the rules spelled out, on the generated models.
    void rules()
    {
        using quant::chooseTensorTypes;
        const GgufFile llama = GgufFile::open(pathOf(generated("llama", "small")));
        std::map<std::string, TensorType> types = typesByName(llama, chooseTensorTypes(llama, QuantMix::Q4_K_M));
        QCOMPARE(types["output.weight"], TensorType::Q6_K);
        QCOMPARE(types["token_embd.weight"], TensorType::Q4_K);
        QCOMPARE(types["output_norm.weight"], TensorType::F32);
        QCOMPARE(types["blk.0.attn_norm.weight"], TensorType::F32);
        // attn_v: 4 of them, the last two in the "more bits" places (the last eighth, every third)
        QCOMPARE(types["blk.0.attn_v.weight"], TensorType::Q4_K);
        QCOMPARE(types["blk.1.attn_v.weight"], TensorType::Q4_K);
        QCOMPARE(types["blk.2.attn_v.weight"], TensorType::Q6_K);
        QCOMPARE(types["blk.3.attn_v.weight"], TensorType::Q6_K);
        // ffn_down rows of 704: Q4_K falls back to Q5_0, Q6_K (blocks 2 and 3) to Q8_0
        QCOMPARE(types["blk.0.ffn_down.weight"], TensorType::Q5_0);
        QCOMPARE(types["blk.1.ffn_down.weight"], TensorType::Q5_0);
        QCOMPARE(types["blk.2.ffn_down.weight"], TensorType::Q8_0);
        QCOMPARE(types["blk.3.ffn_down.weight"], TensorType::Q8_0);
        QCOMPARE(types["blk.0.ffn_up.weight"], TensorType::Q4_K);
        const std::vector<quant::TensorTypeChoice> q4km = chooseTensorTypes(llama, QuantMix::Q4_K_M);
        for (size_t t = 0; t < q4km.size(); ++t) {
            if (llama.tensors()[t].name == "blk.0.ffn_down.weight")
                QCOMPARE(q4km[t].fallbackFrom, std::optional(TensorType::Q4_K));
            if (llama.tensors()[t].name == "blk.0.ffn_up.weight")
                QCOMPARE(q4km[t].fallbackFrom, std::nullopt);
        }

        types = typesByName(llama, chooseTensorTypes(llama, QuantMix::Q2_K));
        QCOMPARE(types["blk.0.attn_v.weight"], TensorType::Q3_K); // 8 heads, 8 key/value heads
        QCOMPARE(types["blk.0.attn_output.weight"], TensorType::Q3_K);
        QCOMPARE(types["blk.0.ffn_down.weight"], TensorType::Q4_0); // Q3_K's fallback
        QCOMPARE(types["blk.0.attn_q.weight"], TensorType::Q2_K);

        types = typesByName(llama, chooseTensorTypes(llama, QuantMix::Q3_K_M));
        QCOMPARE(types["blk.1.attn_v.weight"], TensorType::Q5_K); // the first two
        QCOMPARE(types["blk.2.attn_v.weight"], TensorType::Q4_K);
        QCOMPARE(types["blk.0.attn_output.weight"], TensorType::Q4_K);

        types = typesByName(llama, chooseTensorTypes(llama, QuantMix::Q4_0));
        QCOMPARE(types["output.weight"], TensorType::Q6_K);
        QCOMPARE(types["blk.3.attn_v.weight"], TensorType::Q4_0);

        types = typesByName(llama, chooseTensorTypes(llama, QuantMix::Q4_K_M, /*pure=*/true));
        QCOMPARE(types["output.weight"], TensorType::Q4_K);
        QCOMPARE(types["blk.3.attn_v.weight"], TensorType::Q4_K);
        QCOMPARE(types["blk.3.ffn_down.weight"], TensorType::Q5_0);
        QCOMPARE(types["output_norm.weight"], TensorType::F32);

        types = typesByName(llama, chooseTensorTypes(llama, QuantMix::F16));
        QCOMPARE(types["output.weight"], TensorType::F16);
        QCOMPARE(types["blk.0.ffn_down.weight"], TensorType::F16);
        QCOMPARE(types["blk.0.ffn_norm.weight"], TensorType::F32);

        // deepseek2 in small: rows of 64, 8 experts (Mixtral's count, which some rules single out)
        const GgufFile v3 = GgufFile::open(pathOf(generated("deepseek2", "tiny-v3")));
        types = typesByName(v3, chooseTensorTypes(v3, QuantMix::Q4_K_M));
        QCOMPARE(types["output.weight"], TensorType::Q8_0); // rows of 64 are not in 256-blocks
        QCOMPARE(types["blk.1.ffn_gate_inp.weight"], TensorType::F32);
        QCOMPARE(types["blk.1.exp_probs_b.bias"], TensorType::F32);
        QCOMPARE(types["blk.0.attn_kv_a_norm.weight"], TensorType::F32);
        QCOMPARE(types["blk.0.attn_output.weight"], TensorType::Q5_1); // Q5_K for 8 experts, falling back
        QCOMPARE(types["blk.0.attn_k_b.weight"], TensorType::Q5_0);
        QCOMPARE(types["blk.0.attn_q_b.weight"], TensorType::Q5_0);
        QCOMPARE(types["blk.1.ffn_gate_exps.weight"], TensorType::Q5_0);
        QCOMPARE(types["blk.2.ffn_down_exps.weight"], TensorType::Q8_0); // Q6_K in the last block

        const GgufFile legacy = GgufFile::open(pathOf(generated("deepseek2", "tiny-v2-lite-legacy")));
        types = typesByName(legacy, chooseTensorTypes(legacy, QuantMix::Q4_K_M));
        QCOMPARE(types["blk.0.attn_kv_b.weight"], TensorType::Q8_0); // attention values, 8 experts
        types = typesByName(legacy, chooseTensorTypes(legacy, QuantMix::IQ4_XS));
        QCOMPARE(types["blk.1.ffn_up_exps.weight"], TensorType::IQ4_NL);

        // Without output.weight, token_embd.weight is the output head too, and gets its type.
        writeSketchModel(pathOf(path("tied.gguf")), {.tensors = {"token_embd.weight", "blk.0.attn_q.weight"}});
        const GgufFile tied = GgufFile::open(pathOf(path("tied.gguf")));
        types = typesByName(tied, chooseTensorTypes(tied, QuantMix::Q4_K_M));
        QCOMPARE(types["token_embd.weight"], TensorType::Q6_K);
        QCOMPARE(types["blk.0.attn_q.weight"], TensorType::Q4_K);

        // Grouped queries give Q2_K's attn_v Q4_K, and a llama of 80 blocks (70B) Q5_K.
        for (const uint32_t blocks : {79u, 80u}) {
            const QString file = path(QStringLiteral("gqa-%1.gguf").arg(blocks));
            writeSketchModel(pathOf(file), {.blocks = blocks, .heads = 64, .keyValueHeads = 8,
                                            .tensors = {"blk.0.attn_v.weight"}});
            const GgufFile gqa = GgufFile::open(pathOf(file));
            QCOMPARE(chooseTensorTypes(gqa, QuantMix::Q2_K)[0].type, blocks == 80 ? TensorType::Q5_K : TensorType::Q4_K);
        }
    }

    void everyMix_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QuantMix>("mix");
        addEveryInput([](const QString& label, const QString& file) {
            for (const quant::QuantMixInfo& info : quant::quantMixes())
                QTest::newRow(qPrintable(label + " " + QString::fromUtf8(info.name.data()))) << file << info.mix;
        });
    }

    // The written file reopens with every key of the input (general.file_type set to the mix),
    // every tensor in the type the rules choose, its values within that type's error.
    void everyMix()
    {
        QFETCH(QString, input);
        QFETCH(QuantMix, mix);
        if (input.startsWith(latent::test::sharedDir()))
            LATENT_REQUIRE_SHARED("fixtures/" + QFileInfo(input).fileName());
        const GgufFile source = GgufFile::open(pathOf(input));
        const std::vector<quant::TensorTypeChoice> choices = quant::chooseTensorTypes(source, mix);

        const QString output = path("every-mix.gguf");
        const quant::QuantizeSummary summary = quant::quantizeModel(pathOf(input), pathOf(output), {mix});
        const GgufFile written = GgufFile::open(pathOf(output));
        QCOMPARE(summary.tensorCount, source.tensors().size());
        QCOMPARE(summary.parameterCount, source.parameterCount());

        for (const auto& [key, value] : source.metadata().entries()) {
            QVERIFY2(written.metadata().contains(key), key.c_str());
            if (key != "general.file_type")
                QVERIFY2(*written.metadata().find(key) == value, key.c_str());
        }
        QCOMPARE(written.metadata().get<uint32_t>("general.file_type"), uint32_t(mix));
        QCOMPARE(written.metadata().get<uint32_t>("general.quantization_version"), 2u);

        QCOMPARE(written.tensors().size(), source.tensors().size());
        uint64_t bytesAfter = 0;
        for (size_t t = 0; t < choices.size(); ++t) {
            const TensorInfo& before = source.tensors()[t];
            const TensorInfo* after = written.findTensor(before.name);
            QVERIFY2(after, before.name.c_str());
            QCOMPARE(after->type, choices[t].type);
            QCOMPARE(after->shape, before.shape);
            const double error = relativeError(valuesOf(source, before), valuesOf(written, *after));
            QVERIFY2(error <= allowedError(after->type),
                     qPrintable(QStringLiteral("%1 in %2: relative error %3")
                                    .arg(before.name.c_str(), gguf::tensorTypeName(after->type).data())
                                    .arg(error)));
            bytesAfter += after->byteSize;
        }
        QCOMPARE(summary.bytesAfter, bytesAfter);
        QVERIFY(!QFile::exists(output + ".partial"));
    }

    // A tensor already in its type is copied as it is; a quantized input is converted again.
    void alreadyQuantizedInput()
    {
        const QString f16 = generated("llama", "small", TensorType::F16);
        quant::quantizeModel(pathOf(f16), pathOf(path("f16-again.gguf")), {QuantMix::F16});
        const GgufFile source = GgufFile::open(pathOf(f16));
        const GgufFile written = GgufFile::open(pathOf(path("f16-again.gguf")));
        for (const TensorInfo& tensor : source.tensors()) {
            const TensorInfo& copy = *written.findTensor(tensor.name);
            QCOMPARE(copy.type, tensor.type);
            const std::span<const uint8_t> a = source.tensorData(tensor), b = written.tensorData(copy);
            QVERIFY2(std::equal(a.begin(), a.end(), b.begin(), b.end()), tensor.name.c_str());
        }

        const QString q8 = generated("llama", "small", TensorType::Q8_0);
        quant::quantizeModel(pathOf(q8), pathOf(path("q8-to-q4.gguf")), {QuantMix::Q4_0});
        const GgufFile fromQ8 = GgufFile::open(pathOf(q8));
        const GgufFile toQ4 = GgufFile::open(pathOf(path("q8-to-q4.gguf")));
        const TensorInfo& q = *toQ4.findTensor("blk.0.attn_q.weight");
        QCOMPARE(q.type, TensorType::Q4_0);
        QVERIFY(relativeError(valuesOf(fromQ8, *fromQ8.findTensor(q.name)), valuesOf(toQ4, q)) <
                allowedError(TensorType::Q4_0));
    }

    void progress()
    {
        std::vector<std::string> names;
        size_t reportedCount = 0;
        quant::quantizeModel(pathOf(generated("llama", "small")), pathOf(path("progress.gguf")), {QuantMix::Q8_0},
                             [&](size_t index, size_t count, const quant::TensorConversion& conversion) {
                                 QCOMPARE(index, names.size());
                                 names.push_back(conversion.tensor->name);
                                 reportedCount = count;
                             });
        const GgufFile written = GgufFile::open(pathOf(path("progress.gguf")));
        QCOMPARE(reportedCount, written.tensors().size());
        QCOMPARE(names.size(), written.tensors().size());
        for (size_t t = 0; t < names.size(); ++t)
            QCOMPARE(names[t], written.tensors()[t].name); // reported in the order written
        QCOMPARE(names.front(), std::string("output.weight")); // outside the blocks first, by name
    }

    void errorsLeaveNoFile()
    {
        const QString input = generated("llama", "small");
        const auto noOutput = [&](const QString& output) {
            return !QFile::exists(output) && !QFile::exists(output + ".partial");
        };

        const QByteArray before = [&] {
            QFile file(input);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        }();
        QVERIFY(errorOf([&] { quant::quantizeModel(pathOf(input), pathOf(input), {QuantMix::Q8_0}); })
                    .contains("would overwrite the input"));
        const QString link = path("link-to-input.gguf");
        QVERIFY(QFile::link(input, link));
        QVERIFY(errorOf([&] { quant::quantizeModel(pathOf(input), pathOf(link), {QuantMix::Q8_0}); })
                    .contains("would overwrite the input"));
        QFile unchanged(input);
        QVERIFY(unchanged.open(QIODevice::ReadOnly));
        QVERIFY(unchanged.readAll() == before);
        QVERIFY(!QFile::exists(input + ".partial"));

        const QString output = path("never.gguf");
        const QString missing = path("missing.gguf");
        QVERIFY(errorOf([&] { quant::quantizeModel(pathOf(missing), pathOf(output), {QuantMix::Q8_0}); })
                    .contains("missing.gguf"));
        QVERIFY(noOutput(output));

        const QString qwen = path("qwen2.gguf");
        writeSketchModel(pathOf(qwen), {.architecture = "qwen2"});
        QVERIFY(errorOf([&] { quant::quantizeModel(pathOf(qwen), pathOf(output), {QuantMix::Q8_0}); })
                    .contains("'qwen2'"));
        QVERIFY(noOutput(output));

        // A type nothing here reads back: converting it is refused before anything is written.
        const QString unreadable = path("iq2.gguf");
        writeSketchModel(pathOf(unreadable), {.type = TensorType::IQ2_XXS});
        const QString message =
            errorOf([&] { quant::quantizeModel(pathOf(unreadable), pathOf(output), {QuantMix::Q4_0}); });
        QVERIFY2(message.contains("blk.0.attn_q.weight") && message.contains("IQ2_XXS"), qPrintable(message));
        QVERIFY(noOutput(output));

        const QString noFolder = path("no-such-folder/out.gguf");
        QVERIFY(!errorOf([&] { quant::quantizeModel(pathOf(input), pathOf(noFolder), {QuantMix::Q8_0}); }).isEmpty());
        QVERIFY(noOutput(noFolder));
    }

    // The writer side of streaming: bytes made while the file is written, in pieces, checked.
    void writerTensorSources()
    {
        const std::vector<uint8_t> bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        gguf::GgufWriter writer;
        writer.addTensor("from.span", TensorType::F32, {3}, bytes);
        writer.addTensor("in.pieces", TensorType::F32, {3}, [&](const gguf::GgufWriter::TensorBytesSink& sink) {
            sink(std::span(bytes).first(5));
            sink(std::span(bytes).subspan(5));
        });
        std::ostringstream out;
        writer.writeTo(out);
        const std::string file = out.str();
        const GgufFile read = GgufFile::parse({reinterpret_cast<const uint8_t*>(file.data()), file.size()}, "sources");
        for (const char* name : {"from.span", "in.pieces"}) {
            const std::span<const uint8_t> data = read.tensorData(*read.findTensor(name));
            QVERIFY(std::equal(data.begin(), data.end(), bytes.begin(), bytes.end()));
        }

        gguf::GgufWriter shortSource;
        shortSource.addTensor("short", TensorType::F32, {3}, [&](const gguf::GgufWriter::TensorBytesSink& sink) {
            sink(std::span(bytes).first(8));
        });
        QVERIFY(errorOf([&] { std::ostringstream ignored; shortSource.writeTo(ignored); }).contains("8 of the 12"));
        gguf::GgufWriter longSource;
        longSource.addTensor("long", TensorType::F32, {2}, [&](const gguf::GgufWriter::TensorBytesSink& sink) {
            sink(bytes);
        });
        QVERIFY(errorOf([&] { std::ostringstream ignored; longSource.writeTo(ignored); }).contains("more than"));

        // Whatever a source throws, the partial file is removed.
        gguf::GgufWriter failing;
        failing.addTensor("fails", TensorType::F32, {3},
                          [](const gguf::GgufWriter::TensorBytesSink&) { throw std::runtime_error("no memory"); });
        const QString output = path("failing.gguf");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, failing.write(pathOf(output)));
        QVERIFY(!QFile::exists(output) && !QFile::exists(output + ".partial"));
    }
};

QTEST_GUILESS_MAIN(ModelQuantizerTest)
#include "test_model_quantizer.moc"
