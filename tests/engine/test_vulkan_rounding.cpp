// The float steps of the Vulkan shaders that must give the CPU's bits on every driver, run on the
// device and compared bit for bit with the CPU backend's:
//  - the activation quantization of the matrix products (shaders/quantize_activations.comp, the
//    pass every product with quantized weights runs, read back in the layout matmul.comp reads,
//    engine/vulkan/quantized_activations.h): quants, scales and sums of Q8_0 (32-value blocks, F16 scale, Q4_1/Q5_1's block sums) and Q8_K
//    (256-value super-blocks, 16-value group sums);
//  - the same quantization written by the dispatches that make a product's x (rms_norm.comp,
//    elementwise.comp's SwiGLU) beside their F32 output, for the products after them;
//  - the F16 rounding of the cache store (shaders/store.comp).
// The inputs are where a driver's own choice shows: exact halves after scaling (round() may take
// them either way), F16 ties and subnormal F16 scales (packHalf2x16's rounding mode is the driver's),
// quotients whose approximate division lands one ulp off, subnormal values (which a driver may
// flush to zero in float instructions), huge and tiny blocks, negative maxima; lengths whose block
// counts are not multiples of the workgroup.
// Lavapipe itself rounds halves to even in round(), divides and converts to F16 correctly and
// keeps subnormals, so on it these checks fail only where a shader's own step differs from the
// CPU's (1 / (amax / 127) for 127 / amax, a * (1 / b) for a / b, F16 rounded toward zero,
// subnormals dropped: each seen failing here); on a GPU they catch the driver's choices too.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/quantized_activations.h"
#include "engine/core/error.h"
#include "engine/core/half.h"
#include "engine/vulkan/quantized_activations.h"
#include "tests/support/vulkan_test_device.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <random>

using namespace latent;

