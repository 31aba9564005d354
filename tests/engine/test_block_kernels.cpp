// The integer kernels of every block type beyond Q4_0 and Q8_0, in every kernel table this
// processor runs (portable, AVX2, AVX-512): random blocks (never zeros) against the same math
// done in double on the dequantized weights and activations, at several block counts (rows of
// 32-value blocks that are not multiples of 256, super-block rows of 1, 2, 3 and 7).

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/quantized_activations.h"
#include "engine/core/aligned_buffer.h"
#include "engine/core/half.h"
#include "engine/quant/quantize.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace latent;
using namespace latent::cpu;
using gguf::TensorType;

namespace {

// Random bytes for every field, then the fp16 scale fields set to small positive or negative
// values: every bit pattern of the quants is exercised, and no scale is NaN or infinite.
std::vector<uint8_t> randomBlocks(TensorType type, size_t blocks, std::mt19937& random)
{
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
    std::vector<uint8_t> bytes(blocks * traits.blockBytes);
    for (uint8_t& b : bytes)
        b = uint8_t(random());
    std::uniform_real_distribution<float> scale(0.001f, 0.02f);
    const auto setHalf = [&](size_t block, size_t offset, bool positive) {
        const float value = scale(random) * (positive || random() % 2 ? 1.0f : -1.0f);
        const uint16_t h = floatToHalf(value);
        std::memcpy(bytes.data() + block * traits.blockBytes + offset, &h, 2);
    };
    for (size_t b = 0; b < blocks; ++b) {
        switch (type) {
        case TensorType::Q4_1:
        case TensorType::Q5_1: setHalf(b, 0, false), setHalf(b, 2, false); break;
        case TensorType::Q5_0:
        case TensorType::IQ4_NL:
        case TensorType::IQ4_XS: setHalf(b, 0, false); break;
        case TensorType::Q2_K: setHalf(b, 80, true), setHalf(b, 82, true); break;
        case TensorType::Q3_K: setHalf(b, 108, false); break;
        case TensorType::Q4_K:
        case TensorType::Q5_K: setHalf(b, 0, true), setHalf(b, 2, true); break;
        case TensorType::Q6_K: setHalf(b, 208, false); break;
        default: break;
        }
    }
    return bytes;
}

struct Activations {
    AlignedBuffer<int8_t> quants;
    AlignedBuffer<float> scales;
    AlignedBuffer<float> blockSums;
    AlignedBuffer<int16_t> groupSums;
    std::vector<double> values; // the quants times their scales
    ActivationRow row;
};

void quantize(const DotKernels& kernels, TensorType type, const std::vector<float>& x, Activations& a)
{
    const size_t n = x.size();
    a.quants.resize(n);
    a.scales.resize(n / 32);
    a.blockSums.resize(n / 32);
    a.groupSums.resize(n / 16);
    a.values.resize(n);
    if (activationFormat(type) == ActivationFormat::SuperBlocks) {
        kernels.quantizeSuperBlocks(x.data(), a.quants.data(), a.scales.data(), a.groupSums.data(), n);
        for (size_t i = 0; i < n; ++i)
            a.values[i] = double(a.quants[i]) * a.scales[i / 256];
        for (size_t g = 0; g < n / 16; ++g) {
            int sum = 0;
            for (size_t i = 0; i < 16; ++i)
                sum += a.quants[g * 16 + i];
            QCOMPARE(int(a.groupSums[g]), sum);
        }
        a.row = {a.quants.data(), a.scales.data(), nullptr, a.groupSums.data()};
        return;
    }
    kernels.quantizeRow(x.data(), a.quants.data(), a.scales.data(), n);
    blockSumScales(x.data(), a.quants.data(), a.blockSums.data(), n);
    for (size_t i = 0; i < n; ++i)
        a.values[i] = double(a.quants[i]) * a.scales[i / 32];
    a.row = {a.quants.data(), a.scales.data(), a.blockSums.data()};
}

} // namespace

class BlockKernelsTest : public QObject {
    Q_OBJECT

private slots:
    void matchesDequantizedMath_data()
    {
        QTest::addColumn<int>("type");
        for (TensorType type : {TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1, TensorType::IQ4_NL,
                                TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K,
                                TensorType::Q6_K, TensorType::IQ4_XS})
            QTest::newRow(gguf::tensorTypeName(type).data()) << int(type);
    }

    void matchesDequantizedMath()
    {
        QFETCH(int, type);
        const auto blockType = TensorType(type);
        const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(blockType);
        const bool super = traits.blockValues == 256;
        std::mt19937 random(uint32_t(type) * 7919u);
        for (size_t blocks : super ? std::vector<size_t>{1, 2, 3, 7} : std::vector<size_t>{1, 3, 7, 33}) {
            const size_t n = blocks * traits.blockValues;
            const std::vector<uint8_t> weights = randomBlocks(blockType, blocks, random);
            const std::vector<float> dequantized = quant::dequantize(blockType, weights, n);
            std::normal_distribution<float> normal(0.0f, 2.0f);
            std::vector<float> x(n);
            for (float& v : x)
                v = normal(random) + 0.01f;
            for (const DotKernels* kernels : supportedKernels()) {
                Activations a;
                quantize(*kernels, blockType, x, a);
                double expected = 0, scale = 0;
                for (size_t i = 0; i < n; ++i) {
                    expected += double(dequantized[i]) * a.values[i];
                    scale += std::fabs(double(dequantized[i]) * a.values[i]);
                }
                const float actual = blockDot(*kernels, blockType)(weights.data(), a.row, blocks);
                // The four-row kernel, where the table has one, with this row among three others:
                // the same value as the one-row kernel gives.
                if (const BlockDot4 dot4 = blockDot4(*kernels, blockType)) {
                    std::vector<Activations> others(3);
                    std::vector<ActivationRow> rows;
                    for (size_t i = 0; i < 3; ++i) {
                        std::vector<float> y(n);
                        for (float& v : y)
                            v = normal(random) - 0.01f;
                        quantize(*kernels, blockType, y, others[i]);
                        rows.push_back(others[i].row);
                    }
                    rows.insert(rows.begin() + 2, a.row);
                    float four[4];
                    dot4(weights.data(), rows.data(), blocks, four);
                    for (size_t i = 0; i < 4; ++i)
                        QCOMPARE(four[i], blockDot(*kernels, blockType)(weights.data(), rows[i], blocks));
                }
                // Integer sums are exact; the float scaling of each (sub-)block rounds, and
                // Q4_1/Q5_1's block sums are rounded through fp16 as llama.cpp's Q8_1 stores them
                // (from the unrounded scale: up to 1e-3 of each minimum's term).
                double minimumTerms = 0;
                if (activationFormat(blockType) == ActivationFormat::Blocks32WithSums) {
                    for (size_t b = 0; b < blocks; ++b) {
                        uint16_t m;
                        std::memcpy(&m, weights.data() + b * traits.blockBytes + 2, 2);
                        minimumTerms += std::fabs(double(halfToFloat(m)) * a.blockSums[b]);
                    }
                }
                const double tolerance = 2e-5 * scale + 1e-3 * minimumTerms + 1e-6;
                QVERIFY2(std::fabs(actual - expected) <= tolerance,
                         qPrintable(QStringLiteral("%1 kernels, %2 blocks: %3, expected %4 (terms %5)")
                                        .arg(QString::fromUtf8(kernels->name.data(), int(kernels->name.size())))
                                        .arg(blocks)
                                        .arg(double(actual))
                                        .arg(expected)
                                        .arg(scale)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(BlockKernelsTest)
#include "test_block_kernels.moc"
