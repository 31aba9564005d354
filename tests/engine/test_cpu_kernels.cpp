// Every SIMD kernel table against the portable one, on random inputs (never zeros) at sizes that
// are and are not multiples of the vector width and the block; and the thread pool's coverage.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/thread_pool.h"
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

} // namespace

class CpuKernelsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (simdTables().empty())
            QSKIP("this processor runs the portable kernels only; nothing to compare");
        for (const DotKernels* table : simdTables())
            qInfo("comparing %s with the portable kernels", std::string(table->name).c_str());
    }

    void floatDots()
    {
        const DotKernels& reference = portableKernels();
        for (const DotKernels* table : simdTables()) {
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
            }
        }
    }

    void quantizedDots()
    {
        const DotKernels& reference = portableKernels();
        for (const DotKernels* table : simdTables()) {
            for (size_t blocks : {1u, 2u, 3u, 17u, 64u, 172u}) {
                const size_t n = blocks * 32;
                const auto w = randomFloats(n, uint32_t(blocks), 0.05f);
                const auto x = randomFloats(n, uint32_t(blocks) + 7, 3.0f);
                std::vector<quant::BlockQ8_0> xq(blocks), xqReference(blocks);
                table->quantizeRowQ8_0(x.data(), xq.data(), n);
                reference.quantizeRowQ8_0(x.data(), xqReference.data(), n);
                QVERIFY2(std::memcmp(xq.data(), xqReference.data(), blocks * sizeof(quant::BlockQ8_0)) == 0,
                         "quantizeRowQ8_0 differs from the portable kernel");

                const auto w8 = asBlocks<quant::BlockQ8_0>(quant::quantize(gguf::TensorType::Q8_0, w));
                const auto w4 = asBlocks<quant::BlockQ4_0>(quant::quantize(gguf::TensorType::Q4_0, w));
                const double scale = 0.05 * 3.0 * double(n);
                compareSums(table->q8_0(w8.data(), xq.data(), blocks), reference.q8_0(w8.data(), xq.data(), blocks),
                            scale, "q8_0");
                compareSums(table->q4_0(w4.data(), xq.data(), blocks), reference.q4_0(w4.data(), xq.data(), blocks),
                            scale, "q4_0");

                // Four activation rows at once against four single products.
                std::vector<quant::BlockQ8_0> x4(4 * blocks);
                for (size_t t = 0; t < 4; ++t) {
                    const auto xt = randomFloats(n, uint32_t(blocks * 10 + t), 2.0f);
                    reference.quantizeRowQ8_0(xt.data(), x4.data() + t * blocks, n);
                }
                std::vector<float> scales(4 * blocks);
                for (size_t i = 0; i < 4 * blocks; ++i)
                    scales[i] = halfToFloat(x4[i].d);
                const QuantizedRows rows{x4.data(), scales.data(), blocks};
                float four8[4], four4[4];
                table->q8_0x4(w8.data(), rows, blocks, four8);
                table->q4_0x4(w4.data(), rows, blocks, four4);
                for (size_t t = 0; t < 4; ++t) {
                    compareSums(four8[t], reference.q8_0(w8.data(), x4.data() + t * blocks, blocks), scale, "q8_0x4");
                    compareSums(four4[t], reference.q4_0(w4.data(), x4.data() + t * blocks, blocks), scale, "q4_0x4");
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
        std::vector<quant::BlockQ8_0> xq(n / 32);
        portableKernels().quantizeRowQ8_0(x.data(), xq.data(), n);
        const auto wBytes = quant::quantize(gguf::TensorType::Q4_0, w);
        const auto wValues = quant::dequantize(gguf::TensorType::Q4_0, wBytes, n);
        const std::vector<uint8_t> xBytes(reinterpret_cast<const uint8_t*>(xq.data()),
                                          reinterpret_cast<const uint8_t*>(xq.data() + xq.size()));
        const auto xValues = quant::dequantize(gguf::TensorType::Q8_0, xBytes, n);
        double expected = 0;
        for (size_t i = 0; i < n; ++i)
            expected += double(wValues[i]) * xValues[i];
        const auto w4 = asBlocks<quant::BlockQ4_0>(wBytes);
        compareSums(portableKernels().q4_0(w4.data(), xq.data(), n / 32), float(expected), 0.1 * double(n), "q4_0");
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
