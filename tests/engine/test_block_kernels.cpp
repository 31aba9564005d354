// The integer kernels of every quantized block type, in every kernel table this processor runs
// (portable, AVX2, AVX-512): random blocks (never zeros) against the same math done in double on
// the dequantized weights and activations, at several block counts (rows of 32-value blocks that
// are not multiples of 256, super-block rows of 1, 2, 3 and 7); and every table's results equal
// to the portable table's bit for bit, for matrices of row and token counts that are not
// multiples of the kernels' eight rows and four tokens.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/quantized_activations.h"
#include "engine/core/aligned_buffer.h"
#include "engine/core/half.h"
#include "engine/quant/quantize.h"

#include <QTest>

#include <algorithm>
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
        case TensorType::Q8_0:
        case TensorType::Q4_0:
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

// One weight row against one activation row.
float dotOne(const DotKernels& kernels, TensorType type, const uint8_t* row, const ActivationRow& x, size_t blocks)
{
    float out = 0;
    blockRowsDot(kernels, type)({row, 0, 1, blocks}, &x, 1, &out, 0);
    return out;
}

// A matrix's rows against tokens' activations, out[t * rows + r], eight rows a call as the CPU
// backend calls the kernels.
std::vector<float> products(const DotKernels& kernels, TensorType type, const std::vector<uint8_t>& matrix,
                            size_t rows, size_t blocks, const std::vector<ActivationRow>& x)
{
    const size_t rowBytes = matrix.size() / rows;
    std::vector<float> out(x.size() * rows, -1.0f);
    for (size_t r = 0; r < rows; r += 8)
        blockRowsDot(kernels, type)({matrix.data() + r * rowBytes, rowBytes, std::min<size_t>(8, rows - r), blocks},
                                    x.data(), x.size(), out.data() + r, rows);
    return out;
}

const TensorType kBlockTypes[] = {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0,
                                  TensorType::Q5_1, TensorType::IQ4_NL, TensorType::Q2_K, TensorType::Q3_K,
                                  TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K, TensorType::IQ4_XS};

} // namespace

class BlockKernelsTest : public QObject {
    Q_OBJECT

private slots:
    void matchesDequantizedMath_data()
    {
        QTest::addColumn<int>("type");
        for (TensorType type : kBlockTypes)
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
                const float actual = dotOne(*kernels, blockType, weights.data(), a.row, blocks);
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

    // Every table's products equal the portable table's, bit for bit: rows that fill the eight-row
    // kernels and rows that do not, one token and several (the kernels' tiles of four tokens and
    // their remainders), short rows and long ones.
    void everyTableGivesThePortableBits_data() { matchesDequantizedMath_data(); }

    void everyTableGivesThePortableBits()
    {
        QFETCH(int, type);
        const auto blockType = TensorType(type);
        const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(blockType);
        const bool super = traits.blockValues == 256;
        std::mt19937 random(uint32_t(type) * 104729u);
        std::normal_distribution<float> normal(0.0f, 1.5f);
        for (size_t blocks : super ? std::vector<size_t>{1, 3, 8} : std::vector<size_t>{1, 7, 64}) {
            for (size_t rows : {1u, 5u, 8u, 13u, 24u}) {
                const std::vector<uint8_t> matrix = randomBlocks(blockType, rows * blocks, random);
                const size_t n = blocks * traits.blockValues;
                std::vector<Activations> tokens(9);
                std::vector<ActivationRow> x;
                for (Activations& token : tokens) {
                    std::vector<float> values(n);
                    for (float& v : values)
                        v = normal(random) + 0.01f;
                    quantize(portableKernels(), blockType, values, token);
                    x.push_back(token.row);
                }
                for (size_t count : {1u, 4u, 6u, 9u}) {
                    const std::vector<ActivationRow> some(x.begin(), x.begin() + std::ptrdiff_t(count));
                    const std::vector<float> expected = products(portableKernels(), blockType, matrix, rows, blocks, some);
                    for (const DotKernels* kernels : supportedKernels()) {
                        const std::vector<float> actual = products(*kernels, blockType, matrix, rows, blocks, some);
                        QVERIFY2(std::memcmp(actual.data(), expected.data(), actual.size() * sizeof(float)) == 0,
                                 qPrintable(QStringLiteral("%1 kernels, %2 rows of %3 blocks, %4 tokens: not the "
                                                           "portable kernels' bits")
                                                .arg(QString::fromUtf8(kernels->name.data(), int(kernels->name.size())))
                                                .arg(rows)
                                                .arg(blocks)
                                                .arg(count)));
                    }
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(BlockKernelsTest)
#include "test_block_kernels.moc"
