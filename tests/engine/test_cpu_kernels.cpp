// Every SIMD kernel table against the portable one, on random inputs (never zeros) at sizes that
// are and are not multiples of the vector width and the block; and the thread pool's coverage.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/interleave.h"
#include "engine/backend/cpu/quantized_activations.h"
#include "engine/backend/cpu/thread_pool.h"
#include "engine/core/aligned_buffer.h"
#include "engine/core/half.h"
#include "engine/quant/quantize.h"

#include <QTest>

#include <atomic>
#include <cmath>
#include <cstring>
#include <random>

using namespace latent;
using namespace latent::cpu;

namespace {

std::vector<float> randomFloats(size_t n, uint32_t seed, float scale = 1.0f)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> normal(0.0f, scale);
    std::vector<float> values(n);
    for (float& v : values) {
        v = normal(random);
        if (v == 0.0f)
            v = 0.5f;
    }
    return values;
}

template <typename Block>
std::vector<Block> asBlocks(const std::vector<uint8_t>& bytes)
{
    std::vector<Block> blocks(bytes.size() / sizeof(Block));
    std::memcpy(blocks.data(), bytes.data(), bytes.size());
    return blocks;
}

// Float sums in another order differ by rounding: compare against the scale of the terms.
void compareSums(float actual, float expected, double termScale, const char* what)
{
    const double tolerance = 1e-5 * termScale + 1e-6;
    QVERIFY2(std::fabs(double(actual) - double(expected)) <= tolerance,
             qPrintable(QStringLiteral("%1: %2 vs %3").arg(what).arg(actual).arg(expected)));
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

    void floatDots()
    {
        REQUIRE_SIMD_TABLES(tables)
        const DotKernels& reference = portableKernels();
        for (const DotKernels* table : tables) {
            for (size_t n : {1u, 7u, 8u, 31u, 33u, 100u, 257u, 4099u}) {
                const auto w = randomFloats(n, uint32_t(n));
                const auto x = randomFloats(n, uint32_t(n) + 1000);
                double scale = 0;
                for (size_t i = 0; i < n; ++i)
                    scale += std::fabs(double(w[i]) * x[i]);
                compareSums(table->f32(w.data(), x.data(), n), reference.f32(w.data(), x.data(), n), scale, "f32");
                std::vector<uint16_t> h(n), b(n);
                for (size_t i = 0; i < n; ++i) {
                    h[i] = floatToHalf(w[i]);
                    b[i] = floatToBf16(w[i]);
                }
                compareSums(table->f16(h.data(), x.data(), n), reference.f16(h.data(), x.data(), n), scale, "f16");
                compareSums(table->bf16(b.data(), x.data(), n), reference.bf16(b.data(), x.data(), n), scale, "bf16");
                std::vector<float> y(x), yReference(x);
                table->axpyF16(y.data(), 0.37f, h.data(), n);
                reference.axpyF16(yReference.data(), 0.37f, h.data(), n);
                for (size_t i = 0; i < n; ++i)
                    compareSums(y[i], yReference[i], std::fabs(x[i]) + std::fabs(w[i]), "axpyF16");
            }
        }
    }

    void quantizedDots()
    {
        REQUIRE_SIMD_TABLES(tables)
        const DotKernels& reference = portableKernels();
        for (const DotKernels* table : tables) {
            for (size_t blocks : {1u, 2u, 3u, 17u, 64u, 172u}) {
                const size_t n = blocks * 32;
                const auto w = randomFloats(n, uint32_t(blocks), 0.05f);
                const auto w8 = asBlocks<quant::BlockQ8_0>(quant::quantize(gguf::TensorType::Q8_0, w));
                const auto w4 = asBlocks<quant::BlockQ4_0>(quant::quantize(gguf::TensorType::Q4_0, w));

                // Four activation rows, quantized by both tables: the same bytes and scales.
                AlignedBuffer<int8_t> quants, referenceQuants;
                AlignedBuffer<float> scales, referenceScales;
                quants.resize(4 * n);
                referenceQuants.resize(4 * n);
                scales.resize(4 * blocks);
                referenceScales.resize(4 * blocks);
                for (size_t t = 0; t < 4; ++t) {
                    const auto x = randomFloats(n, uint32_t(blocks * 10 + t), 3.0f);
                    table->quantizeRow(x.data(), quants.data() + t * n, scales.data() + t * blocks, n);
                    reference.quantizeRow(x.data(), referenceQuants.data() + t * n, referenceScales.data() + t * blocks, n);
                }
                QVERIFY2(std::memcmp(quants.data(), referenceQuants.data(), 4 * n) == 0, "quants differ");
                QVERIFY2(std::memcmp(scales.data(), referenceScales.data(), 4 * blocks * sizeof(float)) == 0,
                         "scales differ");

                const QuantizedRows rows{quants.data(), scales.data(), blocks};
                const double scale = 0.05 * 3.0 * double(n);
                float four8[4], four4[4];
                table->q8_0x4(w8.data(), rows, blocks, four8);
                table->q4_0x4(w4.data(), rows, blocks, four4);
                for (size_t t = 0; t < 4; ++t) {
                    const int8_t* xq = rows.quantsOf(t, 0);
                    const float* xs = rows.scalesOf(t, 0);
                    const float expected8 = reference.q8_0(w8.data(), xq, xs, blocks);
                    const float expected4 = reference.q4_0(w4.data(), xq, xs, blocks);
                    compareSums(table->q8_0(w8.data(), xq, xs, blocks), expected8, scale, "q8_0");
                    compareSums(table->q4_0(w4.data(), xq, xs, blocks), expected4, scale, "q4_0");
                    compareSums(four8[t], expected8, scale, "q8_0x4");
                    compareSums(four4[t], expected4, scale, "q4_0x4");
                }
            }
        }
    }

    // Sixteen rows regrouped (interleave.h) against 1 to 8 tokens, against the row kernels on the
    // rows as stored.
    void interleavedGroups()
    {
        REQUIRE_SIMD_TABLES(tables)
        const DotKernels& reference = portableKernels();
        for (const DotKernels* table : tables) {
            if (!table->q4_0Interleaved || !table->q8_0Interleaved)
                continue;
            for (size_t blocks : {1u, 3u, 64u}) {
                const size_t n = blocks * 32;
                const auto w = randomFloats(32 * n, uint32_t(blocks) + 11, 0.05f); // two groups of 16 rows
                std::vector<float> x;
                for (size_t t = 0; t < 8; ++t) {
                    const auto row = randomFloats(n, uint32_t(blocks * 13 + t), 2.0f);
                    x.insert(x.end(), row.begin(), row.end());
                }
                ThreadPool pool(1);
                QuantizedActivations activations;
                const QuantizedRows rows =
                    activations.quantize(reference, pool, x.data(), 8, n, {.unsignedQuants = true, .sums = true});
                for (gguf::TensorType type : {gguf::TensorType::Q4_0, gguf::TensorType::Q8_0}) {
                    const auto stored = quant::quantize(type, w);
                    std::vector<uint8_t> regrouped(interleavedBytes(type, int64_t(n), 32));
                    interleave(type, stored.data(), int64_t(n), 0, 2, regrouped.data());
                    const size_t groupBytes = blocks * interleavedGroupBlockBytes(type);
                    const size_t rowBytes = stored.size() / 32;
                    for (size_t tokens = 1; tokens <= 8; ++tokens) {
                        for (size_t group = 0; group < 2; ++group) {
                            float out[8 * 20]; // stride 20: each token's 16 rows
                            const auto kernel = type == gguf::TensorType::Q4_0 ? table->q4_0Interleaved : table->q8_0Interleaved;
                            kernel(regrouped.data() + group * groupBytes, blocks, rows, tokens, out, 20);
                            for (size_t t = 0; t < tokens; ++t) {
                                for (size_t r = 0; r < 16; ++r) {
                                    const uint8_t* row = stored.data() + (group * 16 + r) * rowBytes;
                                    const float expected =
                                        type == gguf::TensorType::Q4_0
                                            ? reference.q4_0(reinterpret_cast<const quant::BlockQ4_0*>(row), rows.quantsOf(t, 0), rows.scalesOf(t, 0), blocks)
                                            : reference.q8_0(reinterpret_cast<const quant::BlockQ8_0*>(row), rows.quantsOf(t, 0), rows.scalesOf(t, 0), blocks);
                                    compareSums(out[t * 20 + r], expected, 0.05 * 2.0 * double(n), "interleaved");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    void quantizedDotMatchesDequantizedMath()
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
        const auto w4 = asBlocks<quant::BlockQ4_0>(wBytes);
        compareSums(portableKernels().q4_0(w4.data(), xq.data(), xs.data(), n / 32), float(expected), 0.1 * double(n),
                    "q4_0");
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
