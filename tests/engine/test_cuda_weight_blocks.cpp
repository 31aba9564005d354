// The CUDA products' block code (kernels/weight_blocks.cuh), compiled here by the host compiler:
// the same decoders and integer dot products the kernels run, with no GPU and no CUDA toolkit.
// For every weight type, random weights (never zero, several seeds) quantized by engine/quant,
// in rows of 1, 2, 3 and 11 blocks (super-blocks for the K-quants and IQ4_XS): each decoded chunk
// equals quant::dequantize bit for bit, and a row's chunk dot products against activations
// quantized as quantizeRows quantizes them (the .cuh's Q8_1 code) sum to the float dot product of
// the dequantized weights and activations, to 1e-5 of the terms' absolute sum.

#include "engine/gguf/tensor_type.h"
#include "engine/quant/blocks.h"
#include "engine/quant/quantize.h"
#include "kernels/weight_blocks.cuh"

#include <QTest>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace latent;
using namespace latent::cuda;
using gguf::TensorType;

namespace {

const TensorType kQuantizedTypes[] = {TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,
                                      TensorType::Q8_0, TensorType::IQ4_NL, TensorType::Q2_K, TensorType::Q3_K,
                                      TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K, TensorType::IQ4_XS};
const TensorType kFloatTypes[] = {TensorType::F32, TensorType::F16, TensorType::BF16};
const uint32_t kSeeds[] = {1, 2, 3};
const size_t kRowBlocks[] = {1, 2, 3, 11};

// Values of one row: each seed draws its own spread and offset, so that blocks with minimums
// (Q4_1, Q5_1, the K-quants) see rows that are not centred on zero; a draw of (nearly) zero is
// drawn again.
std::vector<float> randomWeights(size_t count, std::mt19937& random)
{
    std::uniform_real_distribution<float> spread(0.05f, 3.0f), offset(-0.5f, 0.5f), unit(-1.0f, 1.0f);
    const float rowSpread = spread(random), rowOffset = offset(random) * rowSpread;
    std::vector<float> values(count);
    for (float& v : values) {
        do
            v = rowOffset + rowSpread * unit(random);
        while (std::fabs(v) < 1e-3f * rowSpread);
    }
    return values;
}

std::vector<float> randomActivations(size_t count, std::mt19937& random)
{
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(count);
    for (float& v : values)
        v = normal(random) + 0.01f;
    return values;
}

// A row's activations as quantizeRows writes them, and their values q * d.
struct Activations {
    std::vector<int8_t> quants;
    std::vector<float> d, sums;
    std::vector<double> values;
};

Activations quantizeActivations(const std::vector<float>& x)
{
    Activations a;
    const size_t blocks = x.size() / kChunkValues;
    a.quants.resize(x.size());
    a.d.resize(blocks);
    a.sums.resize(blocks);
    a.values.resize(x.size());
    for (size_t b = 0; b < blocks; ++b)
        quantizeActivationBlock(x.data() + b * kChunkValues, a.quants.data() + b * kChunkValues, a.d[b], a.sums[b]);
    for (size_t i = 0; i < x.size(); ++i)
        a.values[i] = double(a.quants[i]) * a.d[i / kChunkValues];
    return a;
}

// decodeChunk and chunkValue / chunkDot for a type known only at run time.
template <typename Visit>
void withType(TensorType type, Visit&& visit)
{
    switch (type) {
    case TensorType::Q4_0: return visit(std::integral_constant<int, kQ4_0>{});
    case TensorType::Q4_1: return visit(std::integral_constant<int, kQ4_1>{});
    case TensorType::Q5_0: return visit(std::integral_constant<int, kQ5_0>{});
    case TensorType::Q5_1: return visit(std::integral_constant<int, kQ5_1>{});
    case TensorType::Q8_0: return visit(std::integral_constant<int, kQ8_0>{});
    case TensorType::IQ4_NL: return visit(std::integral_constant<int, kIQ4_NL>{});
    case TensorType::Q2_K: return visit(std::integral_constant<int, kQ2_K>{});
    case TensorType::Q3_K: return visit(std::integral_constant<int, kQ3_K>{});
    case TensorType::Q4_K: return visit(std::integral_constant<int, kQ4_K>{});
    case TensorType::Q5_K: return visit(std::integral_constant<int, kQ5_K>{});
    case TensorType::Q6_K: return visit(std::integral_constant<int, kQ6_K>{});
    case TensorType::IQ4_XS: return visit(std::integral_constant<int, kIQ4_XS>{});
    case TensorType::F32: return visit(std::integral_constant<int, kF32>{});
    case TensorType::F16: return visit(std::integral_constant<int, kF16>{});
    case TensorType::BF16: return visit(std::integral_constant<int, kBF16>{});
    default: QFAIL("not a weight type"); return;
    }
}

// Value i of a row as the kernels decode it (getRows' code).
std::vector<float> decodeRow(TensorType type, const std::vector<uint8_t>& row, size_t count)
{
    std::vector<float> values(count);
    withType(type, [&](auto tag) {
        constexpr int kType = decltype(tag)::value;
        if constexpr (isFloatType(kType)) {
            for (size_t i = 0; i < count; ++i)
                values[i] = floatWeightAt<kType>(row.data(), int64_t(i));
        } else {
            constexpr int kChunksPerBlock = blockValues(kType) / kChunkValues;
            for (size_t c = 0; c < count / kChunkValues; ++c) {
                const WeightChunk chunk =
                    decodeChunk<kType>(row.data() + c / kChunksPerBlock * blockBytes(kType), int(c % kChunksPerBlock));
                for (int i = 0; i < kChunkValues; ++i)
                    values[c * kChunkValues + size_t(i)] = chunkValue<kType>(chunk, i);
            }
        }
    });
    return values;
}

// The row's chunk dot products with the activations, summed.
double blockDotRow(TensorType type, const std::vector<uint8_t>& row, const Activations& x)
{
    double sum = 0;
    withType(type, [&](auto tag) {
        constexpr int kType = decltype(tag)::value;
        if constexpr (!isFloatType(kType)) {
            constexpr int kChunksPerBlock = blockValues(kType) / kChunkValues;
            for (size_t c = 0; c < x.d.size(); ++c) {
                const WeightChunk chunk =
                    decodeChunk<kType>(row.data() + c / kChunksPerBlock * blockBytes(kType), int(c % kChunksPerBlock));
                int32_t quants[8];
                std::memcpy(quants, x.quants.data() + c * kChunkValues, sizeof quants);
                sum += chunkDot<kType>(chunk, quants, x.d[c], x.sums[c]);
            }
        }
    });
    return sum;
}

uint32_t bitsOf(float value)
{
    uint32_t bits;
    std::memcpy(&bits, &value, 4);
    return bits;
}

} // namespace

