// Every type the engine converts: the fixtures' quantized tensors dequantize to the values
// llama.cpp's gguf-py computes; each type's round trip loses no more than llama.cpp's own
// quantizers lose on the same data, and passes llama.cpp's quantization test; bad lengths are errors.

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/quant/quantize.h"
#include "tests/support/shared_data.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <functional>
#include <numbers>
#include <random>

using namespace latent;
using gguf::TensorType;

namespace {

// What each type may lose in a round trip: the relative RMS error (RMS of the error over RMS of
// the data) on N(0, 1) data and on llama.cpp's test data, at every length the round trip tries.
//
// F32 is exact. F16 and BF16 round each value to nearest, a relative error of at most 2^-11 and
// 2^-8, so their relative RMS error is below that. For the quantized types, llamaCpp(figure)
// takes what llama.cpp's reference quantizers (ggml-quants.c's quantize_row_*_ref; for IQ4_NL
// the searching quantize_iq4_nl that llama-quantize runs, as ours does) lose on exactly these
// rows, the worst over the lengths, measured with ggml-quants.c linked beside our quantizers
// (they wrote the same bytes as ours on every row), and adds 10%, which leaves room for another
// libm's last bits in the Gaussian data.
//
// llamaCppThreshold: llama.cpp's tests/test-quantize-fns.cpp requires sqrt(sum of squared
// errors) / n below MAX_QUANTIZATION_TOTAL_ERROR (0.002), _2BITS (0.0075) for Q2_K, _3BITS
// (0.004) for Q3_K, on 4096 values 0.1 + 2 cos(i).
struct TypeExpectation {
    TensorType type;
    double gaussianBound;
    double llamaCppDataBound;
    double llamaCppThreshold;
};

constexpr double llamaCpp(double measured)
{
    return measured * 1.1;
}

constexpr double kF16Rounding = 0x1p-11;
constexpr double kBf16Rounding = 0x1p-8;

constexpr TypeExpectation kExpectations[] = {
    {TensorType::F32, 0, 0, 0.002},
    {TensorType::F16, kF16Rounding, kF16Rounding, 0.002},
    {TensorType::BF16, kBf16Rounding, kBf16Rounding, 0.002},
    {TensorType::Q4_0, llamaCpp(0.090992), llamaCpp(0.050618), 0.002},
    {TensorType::Q4_1, llamaCpp(0.086872), llamaCpp(0.051625), 0.002},
    {TensorType::Q5_0, llamaCpp(0.045591), llamaCpp(0.026789), 0.002},
    {TensorType::Q5_1, llamaCpp(0.041372), llamaCpp(0.025109), 0.002},
    {TensorType::Q8_0, llamaCpp(0.005943), llamaCpp(0.003360), 0.002},
    {TensorType::IQ4_NL, llamaCpp(0.078005), llamaCpp(0.056118), 0.002},
    {TensorType::Q2_K, llamaCpp(0.302000), llamaCpp(0.210930), 0.0075},
    {TensorType::Q3_K, llamaCpp(0.164280), llamaCpp(0.113372), 0.004},
    {TensorType::Q4_K, llamaCpp(0.077502), llamaCpp(0.044326), 0.002},
    {TensorType::Q5_K, llamaCpp(0.039032), llamaCpp(0.023998), 0.002},
    {TensorType::Q6_K, llamaCpp(0.019503), llamaCpp(0.011841), 0.002},
    {TensorType::IQ4_XS, llamaCpp(0.078655), llamaCpp(0.056709), 0.002},
};

// Types whose stored values quantize back to the same bytes: the block's scale (and minimum)
// come from its extreme values, which the stored values keep exactly, and every value then lies
// on a level. Types that search for their scales may settle on another one.
constexpr TensorType kRequantizeToSameBytes[] = {TensorType::F32, TensorType::F16, TensorType::BF16,
                                                 TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0,
                                                 TensorType::Q5_1, TensorType::Q8_0};

// N(0, 1) by the Box-Muller transform of mt19937's output, which the standard fixes (unlike
// std::normal_distribution's), so that every standard library tests the same values.
std::vector<float> gaussian(size_t count, uint32_t seed)
{
    std::mt19937 random(seed);
    const auto uniform = [&] { return (double(random()) + 0.5) / 4294967296.0; }; // (0, 1)
    std::vector<float> values(count);
    for (size_t i = 0; i < count; i += 2) {
        const double radius = std::sqrt(-2 * std::log(uniform()));
        const double angle = 2 * std::numbers::pi * uniform();
        values[i] = float(radius * std::cos(angle));
        if (i + 1 < count)
            values[i + 1] = float(radius * std::sin(angle));
    }
    return values;
}

// llama.cpp's test data (test-quantize-fns.cpp, generate_data with offset 0).
std::vector<float> llamaCppData(size_t count)
{
    std::vector<float> values(count);
    for (size_t i = 0; i < count; ++i)
        values[i] = float(0.1 + 2.0f * std::cos(float(i)));
    return values;
}

double sumOfSquaredErrors(const std::vector<float>& expected, const std::vector<float>& actual)
{
    double sum = 0;
    for (size_t i = 0; i < expected.size(); ++i)
        sum += (double(actual[i]) - expected[i]) * (double(actual[i]) - expected[i]);
    return sum;
}

double relativeRmsError(const std::vector<float>& expected, const std::vector<float>& actual)
{
    double squares = 0;
    for (const float v : expected)
        squares += double(v) * v;
    return std::sqrt(sumOfSquaredErrors(expected, actual) / squares);
}

std::vector<float> quantizedAndBack(TensorType type, const std::vector<float>& values)
{
    return quant::dequantize(type, quant::quantize(type, values), values.size());
}

QString typeName(TensorType type)
{
    return QString::fromLatin1(gguf::tensorTypeName(type));
}

QString errorOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const Error& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

} // namespace

