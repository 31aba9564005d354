// Every SIMD kernel table against the portable one, bit for bit, on random inputs (never zeros)
// at sizes that are and are not multiples of the vector width and the block: the float products,
// attention's tiles, the activation quantizers, the elementwise steps, and the interleaved groups
// and their inverse (the block types' products are test_block_kernels'). Then the portable kernels
// themselves: the quantizer as llama.cpp's, a product and the elementwise steps against plain
// math, and the thread pool's coverage.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/interleave.h"
#include "engine/backend/cpu/quantized_activations.h"
#include "engine/backend/cpu/thread_pool.h"
#include "engine/core/aligned_buffer.h"
#include "engine/core/half.h"
#include "engine/quant/quantize.h"

#include "tests/support/random_floats.h"

#include <QTest>

#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <random>

using namespace latent;
using latent::test::randomFloats;
using namespace latent::cpu;

namespace {

QString tableName(const DotKernels& table)
{
    return QString::fromUtf8(table.name.data(), int(table.name.size()));
}

// Floats compared as bits: every table takes the same float steps (float_sums.h).
void compareBits(float actual, float expected, const DotKernels& table, const char* what, size_t n)
{
    QVERIFY2(std::bit_cast<uint32_t>(actual) == std::bit_cast<uint32_t>(expected),
             qPrintable(QStringLiteral("%1 %2, n = %3: %4, the portable kernels %5")
                            .arg(tableName(table), what)
                            .arg(n)
                            .arg(double(actual), 0, 'g', 9)
                            .arg(double(expected), 0, 'g', 9)));
}

std::vector<const DotKernels*> simdTables()
{
    std::vector<const DotKernels*> tables = supportedKernels();
    tables.erase(tables.begin()); // the portable table, the reference
    return tables;
}

// Only the comparisons skip on a processor without SIMD tables; the portable kernels and the
// thread pool are tested everywhere.
#define REQUIRE_SIMD_TABLES(tables)                                                                    \
    const std::vector<const DotKernels*> tables = simdTables();                                        \
    if (tables.empty())                                                                                \
        QSKIP("this processor runs the portable kernels only; no SIMD table to compare");

} // namespace

class CpuKernelsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        for (const DotKernels* table : simdTables())
            qInfo("comparing %s with the portable kernels", std::string(table->name).c_str());
    }

    // Float weight rows against activation rows (f32, f16, bf16) in every tile shape and the
    // rows and tokens left over at its edges, rows and tokens a stride wider than n apart; each
    // product is also the reference's product of that row and token alone (the walk's indexing).
    void floatProducts()
    {
        REQUIRE_SIMD_TABLES(tables)
        const DotKernels& reference = portableKernels();
        for (const DotKernels* table : tables) {
            for (size_t n : {1u, 7u, 8u, 31u, 33u, 100u, 257u, 4099u}) {
                for (const auto& [rows, tokens] : {std::pair<size_t, size_t>{1, 1}, {2, 3}, {3, 4}, {4, 5}, {7, 9}, {6, 8}}) {
                    const size_t rowStride = n + 3, xStride = n + 5, outStride = rows + 2;
                    const auto w = randomFloats(rows * rowStride, uint32_t(n * 7 + rows));
                    const auto x = randomFloats(tokens * xStride, uint32_t(n * 7 + tokens + 1000));
                    std::vector<uint16_t> h(w.size()), b(w.size());
                    for (size_t i = 0; i < w.size(); ++i) {
                        h[i] = floatToHalf(w[i]);
                        b[i] = floatToBf16(w[i]);
                    }
                    const auto check = [&](const char* what, auto kernel, auto referenceKernel, const auto* weights) {
                        std::vector<float> out(tokens * outStride), expected(out.size());
                        (table->*kernel)(weights, rowStride, rows, x.data(), xStride, tokens, n, out.data(), outStride);
                        (reference.*referenceKernel)(weights, rowStride, rows, x.data(), xStride, tokens, n,
                                                     expected.data(), outStride);
                        for (size_t t = 0; t < tokens; ++t) {
                            for (size_t r = 0; r < rows; ++r) {
                                float alone = 0;
                                (reference.*referenceKernel)(weights + r * rowStride, rowStride, 1, x.data() + t * xStride,
                                                             xStride, 1, n, &alone, 1);
                                compareBits(out[t * outStride + r], expected[t * outStride + r], *table, what, n);
                                compareBits(expected[t * outStride + r], alone, reference, what, n);
                            }
                        }
                    };
                    check("f32", &DotKernels::f32, &DotKernels::f32, w.data());
                    check("f16", &DotKernels::f16, &DotKernels::f16, h.data());
                    check("bf16", &DotKernels::bf16, &DotKernels::bf16, b.data());
                }
                const auto values = randomFloats(n, uint32_t(n));
                std::vector<uint16_t> h(n);
                for (size_t i = 0; i < n; ++i)
                    h[i] = floatToHalf(values[i]);
                const auto x = randomFloats(n, uint32_t(n) + 1000);
                std::vector<float> y(x), yReference(x);
                table->axpyF16(y.data(), 0.37f, h.data(), n);
                reference.axpyF16(yReference.data(), 0.37f, h.data(), n);
                for (size_t i = 0; i < n; ++i)
                    compareBits(y[i], yReference[i], *table, "axpyF16", n);
            }
        }
    }

    // Attention's tiles: a few queries against F16 keys and values in rows wider than the head
    // (the cache holds every head of a position), each query seeing its own number of keys.
    void attentionTiles()
    {
        REQUIRE_SIMD_TABLES(tables)
        const DotKernels& reference = portableKernels();
        for (const DotKernels* table : tables) {
            for (size_t n : {1u, 7u, 8u, 24u, 31u, 33u, 40u, 100u, 128u, 257u, 576u}) {
                for (size_t queryCount : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 12u, 16u, 19u}) {
                    const size_t keyCount = 37, stride = n + 5, scoreStride = keyCount + 2;
                    const auto keyValues = randomFloats(keyCount * stride, uint32_t(n) + 1);
                    const auto valueValues = randomFloats(keyCount * stride, uint32_t(n) + 2);
                    std::vector<uint16_t> keys(keyValues.size()), values(valueValues.size());
                    for (size_t i = 0; i < keys.size(); ++i) {
                        keys[i] = floatToHalf(keyValues[i]);
                        values[i] = floatToHalf(valueValues[i]);
                    }
                    const auto queryValues = randomFloats(queryCount * n, uint32_t(n * 31 + queryCount));
                    std::vector<const float*> queries(queryCount);
                    for (size_t q = 0; q < queryCount; ++q)
                        queries[q] = queryValues.data() + q * n;
                    std::vector<float> scores(queryCount * scoreStride), expectedScores(scores.size());
                    table->attentionScoresF16(keys.data(), stride, keyCount, queries.data(), queryCount, n,
                                              scores.data(), scoreStride);
                    reference.attentionScoresF16(keys.data(), stride, keyCount, queries.data(), queryCount, n,
                                                 expectedScores.data(), scoreStride);
                    for (size_t q = 0; q < queryCount; ++q)
                        for (size_t j = 0; j < keyCount; ++j)
                            compareBits(scores[q * scoreStride + j], expectedScores[q * scoreStride + j], *table,
                                        "attentionScoresF16", n);

                    // Weights from a softmax's numerators and divisor, the later queries seeing more
                    // keys, as a causal prompt's do.
                    std::vector<size_t> keyCounts(queryCount);
                    const auto exponents = randomFloats(scores.size(), uint32_t(n) + 3);
                    for (size_t q = 0; q < queryCount; ++q) {
                        keyCounts[q] = keyCount - (queryCount - 1 - q) * 3 % keyCount;
                        float divisor = 0.0f;
                        for (size_t j = 0; j < scoreStride; ++j)
                            divisor += scores[q * scoreStride + j] = std::exp(exponents[q * scoreStride + j]);
                        expectedScores = scores;
                        table->attentionWeights(scores.data() + q * scoreStride, keyCounts[q], divisor);
                        reference.attentionWeights(expectedScores.data() + q * scoreStride, keyCounts[q], divisor);
                        for (size_t j = 0; j < scoreStride; ++j)
                            compareBits(scores[q * scoreStride + j], expectedScores[q * scoreStride + j], *table,
                                        "attentionWeights", n);
                    }
                    const std::vector<float> weights = scores;
                    std::vector<float> outs(queryCount * n, -1.0f), expectedOuts(outs.size(), -2.0f);
                    std::vector<float*> outRows(queryCount), expectedRows(queryCount);
                    for (size_t q = 0; q < queryCount; ++q) {
                        outRows[q] = outs.data() + q * n;
                        expectedRows[q] = expectedOuts.data() + q * n;
                    }
                    table->attentionValuesF16(outRows.data(), weights.data(), scoreStride, keyCounts.data(), queryCount,
                                              values.data(), stride, n);
                    reference.attentionValuesF16(expectedRows.data(), weights.data(), scoreStride, keyCounts.data(),
                                                 queryCount, values.data(), stride, n);
                    for (size_t i = 0; i < outs.size(); ++i)
                        compareBits(outs[i], expectedOuts[i], *table, "attentionValuesF16", n);
                }
            }
        }
    }

    // The activations every table quantizes are the same bytes and scales.
    void activationQuantizers()
    {
        REQUIRE_SIMD_TABLES(tables)
        const DotKernels& reference = portableKernels();
        for (const DotKernels* table : tables) {
            for (size_t superBlocks : {1u, 2u, 7u}) {
                const size_t n = superBlocks * 256;
                auto x = randomFloats(n, uint32_t(superBlocks) + 77, 3.0f);
                // A tie for the largest magnitude in each super-block, the signs alternating
                // between them: the first of the two, with its sign, maps to -127.
                for (size_t b = 0; b < superBlocks; ++b) {
                    x[b * 256 + 37 + b] = b % 2 ? 50.0f : -50.0f;
                    x[b * 256 + 200 - b] = b % 2 ? -50.0f : 50.0f;
                }
                AlignedBuffer<int8_t> quants, expectedQuants;
                AlignedBuffer<float> scales, expectedScales;
                AlignedBuffer<int16_t> sums, expectedSums;
                for (auto* buffer : {&quants, &expectedQuants})
                    buffer->resize(n);
                for (auto* buffer : {&scales, &expectedScales})
                    buffer->resize(n / 32);
                for (auto* buffer : {&sums, &expectedSums})
                    buffer->resize(n / 16);
                table->quantizeRow(x.data(), quants.data(), scales.data(), n);
                reference.quantizeRow(x.data(), expectedQuants.data(), expectedScales.data(), n);
                QVERIFY2(std::memcmp(quants.data(), expectedQuants.data(), n) == 0, "quantizeRow: quants differ");
                QVERIFY2(std::memcmp(scales.data(), expectedScales.data(), n / 32 * sizeof(float)) == 0,
                         "quantizeRow: scales differ");
                table->quantizeSuperBlocks(x.data(), quants.data(), scales.data(), sums.data(), n);
                reference.quantizeSuperBlocks(x.data(), expectedQuants.data(), expectedScales.data(), expectedSums.data(), n);
                QVERIFY2(std::memcmp(quants.data(), expectedQuants.data(), n) == 0, "quantizeSuperBlocks: quants differ");
                QVERIFY2(std::memcmp(scales.data(), expectedScales.data(), n / 256 * sizeof(float)) == 0,
                         "quantizeSuperBlocks: scales differ");
                QVERIFY2(std::memcmp(sums.data(), expectedSums.data(), n / 16 * sizeof(int16_t)) == 0,
                         "quantizeSuperBlocks: sums differ");
            }
        }
    }

    // The elementwise steps (elementwise_lanes.h), in whole vectors and a padded tail.
    void elementwiseSteps()
    {
        REQUIRE_SIMD_TABLES(tables)
        const DotKernels& reference = portableKernels();
        for (const DotKernels* table : tables) {
            for (size_t n : {1u, 7u, 8u, 9u, 31u, 100u, 257u, 4099u}) {
                const auto x = randomFloats(n, uint32_t(n) + 11, 4.0f);
                const auto y = randomFloats(n, uint32_t(n) + 12);
                std::vector<float> scores(x), expectedScores(x);
                compareBits(table->softmaxExponentials(scores.data(), n, 0.37f),
                            reference.softmaxExponentials(expectedScores.data(), n, 0.37f), *table,
                            "softmaxExponentials' sum", n);
                for (size_t i = 0; i < n; ++i)
                    compareBits(scores[i], expectedScores[i], *table, "softmaxExponentials", n);
                std::vector<float> out(n), expectedOut(n);
                table->swiglu(out.data(), x.data(), y.data(), n);
                reference.swiglu(expectedOut.data(), x.data(), y.data(), n);
                for (size_t i = 0; i < n; ++i)
                    compareBits(out[i], expectedOut[i], *table, "swiglu", n);
                const auto wide = randomFloats(n, uint32_t(n) + 13, 3000.0f);
                table->roundToHalf(out.data(), wide.data(), n);
                reference.roundToHalf(expectedOut.data(), wide.data(), n);
                for (size_t i = 0; i < n; ++i)
                    compareBits(out[i], expectedOut[i], *table, "roundToHalf", n);
                // Quotients past F16's largest value (the divisor small) and into its subnormals.
                for (float divisor : {0.01f, 7.0f, 3e7f}) {
                    out = wide;
                    expectedOut = wide;
                    table->attentionWeights(out.data(), n, divisor);
                    reference.attentionWeights(expectedOut.data(), n, divisor);
                    for (size_t i = 0; i < n; ++i)
                        compareBits(out[i], expectedOut[i], *table, "attentionWeights", n);
                }
                std::vector<uint16_t> halves(n), expectedHalves(n);
                table->toHalf(halves.data(), wide.data(), n);
                reference.toHalf(expectedHalves.data(), wide.data(), n);
                QVERIFY2(halves == expectedHalves, qPrintable(QStringLiteral("%1 toHalf, n = %2: the halves differ")
                                                                  .arg(tableName(*table))
                                                                  .arg(n)));
            }
        }
    }

    // Sixteen rows regrouped (interleave.h) against 1 to 8 tokens: the portable kernels' bits on
    // the rows as stored, for each type a table has an interleaved kernel of, at block counts odd
    // and even.
    void interleavedGroups()
    {
        REQUIRE_SIMD_TABLES(tables)
        const DotKernels& reference = portableKernels();
        int compared = 0;
        for (const DotKernels* table : tables) {
            for (gguf::TensorType type :
                 {gguf::TensorType::Q4_0, gguf::TensorType::Q5_0, gguf::TensorType::Q8_0, gguf::TensorType::Q4_K,
                  gguf::TensorType::Q6_K}) {
                if (!hasInterleavedKernel(*table, type))
                    continue;
                const bool superBlocks = activationFormat(type) == ActivationFormat::SuperBlocks;
                for (size_t blocks : {1u, 2u, 3u, superBlocks ? 11u : 64u}) {
                    const size_t n = blocks * (superBlocks ? 256 : 32);
                    const auto w = randomFloats(32 * n, uint32_t(blocks) + 11, 0.05f); // two groups of 16 rows
                    std::vector<float> x;
                    for (size_t t = 0; t < 8; ++t) {
                        const auto row = randomFloats(n, uint32_t(blocks * 13 + t), 2.0f);
                        x.insert(x.end(), row.begin(), row.end());
                    }
                    ThreadPool pool(1);
                    QuantizedActivations activations;
                    std::vector<ActivationRow> tokens;
                    QuantizedRows rows{};
                    if (superBlocks) {
                        const auto quantized = activations.quantizeSuperBlocks(reference, pool, x.data(), 8, n);
                        for (size_t t = 0; t < 8; ++t)
                            tokens.push_back(quantized.row(t));
                    } else {
                        rows = activations.quantize(reference, pool, x.data(), 8, n, {.sums = true});
                        for (size_t t = 0; t < 8; ++t)
                            tokens.push_back({rows.quantsOf(t, 0), rows.scalesOf(t, 0)});
                    }
                    const auto stored = quant::quantize(type, w);
                    std::vector<uint8_t> regrouped(interleavedBytes(type, int64_t(n), 32));
                    interleave(type, stored.data(), int64_t(n), 0, 2, regrouped.data());
                    const size_t groupBytes = blocks * interleavedGroupBlockBytes(type);
                    const size_t rowBytes = stored.size() / 32;
                    for (size_t count = 1; count <= 8; ++count) {
                        for (size_t group = 0; group < 2; ++group) {
                            float out[8 * 20]; // stride 20: each token's 16 rows
                            if (superBlocks)
                                interleavedSuperDot(*table, type)(regrouped.data() + group * groupBytes, blocks,
                                                                  tokens.data(), count, out, 20);
                            else
                                interleavedDot(*table, type)(regrouped.data() + group * groupBytes, blocks, rows, count,
                                                             out, 20);
                            float expected[8 * 20];
                            for (size_t half = 0; half < 2; ++half)
                                blockRowsDot(reference, type)(
                                    {stored.data() + (group * 16 + half * 8) * rowBytes, rowBytes, 8, blocks},
                                    tokens.data(), count, expected + half * 8, 20);
                            const QString what = QStringLiteral("interleaved %1, %2 tokens")
                                                     .arg(QString::fromUtf8(gguf::tensorTypeName(type).data(),
                                                                          qsizetype(gguf::tensorTypeName(type).size())))
                                                     .arg(count);
                            for (size_t t = 0; t < count; ++t)
                                for (size_t r = 0; r < 16; ++r)
                                    compareBits(out[t * 20 + r], expected[t * 20 + r], *table, qPrintable(what), n);
                        }
                    }
                    ++compared;
                }
            }
        }
        if (compared == 0)
            QSKIP("no kernel table of this processor has interleaved kernels");
    }

    // deinterleaveRow undoes interleave: every row of two groups comes back byte for byte, for
    // every type and any bytes (all bits of each block are carried), at several block counts.
    void deinterleavedRowsAreTheStoredRows()
    {
        std::mt19937 random(31);
        for (gguf::TensorType type : {gguf::TensorType::Q4_0, gguf::TensorType::Q5_0, gguf::TensorType::Q8_0,
                                      gguf::TensorType::Q4_K, gguf::TensorType::Q6_K}) {
            const auto& traits = gguf::tensorTypeTraits(type);
            for (size_t blocks : {1u, 3u, 8u}) {
                const auto n = int64_t(blocks * traits.blockValues);
                std::vector<uint8_t> stored(32 * blocks * traits.blockBytes);
                for (uint8_t& byte : stored)
                    byte = uint8_t(random());
                std::vector<uint8_t> regrouped(interleavedBytes(type, n, 32));
                interleave(type, stored.data(), n, 0, 2, regrouped.data());
                std::vector<uint8_t> row(blocks * traits.blockBytes);
                for (int64_t r = 0; r < 32; ++r) {
                    deinterleaveRow(type, regrouped.data(), n, r, row.data());
                    QVERIFY2(std::memcmp(row.data(), stored.data() + size_t(r) * row.size(), row.size()) == 0,
                             qPrintable(QStringLiteral("%1, %2 blocks, row %3")
                                            .arg(QString::fromUtf8(gguf::tensorTypeName(type).data(),
                                                                   qsizetype(gguf::tensorTypeName(type).size())))
                                            .arg(blocks).arg(r)));
                }
            }
        }
    }

    // The inverse scale is 127 / amax, as llama.cpp's x86 quantizer computes it, not 1 / (amax /
    // 127): the two differ in the last bit for some amax, and a value on a rounding boundary then
    // rounds the other way. Values chosen where that happens.
    void quantizerRoundsAsLlamaCpp()
    {
        std::mt19937 random(2024);
        std::uniform_real_distribution<float> magnitude(0.1f, 10.0f);
        int boundaryCases = 0;
        for (int attempt = 0; attempt < 200000 && boundaryCases < 20; ++attempt) {
            const float amax = magnitude(random);
            const float inverse = 127.0f / amax, otherInverse = 1.0f / (amax / 127.0f);
            if (inverse == otherInverse)
                continue;
            // A value that lands on .5 in one inverse's scale: find q + 0.5 between them.
            const float value = (std::floor(amax * 0.37f * inverse) + 0.5f) / inverse;
            if (std::nearbyint(value * inverse) == std::nearbyint(value * otherInverse) || std::fabs(value) >= amax)
                continue;
            std::vector<float> block(32, 0.01f);
            block[0] = amax;
            block[5] = value;
            AlignedBuffer<int8_t> quants;
            AlignedBuffer<float> scales;
            quants.resize(32);
            scales.resize(1);
            portableKernels().quantizeRow(block.data(), quants.data(), scales.data(), 32);
            QCOMPARE(int(quants[5]), int(std::nearbyint(value * inverse)));
            QCOMPARE(int(quants[0]), 127);
            QCOMPARE(scales[0], halfToFloat(floatToHalf(amax / 127.0f)));
            ++boundaryCases;
        }
        QVERIFY2(boundaryCases > 0, "no value found where the two inverses round differently");
    }

    void quantizedProductMatchesDequantizedMath()
    {
        // The portable kernel itself against plain float math on dequantized values.
        const size_t n = 96;
        const auto w = randomFloats(n, 5, 0.1f);
        const auto x = randomFloats(n, 6);
        AlignedBuffer<int8_t> xq;
        AlignedBuffer<float> xs;
        xq.resize(n);
        xs.resize(n / 32);
        portableKernels().quantizeRow(x.data(), xq.data(), xs.data(), n);
        const auto wBytes = quant::quantize(gguf::TensorType::Q4_0, w);
        const auto wValues = quant::dequantize(gguf::TensorType::Q4_0, wBytes, n);
        double expected = 0;
        for (size_t i = 0; i < n; ++i)
            expected += double(wValues[i]) * xq[i] * xs[i / 32];
        const ActivationRow row{xq.data(), xs.data()};
        float actual = 0;
        portableKernels().q4_0({wBytes.data(), wBytes.size(), 1, n / 32}, &row, 1, &actual, 0);
        QVERIFY2(std::fabs(double(actual) - expected) <= 1e-5 * 0.1 * double(n) + 1e-6,
                 qPrintable(QStringLiteral("%1 vs %2").arg(double(actual)).arg(expected)));
    }

    // The portable elementwise steps against plain math: the exponentials within a few ulp of
    // exp in double precision (scores spread from 0 to below -104, where they reach 0 through
    // the subnormals), SiLU likewise, and the F16 rounding (attention's weights too) as
    // core/half.h's, bit for bit, across the ranges (subnormal halves, overflow to infinity, NaN,
    // signed zeros).
    void elementwiseStepsAgainstPlainMath()
    {
        const DotKernels& kernels = portableKernels();
        for (size_t n : {1u, 5u, 8u, 77u, 1000u}) {
            auto scores = randomFloats(n, uint32_t(n) + 21, 30.0f);
            const float scale = 1.3f;
            std::vector<float> scaled(n);
            float max = -INFINITY;
            for (size_t i = 0; i < n; ++i)
                max = std::max(max, scaled[i] = scores[i] * scale);
            const float sum = kernels.softmaxExponentials(scores.data(), n, scale);
            double expectedSum = 0;
            for (size_t i = 0; i < n; ++i) {
                const double expected = std::exp(double(scaled[i] - max));
                QVERIFY2(std::fabs(scores[i] - expected) <= 3e-7 * expected + 1e-44,
                         qPrintable(QStringLiteral("exp(%1) = %2, expected %3")
                                        .arg(double(scaled[i] - max), 0, 'g', 9)
                                        .arg(double(scores[i]), 0, 'g', 9)
                                        .arg(expected, 0, 'g', 9)));
                expectedSum += scores[i];
            }
            QVERIFY2(std::fabs(sum - expectedSum) <= 1e-6 * expectedSum,
                     qPrintable(QStringLiteral("sum %1, expected %2").arg(double(sum)).arg(expectedSum)));
        }

        std::vector<float> gates = randomFloats(1000, 31, 6.0f);
        for (float extreme : {-120.0f, -104.5f, -90.0f, -87.5f, -20.0f, 20.0f, 88.0f, 95.0f})
            gates.push_back(extreme);
        const auto ups = randomFloats(gates.size(), 32);
        std::vector<float> products(gates.size());
        kernels.swiglu(products.data(), gates.data(), ups.data(), gates.size());
        for (size_t i = 0; i < gates.size(); ++i) {
            const double g = gates[i], expected = g / (1.0 + std::exp(-g)) * double(ups[i]);
            // Below a gate of -88.7, exp(-gate) overflows the float (as the C library's does) and the
            // product is 0 where plain math has a value under 1e-36.
            QVERIFY2(std::fabs(products[i] - expected) <= 1e-6 * std::fabs(expected) + 1e-36,
                     qPrintable(QStringLiteral("swiglu(%1, %2) = %3, expected %4")
                                    .arg(g)
                                    .arg(double(ups[i]))
                                    .arg(double(products[i]), 0, 'g', 9)
                                    .arg(expected, 0, 'g', 9)));
        }

        std::vector<float> values;
        for (float scale : {1e-7f, 1e-4f, 1.0f, 300.0f, 40000.0f}) {
            const auto some = randomFloats(200, uint32_t(scale * 10) + 41, scale);
            values.insert(values.end(), some.begin(), some.end());
        }
        for (float special : {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -NAN, 65504.0f, 65519.0f, 65520.0f, -70000.0f,
                              5.96e-8f, 2.98e-8f, 2.9e-8f, 1e-30f, 1.4e-45f, 3.4e38f, 6.103e-5f, 6.1e-5f})
            values.push_back(special);
        std::vector<uint16_t> halves(values.size());
        std::vector<float> rounded(values.size());
        kernels.toHalf(halves.data(), values.data(), values.size());
        kernels.roundToHalf(rounded.data(), values.data(), values.size());
        std::vector<float> weights = values;
        kernels.attentionWeights(weights.data(), weights.size(), 3.0f);
        for (size_t i = 0; i < values.size(); ++i) {
            QCOMPARE(halves[i], floatToHalf(values[i]));
            QCOMPARE(std::bit_cast<uint32_t>(rounded[i]), std::bit_cast<uint32_t>(halfToFloat(floatToHalf(values[i]))));
            QCOMPARE(std::bit_cast<uint32_t>(weights[i]),
                     std::bit_cast<uint32_t>(halfToFloat(floatToHalf(values[i] / 3.0f))));
        }
    }

    void threadPoolCoversEveryIndexOnce()
    {
        ThreadPool pool(3);
        for (size_t count : {0u, 1u, 5u, 64u, 1000u, 12345u}) {
            for (size_t grain : {1u, 16u, 4096u}) {
                std::vector<std::atomic<int>> hits(count);
                pool.parallelFor(count, grain, [&](size_t begin, size_t end) {
                    for (size_t i = begin; i < end; ++i)
                        hits[i].fetch_add(1);
                });
                for (size_t i = 0; i < count; ++i)
                    QCOMPARE(hits[i].load(), 1);
            }
        }
    }
};

QTEST_GUILESS_MAIN(CpuKernelsTest)
#include "test_cpu_kernels.moc"