class CudaWeightBlocksTest : public QObject {
    Q_OBJECT

private slots:
    // The .cuh's own type table against gguf's.
    void typesAreGgufs()
    {
        const std::pair<int, TensorType> types[] = {
            {kF32, TensorType::F32},       {kF16, TensorType::F16},   {kBF16, TensorType::BF16},
            {kQ4_0, TensorType::Q4_0},     {kQ4_1, TensorType::Q4_1}, {kQ5_0, TensorType::Q5_0},
            {kQ5_1, TensorType::Q5_1},     {kQ8_0, TensorType::Q8_0}, {kIQ4_NL, TensorType::IQ4_NL},
            {kQ2_K, TensorType::Q2_K},     {kQ3_K, TensorType::Q3_K}, {kQ4_K, TensorType::Q4_K},
            {kQ5_K, TensorType::Q5_K},     {kQ6_K, TensorType::Q6_K}, {kIQ4_XS, TensorType::IQ4_XS},
        };
        for (const auto& [id, type] : types) {
            QCOMPARE(id, int(type));
            const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
            QCOMPARE(blockValues(id), int(traits.blockValues));
            QCOMPARE(blockBytes(id), int(traits.blockBytes));
        }
        QCOMPARE(blockBytes(int(TensorType::Q8_K)), 0);
        for (int i = 0; i < 16; ++i)
            QCOMPARE(kIq4Grid[i], quant::kIq4Values[i]);
    }