class QuantizationTest : public QObject {
    Q_OBJECT

private slots:
    // Every tensor of each fixture's .dequant.json (llama.cpp's gguf-py's values), from our dequantizer.
    void fixtures_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(test::sharedPath("fixtures"));
        const QStringList names = dir.entryList({"*.dequant.json"}, QDir::Files, QDir::Name);
        for (const QString& name : names)
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
        if (names.isEmpty())
            QTest::newRow("absent") << QString();
    }

    void fixtures()
    {
        QFETCH(QString, path);
        LATENT_REQUIRE_SHARED("fixtures");
        QFile jsonFile(path);
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        const auto expected = nlohmann::json::parse(jsonFile.readAll().toStdString());
        const QString modelPath = QString(path).replace(".dequant.json", ".gguf");
        const gguf::GgufFile file = gguf::GgufFile::open(modelPath.toStdString());

        size_t quantizedTensors = 0;
        for (const gguf::TensorInfo& tensor : file.tensors())
            quantizedTensors += tensor.type != TensorType::F32;
        QCOMPARE(expected.size(), quantizedTensors);

        for (const auto& entry : expected) {
            const std::string name = entry.at("name");
            const gguf::TensorInfo* tensor = file.findTensor(name);
            QVERIFY2(tensor, name.c_str());
            QCOMPARE(std::string(gguf::tensorTypeName(tensor->type)), entry.at("type").get<std::string>());
            QCOMPARE(tensor->shape, entry.at("shape").get<std::vector<uint64_t>>());

            const std::vector<float> values = quant::dequantize(tensor->type, file.tensorData(*tensor), tensor->elementCount);
            double sum = 0, sumOfSquares = 0;
            for (const float v : values) {
                sum += v;
                sumOfSquares += double(v) * v;
            }
            const double expectedSum = entry.at("sum");
            const double expectedSumOfSquares = entry.at("sumsq");
            QVERIFY2(std::fabs(sum - expectedSum) <= 1e-6 * std::fabs(expectedSum),
                     qPrintable(QStringLiteral("%1: sum %2, gguf-py %3").arg(name.c_str()).arg(sum, 0, 'g', 17).arg(expectedSum, 0, 'g', 17)));
            QVERIFY2(std::fabs(sumOfSquares - expectedSumOfSquares) <= 1e-6 * expectedSumOfSquares,
                     qPrintable(QStringLiteral("%1: sum of squares %2, gguf-py %3")
                                    .arg(name.c_str()).arg(sumOfSquares, 0, 'g', 17).arg(expectedSumOfSquares, 0, 'g', 17)));
            const std::vector<double> first = entry.at("first64");
            for (size_t i = 0; i < first.size(); ++i) {
                QVERIFY2(std::fabs(values[i] - first[i]) <= 1e-6,
                         qPrintable(QStringLiteral("%1[%2]: %3, gguf-py %4").arg(name.c_str()).arg(i).arg(values[i]).arg(first[i])));
            }
        }
    }

    void roundTrip_data()
    {
        QTest::addColumn<TensorType>("type");
        QTest::addColumn<bool>("gaussianData");
        QTest::addColumn<int>("length");
        QTest::addColumn<double>("bound");
        for (const TypeExpectation& expectation : kExpectations) {
            const uint32_t block = gguf::tensorTypeTraits(expectation.type).blockValues;
            for (const int length : {32 * 7, 256, 4096, 4096 + 256 * 3}) {
                if (length % block != 0)
                    continue;
                for (const bool gaussianData : {true, false}) {
                    QTest::addRow("%s %s %d", qPrintable(typeName(expectation.type)), gaussianData ? "gaussian" : "llama.cpp",
                                  length)
                        << expectation.type << gaussianData << length
                        << (gaussianData ? expectation.gaussianBound : expectation.llamaCppDataBound);
                }
            }
        }
    }

    void roundTrip()
    {
        QFETCH(TensorType, type);
        QFETCH(bool, gaussianData);
        QFETCH(int, length);
        QFETCH(double, bound);
        const std::vector<float> values = gaussianData ? gaussian(size_t(length), 1) : llamaCppData(size_t(length));
        const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
        const std::vector<uint8_t> stored = quant::quantize(type, values);
        QCOMPARE(stored.size(), size_t(length) / traits.blockValues * traits.blockBytes);

        const std::vector<float> restored = quant::dequantize(type, stored, values.size());
        const double error = relativeRmsError(values, restored);
        qInfo("%-6s %-9s %4d values: relative RMS error %.6f (bound %.6f)", qPrintable(typeName(type)),
              gaussianData ? "gaussian" : "llama.cpp", length, error, bound);
        QVERIFY2(error <= bound, qPrintable(QStringLiteral("relative RMS error %1 > %2").arg(error).arg(bound)));

        // dequantizeInto writes the same values, and nothing past its span.
        std::vector<float> into(values.size() + 1, 12345.0f);
        quant::dequantizeInto(type, stored, std::span(into).first(values.size()));
        QVERIFY(std::equal(restored.begin(), restored.end(), into.begin()));
        QCOMPARE(into.back(), 12345.0f);
    }

    // llama.cpp's quantization test (test-quantize-fns.cpp), its measure on its data.
    void llamaCppThreshold_data()
    {
        QTest::addColumn<TensorType>("type");
        QTest::addColumn<double>("threshold");
        for (const TypeExpectation& expectation : kExpectations)
            QTest::newRow(qPrintable(typeName(expectation.type))) << expectation.type << expectation.llamaCppThreshold;
    }

    void llamaCppThreshold()
    {
        QFETCH(TensorType, type);
        QFETCH(double, threshold);
        const std::vector<float> values = llamaCppData(4096);
        const double error = std::sqrt(sumOfSquaredErrors(values, quantizedAndBack(type, values))) / double(values.size());
        qInfo("%-6s llama.cpp's total quantization error %.6f (threshold %.4f)", qPrintable(typeName(type)), error,
              threshold);
        QVERIFY(error < threshold);
    }

    void requantizesToSameBytes_data()
    {
        QTest::addColumn<TensorType>("type");
        for (const TensorType type : kRequantizeToSameBytes)
            QTest::newRow(qPrintable(typeName(type))) << type;
    }

    void requantizesToSameBytes()
    {
        QFETCH(TensorType, type);
        for (const std::vector<float>& values : {gaussian(4096, 2), llamaCppData(4096)}) {
            const std::vector<uint8_t> stored = quant::quantize(type, values);
            QVERIFY(quant::quantize(type, quant::dequantize(type, stored, values.size())) == stored);
        }
    }

    void everyTypeConverts()
    {
        for (const TypeExpectation& expectation : kExpectations)
            QVERIFY2(quant::canQuantize(expectation.type), qPrintable(typeName(expectation.type)));
        QVERIFY(!quant::canQuantize(TensorType::IQ2_XXS));
        QVERIFY(errorOf([] { quant::quantize(TensorType::IQ2_XXS, std::vector<float>(256)); }).contains("IQ2_XXS"));
    }

    // A length that is not a whole number of blocks, or bytes that do not hold the values asked
    // for, are errors that name the type and the counts.
    void badLengths()
    {
        for (const TypeExpectation& expectation : kExpectations) {
            const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(expectation.type);
            if (traits.blockValues == 1)
                continue;
            const QString name = typeName(expectation.type);
            const size_t length = traits.blockValues + 1;
            const QString quantizeError = errorOf([&] { quant::quantize(expectation.type, std::vector<float>(length)); });
            QVERIFY2(quantizeError.contains(name) && quantizeError.contains(QString::number(length)) &&
                         quantizeError.contains(QString::number(traits.blockValues)),
                     qPrintable(name + ": " + quantizeError));

            const std::vector<uint8_t> oneBlock(traits.blockBytes);
            const QString countError = errorOf([&] { quant::dequantize(expectation.type, oneBlock, length); });
            QVERIFY2(countError.contains(name) && countError.contains(QString::number(length)),
                     qPrintable(name + ": " + countError));
            const QString bytesError = errorOf([&] { quant::dequantize(expectation.type, oneBlock, 2 * traits.blockValues); });
            QVERIFY2(bytesError.contains(name) && bytesError.contains(QString::number(traits.blockBytes)),
                     qPrintable(name + ": " + bytesError));
        }
    }
};

QTEST_GUILESS_MAIN(QuantizationTest)
#include "test_quantization.moc"