namespace {

constexpr uint32_t kWorkgroup = 64; // blocks per workgroup of quantize_activations

using Device = test::VulkanTestDevice;

// What the device or the CPU made of x: quants, the scales' F32 bits, and the sums (Q8_K: the
// group sums; Q8_0: the F32 bits of each block's sum scale).
struct Quantized {
    std::vector<int32_t> quants;
    std::vector<uint32_t> scales;
    std::vector<uint32_t> sums;
};

// `values` values' quantized form, read from the layout the products read at `bytes`.
Quantized readQuantized(const uint8_t* bytes, size_t values, bool superBlocks)
{
    const vulkan::QuantizedActivationsLayout layout{superBlocks ? 256u : 32u, values / (superBlocks ? 256 : 32)};
    std::vector<uint32_t> words(layout.bytes() / 4);
    std::memcpy(words.data(), bytes, layout.bytes());
    Quantized out;
    for (size_t i = 0; i < values; ++i)
        out.quants.push_back(int8_t(uint8_t(words[i / 4] >> (8 * (i % 4)))));
    out.scales.assign(words.begin() + ptrdiff_t(layout.scalesWord()), words.begin() + ptrdiff_t(layout.sumsWord()));
    out.sums.assign(words.begin() + ptrdiff_t(layout.sumsWord()), words.end());
    return out;
}

// x quantized by the products' own pass, as one row, read back from the layout the products read.
Quantized quantizeOnDevice(Device& d, const std::vector<float>& x, bool superBlocks)
{
    const vulkan::QuantizedActivationsLayout layout{superBlocks ? 256u : 32u, x.size() / (superBlocks ? 256 : 32)};
    auto in = d.buffer(x.size() * sizeof(float), x.data());
    auto quantized = d.buffer(layout.bytes());
    const uint32_t push[] = {uint32_t(x.size()), 1, 0, uint32_t(x.size()), 0}; // cols, rows, offsets, stride
    const auto& pipeline =
        d.pipelines->get("quantize_activations", 2, sizeof push, {kWorkgroup, superBlocks ? 1u : 0u});
    d.recorder->dispatch(pipeline, {in.get(), quantized.get()}, push, sizeof push,
                         uint32_t((layout.blocks + kWorkgroup - 1) / kWorkgroup));
    d.recorder->submitAndWait();
    return readQuantized(quantized->mapped(), x.size(), superBlocks);
}

Quantized quantizeOnCpu(const std::vector<float>& x, bool superBlocks)
{
    const cpu::DotKernels& kernels = cpu::portableKernels();
    std::vector<int8_t> quants(x.size());
    std::vector<float> scales(x.size() / (superBlocks ? 256 : 32));
    Quantized out;
    if (superBlocks) {
        std::vector<int16_t> sums(x.size() / 16);
        kernels.quantizeSuperBlocks(x.data(), quants.data(), scales.data(), sums.data(), x.size());
        for (int16_t s : sums)
            out.sums.push_back(uint32_t(int32_t(s)));
    } else {
        kernels.quantizeRow(x.data(), quants.data(), scales.data(), x.size());
        std::vector<float> sumScales(scales.size());
        cpu::blockSumScales(x.data(), quants.data(), sumScales.data(), x.size());
        for (float s : sumScales)
            out.sums.push_back(std::bit_cast<uint32_t>(s));
    }
    out.quants.assign(quants.begin(), quants.end());
    for (float s : scales)
        out.scales.push_back(std::bit_cast<uint32_t>(s));
    return out;
}

// The first difference between the device's and the CPU's results, in words, or empty.
QString firstDifference(const Quantized& device, const Quantized& cpu, const std::vector<float>& x, bool superBlocks)
{
    const size_t blockValues = superBlocks ? 256 : 32;
    for (size_t i = 0; i < cpu.quants.size(); ++i) {
        if (device.quants[i] != cpu.quants[i])
            return QStringLiteral("quant %1 (block %2) of x = %3: device %4, cpu %5 (block scale bits: device %6, cpu %7)")
                .arg(i)
                .arg(i / blockValues)
                .arg(double(x[i]), 0, 'g', 9)
                .arg(device.quants[i])
                .arg(cpu.quants[i])
                .arg(device.scales[i / blockValues], 8, 16, QChar('0'))
                .arg(cpu.scales[i / blockValues], 8, 16, QChar('0'));
    }
    for (size_t b = 0; b < cpu.scales.size(); ++b) {
        if (device.scales[b] != cpu.scales[b])
            return QStringLiteral("scale of block %1: device %2 (bits %3), cpu %4 (bits %5)")
                .arg(b)
                .arg(double(std::bit_cast<float>(device.scales[b])), 0, 'g', 9)
                .arg(device.scales[b], 8, 16, QChar('0'))
                .arg(double(std::bit_cast<float>(cpu.scales[b])), 0, 'g', 9)
                .arg(cpu.scales[b], 8, 16, QChar('0'));
    }
    for (size_t s = 0; s < cpu.sums.size(); ++s) {
        if (device.sums[s] != cpu.sums[s])
            return QStringLiteral("%1 %2: device bits %3, cpu bits %4")
                .arg(superBlocks ? "group sum" : "block sum scale")
                .arg(s)
                .arg(device.sums[s], 8, 16, QChar('0'))
                .arg(cpu.sums[s], 8, 16, QChar('0'));
    }
    return {};
}

// Rows of n values (n a multiple of 256), never all zero, each a kind of input that tells drivers apart.
using RowMaker = std::function<std::vector<float>(size_t n, std::mt19937& random)>;

std::vector<float> uniformRow(size_t n, std::mt19937& random, float magnitude)
{
    std::uniform_real_distribution<float> uniform(-magnitude, magnitude);
    std::vector<float> x(n);
    for (float& v : x)
        v = uniform(random);
    return x;
}

// Every value an exact half after scaling: each 32 values hold ±127 * 2^e (so the inverse scale
// is ±2^-e exactly, for both formats) and the rest (k + 0.5) * 2^e.
std::vector<float> tiesRow(size_t n, std::mt19937& random)
{
    std::uniform_int_distribution<int> level(-127, 126), exponentOf(-20, 20);
    const float unit = std::ldexp(1.0f, exponentOf(random));
    std::vector<float> x(n);
    for (float& v : x)
        v = (float(level(random)) + 0.5f) * unit;
    for (size_t b = 0; b < n / 32; ++b)
        x[b * 32 + random() % 32] = (random() % 2 ? 127.0f : -127.0f) * unit;
    return x;
}

// A value v near half / inverse with v * inverse exactly half, and not so with the inverse one ulp
// up or down; 0 where none of the floats around half / inverse is.
float onQuotientBoundary(float half, float inverse)
{
    const float up = std::nextafter(inverse, 1e38f), down = std::nextafter(inverse, 0.0f);
    const float away = half > 0 ? 1e38f : -1e38f;
    float v = half / inverse;
    for (int k = 0; k < 4; ++k)
        v = std::nextafter(v, 0.0f);
    for (int k = 0; k < 9; ++k, v = std::nextafter(v, away)) {
        if (v * inverse == half && (v * up != half || v * down != half))
            return v;
    }
    return 0;
}

// Values whose product with the inverse scale (127 / amax, rounded) is exactly a half, k + 1/2,
// where the product with the inverse one ulp away is not: an inverse one ulp off (a division that
// is not correctly rounded, or 1 / (amax / 127)) moves their quants. Each super-block's 8 blocks
// share amax, so Q8_0's inverses and Q8_K's (of the same magnitude) meet the same halves.
std::vector<float> quotientBoundariesRow(size_t n, std::mt19937& random)
{
    std::uniform_real_distribution<float> significand(1, 2), unit(-1, 1);
    std::uniform_int_distribution<int> exponent(-20, 20), level(-126, 125);
    std::vector<float> x(n);
    for (size_t s = 0; s < n / 256; ++s) {
        const float amax = std::ldexp(significand(random), exponent(random)), inverse = 127.0f / amax;
        for (size_t i = 0; i < 256; ++i) {
            float v = 0;
            for (int tries = 0; tries < 20 && v == 0; ++tries)
                v = onQuotientBoundary(float(level(random)) + 0.5f, inverse);
            x[s * 256 + i] = v != 0 ? v : amax * unit(random);
        }
        for (size_t b = 0; b < 8; ++b)
            x[s * 256 + b * 32 + random() % 32] = random() % 2 ? amax : -amax;
    }
    return x;
}

// Blocks whose scale amax / 127 is exactly half way between two F16 values (normal and
// subnormal F16s): a rounding to F16 other than to nearest even, or a quotient one ulp off, shows.
std::vector<float> halfScaleTiesRow(size_t n, std::mt19937& random)
{
    std::uniform_real_distribution<float> unit(-1, 1);
    std::uniform_int_distribution<int> exponent(-24, 5), mantissa(0, 1023);
    std::vector<float> x(n);
    for (size_t b = 0; b < n / 32; ++b) {
        float amax = 0;
        while (amax == 0) {
            const int e = exponent(random);
            // A midpoint of the F16 grid at this exponent (below 2^-14 the subnormals' grid of 2^-24).
            const float tie = e < -14 ? std::ldexp(float(mantissa(random)) + 0.5f, -24)
                                      : std::ldexp(1024.0f + float(mantissa(random)) + 0.5f, e - 10);
            for (float c = std::nextafter(std::nextafter(tie * 127.0f, 0.0f), 0.0f), k = 0; k < 5;
                 ++k, c = std::nextafter(c, 1e38f)) {
                if (c / 127.0f == tie)
                    amax = c;
            }
        }
        for (size_t i = 0; i < 32; ++i)
            x[b * 32 + i] = amax * unit(random);
        x[b * 32 + random() % 32] = random() % 2 ? amax : -amax;
    }
    return x;
}

// Values spread over many binades, so the scales' quotients and F16 roundings meet every case.
std::vector<float> binadesRow(size_t n, std::mt19937& random)
{
    std::uniform_real_distribution<float> exponent(-30, 30), significand(1, 2);
    std::vector<float> x(n);
    for (float& v : x)
        v = (random() % 2 ? 1 : -1) * std::ldexp(significand(random), int(exponent(random)));
    return x;
}

// Each block's largest magnitude negative.
std::vector<float> negativeMaximumRow(size_t n, std::mt19937& random)
{
    std::vector<float> x = uniformRow(n, random, 1);
    std::uniform_real_distribution<float> peak(1.0f, 3.0f);
    for (size_t b = 0; b < n / 32; ++b)
        x[b * 32 + random() % 32] = -peak(random);
    return x;
}

// Subnormal values (which a flushing driver reads as zero) among normal ones: in a block of
// ordinary size they quantize to zero; in blocks near the smallest magnitude llama.cpp's
// quantization handles (127 / amax must not overflow: amax > 3.7e-37) they quantize to a few
// steps, and Q8_K's scale (1 / inverse) is itself subnormal.
std::vector<float> subnormalsRow(size_t n, std::mt19937& random, float magnitude)
{
    std::vector<float> x = uniformRow(n, random, magnitude);
    std::uniform_real_distribution<float> subnormal(-std::numeric_limits<float>::min(),
                                                    std::numeric_limits<float>::min());
    for (size_t i = 0; i < n; i += 1 + random() % 3)
        x[i] = subnormal(random);
    for (size_t b = 0; b < n / 32; ++b)
        x[b * 32 + random() % 32] = magnitude; // no block entirely subnormal
    return x;
}

const std::vector<std::pair<const char*, RowMaker>>& rowKinds()
{
    static const std::vector<std::pair<const char*, RowMaker>> kinds = {
        {"uniform", [](size_t n, std::mt19937& r) { return uniformRow(n, r, 1); }},
        {"ties", tiesRow},
        {"quotient boundaries", quotientBoundariesRow},
        {"F16 scale ties", halfScaleTiesRow},
        {"binades", binadesRow},
        {"negative maximum", negativeMaximumRow},
        {"huge", [](size_t n, std::mt19937& r) { return uniformRow(n, r, 3e37f); }},
        {"tiny", [](size_t n, std::mt19937& r) { return uniformRow(n, r, 1e-30f); }},
        {"subnormal F16 scales", [](size_t n, std::mt19937& r) { return uniformRow(n, r, 2e-3f); }},
        {"subnormals among ordinary values", [](size_t n, std::mt19937& r) { return subnormalsRow(n, r, 1); }},
        {"subnormals in tiny blocks", [](size_t n, std::mt19937& r) { return subnormalsRow(n, r, 1e-36f); }},
    };
    return kinds;
}

} // namespace