    // Q8_1 as quantizeRows writes it: quants within half a step of x, the largest magnitude at
    // 127, the sum d times the quants' sum; a block of zeros all zero.
    void quantizesActivations()
    {
        std::mt19937 random(7);
        const std::vector<float> x = randomActivations(4 * kChunkValues, random);
        const Activations a = quantizeActivations(x);
        for (size_t b = 0; b < a.d.size(); ++b) {
            int largest = 0, sum = 0;
            for (int i = 0; i < kChunkValues; ++i) {
                const size_t v = b * kChunkValues + size_t(i);
                QVERIFY(std::fabs(a.values[v] - double(x[v])) <= 0.5001 * double(a.d[b]));
                largest = std::max(largest, std::abs(int(a.quants[v])));
                sum += a.quants[v];
            }
            QCOMPARE(largest, 127);
            QCOMPARE(bitsOf(a.sums[b]), bitsOf(a.d[b] * float(sum)));
        }
        const float zeros[kChunkValues] = {};
        int8_t quants[kChunkValues];
        float d = -1, sum = -1;
        quantizeActivationBlock(zeros, quants, d, sum);
        QCOMPARE(d, 0.0f);
        QCOMPARE(sum, 0.0f);
        for (int8_t q : quants)
            QCOMPARE(int(q), 0);
    }

    void decodesAsDequantize_data()
    {
        QTest::addColumn<int>("type");
        for (TensorType type : kQuantizedTypes)
            QTest::newRow(gguf::tensorTypeName(type).data()) << int(type);
        for (TensorType type : kFloatTypes)
            QTest::newRow(gguf::tensorTypeName(type).data()) << int(type);
    }

    void decodesAsDequantize()
    {
        QFETCH(int, type);
        const auto weightType = TensorType(type);
        const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(weightType);
        const size_t valuesPerBlock = std::max<size_t>(traits.blockValues, kChunkValues);
        for (uint32_t seed : kSeeds) {
            std::mt19937 random(seed * 7919u + uint32_t(type));
            for (size_t blocks : kRowBlocks) {
                const size_t n = blocks * valuesPerBlock;
                const std::vector<uint8_t> row = quant::quantize(weightType, randomWeights(n, random));
                const std::vector<float> expected = quant::dequantize(weightType, row, n);
                const std::vector<float> actual = decodeRow(weightType, row, n);
                for (size_t i = 0; i < n; ++i) {
                    QVERIFY2(bitsOf(actual[i]) == bitsOf(expected[i]),
                             qPrintable(QStringLiteral("seed %1, %2 blocks, value %3: %4, dequantize gives %5")
                                            .arg(seed)
                                            .arg(blocks)
                                            .arg(i)
                                            .arg(double(actual[i]))
                                            .arg(double(expected[i]))));
                }
            }
        }
    }

    void blockDotsMatchFloatDot_data()
    {
        QTest::addColumn<int>("type");
        for (TensorType type : kQuantizedTypes)
            QTest::newRow(gguf::tensorTypeName(type).data()) << int(type);
    }

    // Integer sums are exact; each chunk's float scaling rounds a few times, far inside the bar.
    void blockDotsMatchFloatDot()
    {
        QFETCH(int, type);
        const auto weightType = TensorType(type);
        const size_t valuesPerBlock = gguf::tensorTypeTraits(weightType).blockValues;
        for (uint32_t seed : kSeeds) {
            std::mt19937 random(seed * 104729u + uint32_t(type));
            for (size_t blocks : kRowBlocks) {
                const size_t n = blocks * valuesPerBlock;
                const std::vector<uint8_t> row = quant::quantize(weightType, randomWeights(n, random));
                const std::vector<float> weights = quant::dequantize(weightType, row, n);
                const Activations x = quantizeActivations(randomActivations(n, random));
                double expected = 0, magnitude = 0;
                for (size_t i = 0; i < n; ++i) {
                    expected += double(weights[i]) * x.values[i];
                    magnitude += std::fabs(double(weights[i]) * x.values[i]);
                }
                const double actual = blockDotRow(weightType, row, x);
                QVERIFY2(std::fabs(actual - expected) <= 1e-5 * magnitude,
                         qPrintable(QStringLiteral("seed %1, %2 blocks: %3, expected %4 (terms' absolute sum %5)")
                                        .arg(seed)
                                        .arg(blocks)
                                        .arg(actual)
                                        .arg(expected)
                                        .arg(magnitude)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(CudaWeightBlocksTest)
#include "test_cuda_weight_blocks.moc"