class TestVulkanRounding : public QObject {
    Q_OBJECT

private slots:
    void activationQuantizationMatchesCpu_data();
    void activationQuantizationMatchesCpu();
    void fusedFormsMatchCpu_data();
    void fusedFormsMatchCpu();
    void storeRoundsToHalfAsCpu();
};

void TestVulkanRounding::activationQuantizationMatchesCpu_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("superBlocks"); // 256-value blocks in a row of this many
    QTest::addColumn<bool>("q8K");
    // Q8_0: 8, 24, 72, 520 blocks; Q8_K: 1, 3, 9, 65 (65 and 72, 520 not multiples of the workgroup).
    for (size_t k = 0; k < rowKinds().size(); ++k) {
        for (int superBlocks : {1, 3, 9, 65}) {
            for (bool q8K : {false, true}) {
                QTest::addRow("%s, %d values, %s", rowKinds()[k].first, superBlocks * 256, q8K ? "Q8_K" : "Q8_0")
                    << int(k) << superBlocks << q8K;
            }
        }
    }
}

void TestVulkanRounding::activationQuantizationMatchesCpu()
{
    QFETCH(int, kind);
    QFETCH(int, superBlocks);
    QFETCH(bool, q8K);
    LATENT_REQUIRE_VULKAN_TEST_DEVICE(device);
    std::mt19937 random(uint32_t(kind * 1000 + superBlocks));
    const std::vector<float> x = rowKinds()[size_t(kind)].second(size_t(superBlocks) * 256, random);
    const Quantized cpu = quantizeOnCpu(x, q8K), ours = quantizeOnDevice(*device, x, q8K);
    const QString difference = firstDifference(ours, cpu, x, q8K);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestVulkanRounding::fusedFormsMatchCpu_data()
{
    QTest::addColumn<bool>("norm"); // rms_norm.comp; else elementwise.comp's SwiGLU, in place
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("rows");
    // Rows of 5 and 65 Q8_0 blocks (no Q8_K: not whole 256s), of 3 and 17 super-blocks (both
    // forms; 136 Q8_0 blocks, more than a workgroup), odd row counts.
    for (bool norm : {true, false})
        for (int cols : {160, 2080, 768, 4352})
            for (int rows : {1, 3, 5})
                QTest::addRow("%s %dx%d", norm ? "rms_norm" : "swiglu", rows, cols) << norm << cols << rows;
}

// The forms a fused dispatch writes beside its F32 output are the CPU's quantization of that
// output, byte for byte; and the output is the operation's (against a plain reference here).
void TestVulkanRounding::fusedFormsMatchCpu()
{
    QFETCH(bool, norm);
    QFETCH(int, cols);
    QFETCH(int, rows);
    LATENT_REQUIRE_VULKAN_TEST_DEVICE(device);
    std::mt19937 random(uint32_t(cols * 10 + rows));
    const size_t count = size_t(cols) * size_t(rows);
    const std::vector<float> a = uniformRow(count, random, 4), b = uniformRow(count, random, 2);
    const bool q8K = cols % 256 == 0;
    const uint32_t forms = q8K ? 3 : 1; // Q8_0, and Q8_K where the rows are whole super-blocks
    const vulkan::QuantizedActivationsLayout q8_0{32, count / 32}, superBlocks{256, q8K ? count / 256 : 0};
    auto x = device->buffer(count * sizeof(float), a.data()), weight = device->buffer(size_t(cols) * sizeof(float), b.data());
    auto quantized = device->buffer(q8_0.bytes() + superBlocks.bytes());
    const auto q8KWord = uint32_t(q8_0.bytes() / 4);
    std::unique_ptr<vulkan::Buffer> normOutput;
    const vulkan::Buffer* y = x.get(); // SwiGLU in place, as the models run it
    std::vector<float> expected(count);
    if (norm) {
        normOutput = device->buffer(count * sizeof(float));
        y = normOutput.get();
        const float eps = 1e-6f;
        struct {
            uint32_t cols;
            float eps;
            uint32_t xOffset, weightOffset, yOffset, rows, q8_0Offset, q8KOffset;
        } push{uint32_t(cols), eps, 0, 0, 0, uint32_t(rows), 0, q8KWord};
        device->recorder->dispatch(device->pipelines->get("rms_norm", 4, sizeof push, {kWorkgroup, forms}),
                                   {x.get(), weight.get(), y, quantized.get()}, &push, sizeof push, uint32_t(rows));
        for (size_t r = 0; r < size_t(rows); ++r) {
            double squares = 0;
            for (size_t i = 0; i < size_t(cols); ++i)
                squares += double(a[r * size_t(cols) + i]) * a[r * size_t(cols) + i];
            const double scale = 1 / std::sqrt(squares / cols + eps);
            for (size_t i = 0; i < size_t(cols); ++i)
                expected[r * size_t(cols) + i] = float(a[r * size_t(cols) + i] * scale * b[i]);
        }
    } else {
        auto up = device->buffer(count * sizeof(float), b.data());
        const uint32_t push[] = {uint32_t(count), 0, 0, 0, 0, q8KWord};
        const uint32_t group = 128, perInvocation = q8K ? 256 : 32;
        device->recorder->dispatch(device->pipelines->get("elementwise", 4, sizeof push, {group, 1, forms}),
                                   {x.get(), up.get(), y, quantized.get()}, push, sizeof push,
                                   uint32_t((count / perInvocation + group - 1) / group));
        device->recorder->submitAndWait(); // before `up` goes
        for (size_t i = 0; i < count; ++i)
            expected[i] = float(a[i] / (1 + std::exp(-double(a[i]))) * b[i]);
    }
    device->recorder->submitAndWait();
    std::vector<float> output(count);
    std::memcpy(output.data(), y->mapped(), count * sizeof(float));
    for (size_t i = 0; i < count; ++i)
        QVERIFY2(std::fabs(output[i] - expected[i]) <= 1e-5f * (1 + std::fabs(expected[i])),
                 qPrintable(QStringLiteral("value %1: %2, expected %3").arg(i).arg(output[i]).arg(expected[i])));
    const QString q8_0Difference = firstDifference(readQuantized(quantized->mapped(), count, false),
                                                   quantizeOnCpu(output, false), output, false);
    QVERIFY2(q8_0Difference.isEmpty(), qPrintable("Q8_0: " + q8_0Difference));
    if (q8K) {
        const QString q8KDifference = firstDifference(readQuantized(quantized->mapped() + q8_0.bytes(), count, true),
                                                      quantizeOnCpu(output, true), output, true);
        QVERIFY2(q8KDifference.isEmpty(), qPrintable("Q8_K: " + q8KDifference));
    }
}

// store.comp rounds F32 to the cache's F16 as the CPU's floatToHalf does (to nearest even): every
// F16 tie in each binade of F16 and among the subnormal F16s, just beside the ties, the overflow
// to infinity, F32 subnormals, and a million F32s spread over all bit patterns.
void TestVulkanRounding::storeRoundsToHalfAsCpu()
{
    LATENT_REQUIRE_VULKAN_TEST_DEVICE(device);
    std::vector<float> x;
    for (int e = -26; e <= 15; ++e) {
        for (uint32_t m : {0u, 1u, 2u, 3u, 1023u}) {
            // The F16 values' midpoints at this exponent: (1024 + m + 1/2) * 2^(e - 10), and beside them.
            const float tie = std::ldexp(1024.0f + float(m) + 0.5f, e - 10);
            for (float v : {tie, std::nextafter(tie, 0.0f), std::nextafter(tie, 1e30f)}) {
                x.push_back(v);
                x.push_back(-v);
            }
        }
    }
    for (float k : {0.0f, 1.0f, 2.0f, 511.0f, 1022.0f, 1023.0f}) { // subnormal F16 ties: (k + 1/2) * 2^-24
        const float tie = std::ldexp(k + 0.5f, -24);
        for (float v : {tie, std::nextafter(tie, 0.0f), std::nextafter(tie, 1.0f)}) {
            x.push_back(v);
            x.push_back(-v);
        }
    }
    for (float v : {65504.0f, 65519.0f, 65520.0f, 1e30f, 1e-40f, -1e-45f, 0.0f, -0.0f})
        x.push_back(v);
    for (uint32_t i = 0; i < (1u << 20); ++i) // and a sweep over every sign, exponent, infinities and NaNs
        x.push_back(std::bit_cast<float>(i * 4099u));
    if (x.size() % 2)
        x.push_back(1.0f);
    const uint32_t count = uint32_t(x.size());
    auto in = device->buffer(x.size() * sizeof(float), x.data());
    auto cache = device->buffer(x.size() * sizeof(uint16_t));
    const uint32_t firstPosition = 0;
    auto position = device->buffer(sizeof firstPosition, &firstPosition);
    const uint32_t push[] = {count, 0, 0, count, 0}; // one cache row of every value, at position 0
    device->recorder->dispatch(device->pipelines->get("store", 3, sizeof push, {256}),
                               {in.get(), cache.get(), position.get()}, push, sizeof push, (count / 2 + 255) / 256);
    device->recorder->submitAndWait();
    std::vector<uint16_t> halves(x.size());
    std::memcpy(halves.data(), cache->mapped(), halves.size() * sizeof(uint16_t));
    size_t i = 0;
    while (i < x.size() && halves[i] == floatToHalf(x[i]))
        ++i;
    if (i < x.size())
        QFAIL(qPrintable(QStringLiteral("%1 (bits %2) stored as F16 bits %3, the CPU's %4")
                             .arg(double(x[i]), 0, 'g', 9)
                             .arg(std::bit_cast<uint32_t>(x[i]), 8, 16, QChar('0'))
                             .arg(halves[i], 4, 16, QChar('0'))
                             .arg(floatToHalf(x[i]), 4, 16, QChar('0'))));
}

QTEST_GUILESS_MAIN(TestVulkanRounding)
#include "test_vulkan_rounding.moc"
