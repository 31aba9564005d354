// Every operation of a GPU backend (Vulkan as test_vulkan_ops, CUDA as test_cuda_ops; see
// tests/support/gpu_test_backend.h) against the CPU backend on the same random inputs, with shapes
// that are not multiples of the workgroup, tile or block sizes, and on Vulkan with subgroup and
// shared-memory reductions, and with weights split across buffers.
//
// Bounds, as max |gpu - cpu| / max |cpu| over a result (on Vulkan; CUDA's quantized products take
// kQuantizedProductBar, see gpu_test_backend.h):
//  - 1e-5 for F32/F16 weights and element-wise work: both sides compute in F32 from the same
//    values, only the order of the sums differs (a few ulps over at most ~4000 terms);
//  - 1e-5 for BF16 weights too: BF16 widens to F32 exactly;
//  - 1e-5 for quantized products: both quantize x to the same bits (to Q8_0 per 32 values, or
//    Q8_K per 256 for K-quants and IQ4_XS; test_vulkan_rounding checks the bits) and sum the same
//    integers per block into the same block terms; only the order of the float sums of block
//    terms differs (measured: below 1e-6);
//  - 1e-3 for the experts' products (moe): the down projection quantizes SwiGLU's output, whose
//    exp may differ by an ulp on the GPU, moving a value on a rounding boundary by one step;
//  - exact getRows for every type: both sides dequantize the same bytes with the same roundings;
//  - 2e-3 for attention (and MLA): query and weights are rounded to F16 on both sides, so one ulp of
//    difference before a rounding becomes one F16 step (~1e-3 relative) in a weight;
//  - routing: the same experts, weights within 1e-6 (exp may differ by a few ulps).

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/quant/quantize.h"
#include "tests/support/gpu_test_backend.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <random>

using namespace latent;
using gguf::TensorType;

namespace {

// The bytes a row of cols values of type takes.
uint64_t rowBytesOf(gguf::TensorType type, int64_t cols)
{
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
    return uint64_t(cols) / traits.blockValues * traits.blockBytes;
}

std::vector<float> randomValues(size_t n, uint32_t seed)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> values(n);
    for (float& v : values)
        v = uniform(random);
    return values;
}

double relativeError(const std::vector<float>& ours, const std::vector<float>& reference)
{
    double diff = 0, scale = 0;
    for (size_t i = 0; i < ours.size(); ++i) {
        diff = std::max(diff, double(std::fabs(ours[i] - reference[i])));
        scale = std::max(scale, double(std::fabs(reference[i])));
    }
    return diff / scale;
}

// Every weight type the GPU backends decode.
const std::vector<TensorType> kWeightTypes = {
    TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_1,
    TensorType::Q5_0, TensorType::Q5_1, TensorType::IQ4_NL, TensorType::Q2_K, TensorType::Q3_K,
    TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K, TensorType::IQ4_XS};

uint32_t blockValues(TensorType type)
{
    return gguf::tensorTypeTraits(type).blockValues;
}

// One weight matrix (rows of cols values of type) in a GGUF file, as both backends load it.
// A setup failure (a temporary folder not made, a file not written) is kept in `error` for the
// test to fail on: an exception out of a test function would end the whole suite.
class WeightFile {
public:
    WeightFile(TensorType type, int64_t cols, int64_t rows, uint32_t seed)
    {
        if (!dir_.isValid()) {
            error = "no temporary folder: " + dir_.errorString();
            return;
        }
        try {
            write(type, cols, rows, seed);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
    }
    Tensor on(Backend& backend, WeightUse use = WeightUse::Product) const
    {
        return backend.weight(*file_, *file_->findTensor("w"), use);
    }

    QString error; // empty when the file is ready

private:
    void write(TensorType type, int64_t cols, int64_t rows, uint32_t seed)
    {
        gguf::GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("llama"));
        const std::vector<float> values = randomValues(size_t(cols * rows), seed);
        const std::vector<uint8_t> bytes = type == TensorType::F32
                                               ? std::vector<uint8_t>(reinterpret_cast<const uint8_t*>(values.data()),
                                                                      reinterpret_cast<const uint8_t*>(values.data() + values.size()))
                                               : quant::quantize(type, values);
        writer.addTensor("w", type, {uint64_t(cols), uint64_t(rows)}, bytes);
        path_ = dir_.filePath("w.gguf").toStdString();
        writer.write(path_);
        file_ = std::make_unique<gguf::GgufFile>(gguf::GgufFile::open(path_));
    }

    QTemporaryDir dir_;
    std::string path_;
    std::unique_ptr<gguf::GgufFile> file_;
};

// Both backends, and F32 activations filled with the same values on each.
struct Pair {
    cpu::CpuBackend cpu{2};
    Backend* gpu;

    std::pair<Tensor, Tensor> activation(int64_t cols, int64_t rows, uint32_t seed, TensorType type = TensorType::F32)
    {
        const std::vector<float> values = randomValues(size_t(cols * rows), seed);
        Tensor a = cpu.allocate(type, cols, rows), b = gpu->allocate(type, cols, rows);
        cpu.upload(a, values);
        gpu->upload(b, values);
        return {a, b};
    }
    std::pair<Tensor, Tensor> zeros(int64_t cols, int64_t rows)
    {
        return {cpu.allocate(TensorType::F32, cols, rows), gpu->allocate(TensorType::F32, cols, rows)};
    }
    // The values of an I32 tensor (read() reads 4-byte values as F32; the bits are kept).
    static std::vector<int32_t> ids(Backend& backend, Tensor tensor)
    {
        tensor.type = TensorType::F32;
        std::vector<float> bits(size_t(tensor.cols * tensor.rows));
        backend.synchronize();
        backend.read(tensor, bits);
        std::vector<int32_t> values(bits.size());
        std::memcpy(values.data(), bits.data(), bits.size() * sizeof(float));
        return values;
    }
    double error(const Tensor& a, const Tensor& b)
    {
        std::vector<float> x(size_t(a.cols * a.rows)), y(x.size());
        cpu.synchronize();
        gpu->synchronize();
        cpu.read(a, x);
        gpu->read(b, y);
        return relativeError(y, x);
    }
};

const char* typeName(TensorType type)
{
    return gguf::tensorTypeName(type).data();
}

} // namespace

class GpuOpsTest : public QObject {
    Q_OBJECT

private slots:
    void matmul_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<int>("splitRows"); // rows per buffer (0: no split)
        // Phase 1's types on many shapes.
        for (TensorType type : {TensorType::F32, TensorType::F16, TensorType::Q8_0, TensorType::Q4_0}) {
            const bool quantized = type == TensorType::Q8_0 || type == TensorType::Q4_0;
            const std::vector<int> cols = quantized ? std::vector<int>{32, 96, 4160} : std::vector<int>{7, 96, 4160};
            for (int r : {1, 7, 33, 67})
                for (int c : cols)
                    for (int t : {1, 3, 17})
                        QTest::addRow("%s %dx%d t%d", typeName(type), r, c, t) << int(type) << r << c << t << true << 0;
        }
        // Every other type: rows across the tile, one block row and several (a row of 96 values is not
        // whole 256-value blocks), both reductions, weights split across buffers.
        for (TensorType type : kWeightTypes) {
            const int block = int(std::max<uint32_t>(blockValues(type), 32));
            const bool phaseOne = type == TensorType::F32 || type == TensorType::F16 || type == TensorType::Q8_0 ||
                                  type == TensorType::Q4_0;
            if (!phaseOne) {
                for (int r : {1, 7, 33})
                    for (int c : {block == 32 ? 96 : 256, block == 32 ? 256 : 768})
                        for (int t : {1, 17})
                            QTest::addRow("%s %dx%d t%d", typeName(type), r, c, t) << int(type) << r << c << t << true << 0;
            }
            // One token over rows of 2 blocks: fewer blocks than a row's invocations, several
            // workgroups of rows, the last one partly filled.
            QTest::addRow("%s 67x%d t1", typeName(type), 2 * block) << int(type) << 67 << 2 * block << 1 << true << 0;
            QTest::addRow("%s shared memory", typeName(type)) << int(type) << 33 << 3 * block << 17 << false << 0;
            QTest::addRow("%s shared memory t1", typeName(type)) << int(type) << 67 << 3 * block << 1 << false << 0;
            QTest::addRow("%s split", typeName(type)) << int(type) << 67 << 3 * block << 3 << true << 10;
        }
        // Prompts' tiled product (Vulkan: from 16 tokens on, tiles of 64 rows x 32 tokens): token counts
        // below, at and past the threshold and across tiles, rows across tiles, float rows not whole
        // runs of 32, weights split across buffers.
        for (TensorType type : kWeightTypes) {
            const int cols = blockValues(type) == 1 ? 100 : blockValues(type) == 256 ? 512 : 96;
            for (int t : {15, 16, 45})
                QTest::addRow("%s 130x%d t%d", typeName(type), cols, t) << int(type) << 130 << cols << t << true << 0;
            QTest::addRow("%s split t45", typeName(type)) << int(type) << 130 << cols << 45 << true << 50;
        }
    }

    void matmul()
    {
        QFETCH(int, type);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, tokens);
        QFETCH(bool, subgroups);
        QFETCH(int, splitRows);
        const auto t = TensorType(type);
        const uint64_t split = uint64_t(splitRows) * rowBytesOf(t, cols);
        LATENT_REQUIRE_GPU(gpu, .maxBufferBytes = split, .subgroups = subgroups);
        Pair p{.gpu = gpu.get()};
        const WeightFile file(t, cols, rows, 1);
        QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
        Tensor wc = file.on(p.cpu), wg = file.on(*p.gpu);
        auto [xc, xg] = p.activation(cols, tokens, 2);
        auto [yc, yg] = p.zeros(rows, tokens);
        p.cpu.matmul(yc, wc, xc);
        p.gpu->matmul(yg, wg, xg);
        const double error = p.error(yc, yg);
        qInfo("%s: relative error %.2e", QTest::currentDataTag(), error);
        const bool quantized = t != TensorType::F32 && t != TensorType::F16 && t != TensorType::BF16;
        QVERIFY2(error < (quantized ? test::kQuantizedProductBar : 1e-5), qPrintable(QString("relative error %1").arg(error)));
    }

    void getRows_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("splitRows");
        for (TensorType type : kWeightTypes) {
            QTest::addRow("%s", typeName(type)) << int(type) << 0;
            QTest::addRow("%s split", typeName(type)) << int(type) << 4;
        }
    }

    void getRows()
    {
        QFETCH(int, type);
        QFETCH(int, splitRows);
        const auto t = TensorType(type);
        const int cols = blockValues(t) == 256 ? 512 : 96;
        LATENT_REQUIRE_GPU(gpu, .maxBufferBytes = uint64_t(splitRows) * rowBytesOf(t, cols));
        Pair p{.gpu = gpu.get()};
        const WeightFile file(t, cols, 17, 3);
        QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
        Tensor tc = file.on(p.cpu), tg = file.on(*p.gpu);
        const std::vector<int32_t> ids = {16, 0, 5, 5, 11, 3, 8};
        auto [yc, yg] = p.zeros(cols, int64_t(ids.size()));
        p.cpu.getRows(yc, tc, ids);
        p.gpu->getRows(yg, tg, ids);
        QCOMPARE(p.error(yc, yg), 0.0); // the same conversion of the same bytes
    }

    // A type the shaders do not decode is refused at load, naming the tensor and its type.
    void otherTypesAreRefused()
    {
        QTemporaryDir dir;
        QVERIFY2(dir.isValid(), qPrintable(dir.errorString()));
        const std::string path = dir.filePath("iq2.gguf").toStdString();
        gguf::GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("llama"));
        const std::vector<uint8_t> bytes(gguf::tensorTypeTraits(TensorType::IQ2_XXS).blockBytes);
        writer.addTensor("blk.0.ffn_down.weight", TensorType::IQ2_XXS, {256, 1}, bytes);
        writer.write(path);
        const QString why = QString::fromStdString(test::unsupportedOnGpu(gguf::GgufFile::open(path)));
        QVERIFY2(why.contains(QString("tensor 'blk.0.ffn_down.weight' is stored as IQ2_XXS, which is not supported on %1")
                                  .arg(test::kGpuApiName)),
                 qPrintable(why));
    }

    void rmsNorm_data()
    {
        QTest::addColumn<bool>("subgroups");
        QTest::newRow("subgroups") << true;
        QTest::newRow("shared memory") << false;
    }

    void rmsNorm()
    {
        QFETCH(bool, subgroups);
        LATENT_REQUIRE_GPU(gpu, .subgroups = subgroups);
        Pair p{.gpu = gpu.get()};
        const WeightFile norm(TensorType::F32, 4160, 1, 4);
        QVERIFY2(norm.error.isEmpty(), qPrintable(norm.error));
        Tensor wc = norm.on(p.cpu), wg = norm.on(*p.gpu);
        auto [xc, xg] = p.activation(4160, 3, 5);
        auto [yc, yg] = p.zeros(4160, 3);
        p.cpu.rmsNorm(yc, xc, wc, 1e-6f);
        p.gpu->rmsNorm(yg, xg, wg, 1e-6f);
        QVERIFY(p.error(yc, yg) < 1e-5);
    }

    void addAndNorm_data()
    {
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("rows");
        QTest::addColumn<bool>("subgroups");
        for (int cols : {333, 4160})
            for (int rows : {1, 3, 17})
                for (bool subgroups : {true, false})
                    QTest::addRow("%d x %d, %s", rows, cols, subgroups ? "subgroups" : "shared memory")
                        << cols << rows << subgroups;
    }

    // x += addend, then the norm of x: both results as add() then rmsNorm() leave them on the CPU.
    void addAndNorm()
    {
        QFETCH(int, cols);
        QFETCH(int, rows);
        QFETCH(bool, subgroups);
        LATENT_REQUIRE_GPU(gpu, .subgroups = subgroups);
        Pair p{.gpu = gpu.get()};
        const WeightFile norm(TensorType::F32, cols, 1, 110);
        QVERIFY2(norm.error.isEmpty(), qPrintable(norm.error));
        Tensor wc = norm.on(p.cpu), wg = norm.on(*p.gpu);
        auto [xc, xg] = p.activation(cols, rows, 111);
        auto [ac, ag] = p.activation(cols, rows, 112);
        auto [yc, yg] = p.zeros(cols, rows);
        p.cpu.add(xc, xc, ac);
        p.cpu.rmsNorm(yc, xc, wc, 1e-6f);
        p.gpu->addAndNorm(xg, ag, yg, wg, 1e-6f);
        QCOMPARE(p.error(xc, xg), 0.0);
        QVERIFY(p.error(yc, yg) < 1e-5);
    }

    void ropeAndStore_data()
    {
        QTest::addColumn<int>("firstDim");
        QTest::addColumn<int>("ropeDims");
        QTest::addColumn<int>("firstPosition");
        QTest::newRow("whole heads, at 0") << 0 << 32 << 0;
        QTest::newRow("a part of each head (MLA's rotated key), at 37") << 8 << 16 << 37;
    }

    // Keys rotated and stored at firstPosition: the rotated keys and the cache's F16 bits as rope()
    // then store() leave them on the CPU, the cache's other rows untouched.
    void ropeAndStore()
    {
        QFETCH(int, firstDim);
        QFETCH(int, ropeDims);
        QFETCH(int, firstPosition);
        LATENT_REQUIRE_GPU(gpu);
        Pair p{.gpu = gpu.get()};
        const int64_t cols = 3 * 32, rows = 5, length = firstPosition + rows + 3;
        auto [xc, xg] = p.activation(cols, rows, 113);
        auto [cc, cg] = p.activation(cols, length, 114, TensorType::F16);
        std::vector<int32_t> positions(rows);
        for (int64_t t = 0; t < rows; ++t)
            positions[size_t(t)] = int32_t(firstPosition + t);
        const RopeParams params{.headDim = 32, .firstDim = firstDim, .ropeDims = ropeDims, .freqScale = 0.25f};
        p.cpu.rope(xc, positions, params);
        p.cpu.store(cc, xc, firstPosition);
        p.gpu->ropeAndStore(cg, xg, positions, params, firstPosition);
        QCOMPARE(p.error(xc, xg), 0.0);
        // The cache's F16 pairs, as 32-bit words.
        const auto words = [](Tensor cache) {
            cache.type = TensorType::F32;
            cache.cols /= 2;
            return cache;
        };
        QCOMPARE(Pair::ids(*p.gpu, words(cg)), Pair::ids(p.cpu, words(cc)));
    }

    void rope_data()
    {
        QTest::addColumn<int>("firstDim");
        QTest::addColumn<int>("ropeDims");
        QTest::addColumn<float>("yarnLow");
        QTest::addColumn<float>("yarnHigh");
        QTest::newRow("whole head") << 0 << 32 << 0.0f << 0.0f;
        QTest::newRow("offset part, YaRN") << 8 << 16 << 2.0f << 6.0f;
    }

    void rope()
    {
        QFETCH(int, firstDim);
        QFETCH(int, ropeDims);
        QFETCH(float, yarnLow);
        QFETCH(float, yarnHigh);
        LATENT_REQUIRE_GPU(gpu);
        Pair p{.gpu = gpu.get()};
        auto [xc, xg] = p.activation(3 * 32, 5, 6);
        const std::vector<int32_t> positions = {0, 1, 17, 300, 4000};
        const RopeParams params{.headDim = 32,
                                .firstDim = firstDim,
                                .ropeDims = ropeDims,
                                .freqBase = 10000,
                                .freqScale = 0.25f,
                                .yarnLow = yarnLow,
                                .yarnHigh = yarnHigh};
        p.cpu.rope(xc, positions, params);
        p.gpu->rope(xg, positions, params);
        QVERIFY(p.error(xc, xg) < 1e-6);
    }

    void elementwise()
    {
        LATENT_REQUIRE_GPU(gpu);
        Pair p{.gpu = gpu.get()};
        auto [ac, ag] = p.activation(333, 3, 7);
        auto [bc, bg] = p.activation(333, 3, 8);
        auto [yc, yg] = p.zeros(333, 3);
        p.cpu.swiglu(yc, ac, bc);
        p.gpu->swiglu(yg, ag, bg);
        QVERIFY(p.error(yc, yg) < 1e-5);
        p.cpu.add(ac, ac, bc); // in place, as the models add residuals
        p.gpu->add(ag, ag, bg);
        QVERIFY(p.error(ac, ag) < 1e-6);
    }

    void attention_data()
    {
        QTest::addColumn<int>("firstPosition");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("groupSize"); // query heads per key/value head
        QTest::addColumn<int>("headDim");
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<int>("splitKeys"); // VulkanBackendOptions::attentionSplitKeys
        // Tiles of up to 16 (token, query head) rows: batches that fill none, one or several
        // partly, decodes of one row or a group, and contexts of several chunks of keys.
        for (int group : {1, 4}) {
            for (int headDim : {40, 128}) {
                for (auto [first, tokens] : {std::pair{0, 1}, {0, 7}, {0, 17}, {5, 33}, {60, 3}, {150, 1}, {300, 1}, {300, 17}})
                    QTest::addRow("from %d, %d tokens, GQA %d, head %d", first, tokens, group, headDim)
                        << first << tokens << group << headDim << true << 0;
            }
            QTest::addRow("from 60, 3 tokens, GQA %d, shared memory", group) << 60 << 3 << group << 40 << false << 0;
            // The keys split between workgroups, 24 a split (dividing no length, nor a chunk):
            // decodes and small batches over 1 to 300 keys; and 2 keys in splits of one.
            for (auto [first, tokens] : {std::pair{0, 1}, {1, 1}, {62, 1}, {63, 1}, {64, 1}, {299, 1}, {0, 2}, {60, 5}, {295, 5}})
                QTest::addRow("from %d, %d tokens, GQA %d, split by 24", first, tokens, group)
                    << first << tokens << group << 128 << true << 24;
            QTest::addRow("from 1, 1 token, GQA %d, split by 1", group) << 1 << 1 << group << 40 << true << 1;
            QTest::addRow("from 60, 5 tokens, GQA %d, split by 24, shared memory", group)
                << 60 << 5 << group << 40 << false << 24;
        }
    }

    // store() of keys and values, then attention() over them.
    void attention()
    {
        QFETCH(int, firstPosition);
        QFETCH(int, tokens);
        QFETCH(int, groupSize);
        QFETCH(int, headDim);
        QFETCH(bool, subgroups);
        QFETCH(int, splitKeys);
        LATENT_REQUIRE_GPU(gpu, .subgroups = subgroups, .attentionSplitKeys = uint32_t(splitKeys));
        Pair p{.gpu = gpu.get()};
        const int kvHeads = 2, heads = kvHeads * groupSize;
        const int64_t length = firstPosition + tokens;
        Tensor kc = p.cpu.allocate(TensorType::F16, kvHeads * headDim, length + 2),
               kg = p.gpu->allocate(TensorType::F16, kvHeads * headDim, length + 2);
        Tensor vc = p.cpu.allocate(TensorType::F16, kvHeads * headDim, length + 2),
               vg = p.gpu->allocate(TensorType::F16, kvHeads * headDim, length + 2);
        // Earlier positions come in a first store, this batch's in a second, as in generation.
        for (auto [from, count, seed] : {std::tuple{0, firstPosition, 10}, {firstPosition, tokens, 20}}) {
            if (count == 0)
                continue;
            auto [xc, xg] = p.activation(kvHeads * headDim, count, uint32_t(seed));
            p.cpu.store(kc, xc, from);
            p.gpu->store(kg, xg, from);
            auto [zc, zg] = p.activation(kvHeads * headDim, count, uint32_t(seed + 1));
            p.cpu.store(vc, zc, from);
            p.gpu->store(vg, zg, from);
        }
        auto [qc, qg] = p.activation(heads * headDim, tokens, 30);
        auto [yc, yg] = p.zeros(heads * headDim, tokens);
        const AttentionParams params{.heads = heads,
                                     .kvHeads = kvHeads,
                                     .headDim = headDim,
                                     .firstPosition = firstPosition,
                                     .scale = 1.0f / std::sqrt(float(headDim)) * 3};
        p.cpu.attention(yc, qc, kc, vc, params);
        p.gpu->attention(yg, qg, kg, vg, params);
        const double error = p.error(yc, yg);
        QVERIFY2(error < 2e-3, qPrintable(QString("relative error %1").arg(error)));
    }

    void mlaAttention_data()
    {
        QTest::addColumn<int>("firstPosition");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("heads");
        QTest::addColumn<QList<int>>("dims"); // nope, rope, latent, value
        QTest::addColumn<int>("type");        // of W_UK and W_UV
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<int>("splitKeys"); // VulkanBackendOptions::attentionSplitKeys
        const QList<int> small{16, 8, 32, 16};
        // Lengths 1, 17 and 70, one query or a batch of 5.
        for (auto [first, tokens] : {std::pair{0, 1}, {16, 1}, {69, 1}, {0, 5}, {12, 5}, {65, 5}}) {
            for (TensorType type : {TensorType::F32, TensorType::F16})
                QTest::addRow("from %d, %d tokens, %s", first, tokens, typeName(type))
                    << first << tokens << 3 << small << int(type) << true << 0;
        }
        QTest::addRow("shared memory") << 12 << 5 << 2 << small << int(TensorType::F16) << false << 0;
        QTest::addRow("Q8_0") << 12 << 5 << 2 << QList<int>{32, 8, 64, 32} << int(TensorType::Q8_0) << true << 0;
        QTest::addRow("DeepSeek-V2 sizes") << 65 << 5 << 2 << QList<int>{128, 64, 512, 128} << int(TensorType::F16)
                                          << true << 0;
        // Tiles of 8 (token, head) pairs at this width: a decode of two tiles, a batch of 34.
        const QList<int> deepSeekV2{128, 64, 512, 128};
        for (auto [first, tokens] : {std::pair{300, 1}, {0, 17}})
            QTest::addRow("DeepSeek-V2 sizes, 16 heads, from %d, %d tokens", first, tokens)
                << first << tokens << 16 << deepSeekV2 << int(TensorType::F16) << true << 0;
        // The keys split between workgroups, 24 a split (dividing no length, nor a chunk): decodes
        // and a small batch over 1 to 300 keys.
        for (auto [first, tokens] : {std::pair{0, 1}, {1, 1}, {62, 1}, {63, 1}, {64, 1}, {299, 1}, {60, 5}})
            QTest::addRow("DeepSeek-V2 sizes, 16 heads, from %d, %d tokens, split by 24", first, tokens)
                << first << tokens << 16 << deepSeekV2 << int(TensorType::F16) << true << 24;
        QTest::addRow("from 12, 5 tokens, split by 5, shared memory")
            << 12 << 5 << 3 << small << int(TensorType::F16) << false << 5;
    }

    // store() of latents and rotated keys, then mlaAttention() over them.
    void mlaAttention()
    {
        QFETCH(int, firstPosition);
        QFETCH(int, tokens);
        QFETCH(int, heads);
        QFETCH(QList<int>, dims);
        QFETCH(int, type);
        QFETCH(bool, subgroups);
        QFETCH(int, splitKeys);
        LATENT_REQUIRE_GPU(gpu, .subgroups = subgroups, .attentionSplitKeys = uint32_t(splitKeys));
        Pair p{.gpu = gpu.get()};
        const int nope = dims[0], rope = dims[1], latentDim = dims[2], value = dims[3];
        const int64_t length = firstPosition + tokens;
        Tensor cc = p.cpu.allocate(TensorType::F16, latentDim, length + 2),
               cg = p.gpu->allocate(TensorType::F16, latentDim, length + 2);
        Tensor kc = p.cpu.allocate(TensorType::F16, rope, length + 2),
               kg = p.gpu->allocate(TensorType::F16, rope, length + 2);
        for (auto [from, count, seed] : {std::tuple{0, firstPosition, 40}, {firstPosition, tokens, 50}}) {
            if (count == 0)
                continue;
            auto [xc, xg] = p.activation(latentDim, count, uint32_t(seed));
            p.cpu.store(cc, xc, from);
            p.gpu->store(cg, xg, from);
            auto [zc, zg] = p.activation(rope, count, uint32_t(seed + 1));
            p.cpu.store(kc, zc, from);
            p.gpu->store(kg, zg, from);
        }
        const WeightFile keyUp(TensorType(type), nope, heads * latentDim, 60), valueUp(TensorType(type), latentDim, heads * value, 61);
        const Tensor kuc = keyUp.on(p.cpu, WeightUse::Fused), kug = keyUp.on(*p.gpu, WeightUse::Fused);
        const Tensor vuc = valueUp.on(p.cpu, WeightUse::Fused), vug = valueUp.on(*p.gpu, WeightUse::Fused);
        auto [qc, qg] = p.activation(heads * (nope + rope), tokens, 62);
        auto [yc, yg] = p.zeros(heads * value, tokens);
        const MlaParams params{.heads = heads,
                               .nopeDim = nope,
                               .ropeDim = rope,
                               .latentDim = latentDim,
                               .valueDim = value,
                               .firstPosition = firstPosition,
                               .scale = 1.0f / std::sqrt(float(nope + rope)) * 3};
        p.cpu.mlaAttention(yc, qc, cc, kc, kuc, vuc, params);
        p.gpu->mlaAttention(yg, qg, cg, kg, kug, vug, params);
        const double error = p.error(yc, yg);
        const bool quantized = TensorType(type) != TensorType::F32 && TensorType(type) != TensorType::F16;
        QVERIFY2(error < (quantized ? std::max(2e-3, test::kQuantizedProductBar) : 2e-3),
                 qPrintable(QString("relative error %1").arg(error)));
    }

    void route_data()
    {
        QTest::addColumn<bool>("sigmoid");
        QTest::addColumn<bool>("withBias");
        QTest::addColumn<int>("groups");
        QTest::addColumn<int>("groupsUsed");
        QTest::addColumn<bool>("normalize");
        QTest::addColumn<float>("scale");
        QTest::newRow("softmax (V2-Lite)") << false << false << 1 << 1 << false << 1.0f;
        QTest::newRow("softmax, groups (V2)") << false << false << 8 << 3 << false << 16.0f;
        QTest::newRow("softmax, normalized") << false << false << 4 << 2 << true << 1.0f;
        QTest::newRow("sigmoid, bias, groups (V3)") << true << true << 8 << 4 << true << 2.5f;
        QTest::newRow("sigmoid, bias") << true << true << 1 << 1 << true << 1.0f;
    }

    void route()
    {
        QFETCH(bool, sigmoid);
        QFETCH(bool, withBias);
        QFETCH(int, groups);
        QFETCH(int, groupsUsed);
        QFETCH(bool, normalize);
        QFETCH(float, scale);
        LATENT_REQUIRE_GPU(gpu);
        Pair p{.gpu = gpu.get()};
        const MoeRouting routing{.gating = sigmoid ? MoeRouting::Gating::Sigmoid : MoeRouting::Gating::Softmax,
                                 .experts = 64,
                                 .used = 6,
                                 .groups = groups,
                                 .groupsUsed = groupsUsed,
                                 .normalize = normalize,
                                 .scale = scale};
        const int64_t tokens = 7;
        // Uniform random logits: on 64 experts, their gaps (and the group scores') are far wider
        // than the few ulps by which exp may differ, so the choice cannot flip.
        auto [lc, lg] = p.activation(64, tokens, 70);
        auto [bc, bg] = p.activation(64, 1, 71);
        Tensor ic = p.cpu.allocate(TensorType::I32, 6, tokens), ig = p.gpu->allocate(TensorType::I32, 6, tokens);
        auto [wc, wg] = p.zeros(6, tokens);
        p.cpu.route(ic, wc, lc, withBias ? &bc : nullptr, routing);
        p.gpu->route(ig, wg, lg, withBias ? &bg : nullptr, routing);
        QVERIFY(p.error(wc, wg) < 1e-6);
        QCOMPARE(Pair::ids(*p.gpu, ig), Pair::ids(p.cpu, ic));
    }

    void moe_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("upType"); // of the up projections (x quantized for gate and up once when they read the same form)
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("splitRows"); // rows per buffer (0: no split)
        // 1 and 7 tokens: a product per (token, expert) pair; 37 (on Vulkan): pairs grouped by expert
        // into tiles of an expert's tokens (111 pairs, most experts' last tile partial).
        for (TensorType type : {TensorType::F32, TensorType::Q8_0, TensorType::Q4_K})
            for (int tokens : {1, 7, 37})
                QTest::addRow("%s, %d tokens", typeName(type), tokens) << int(type) << int(type) << tokens << 0;
        // Parts of 20 rows: experts of 32 rows straddle them.
        for (int tokens : {7, 37})
            QTest::addRow("Q8_0 split, %d tokens", tokens) << int(TensorType::Q8_0) << int(TensorType::Q8_0) << tokens << 20;
        // Gate and up reading x in different forms (Q8_K, Q8_0), and a float up beside quantized gate.
        for (int tokens : {7, 37}) {
            QTest::addRow("Q4_K gate, Q8_0 up, %d tokens", tokens) << int(TensorType::Q4_K) << int(TensorType::Q8_0) << tokens << 0;
            QTest::addRow("Q4_0 gate, F16 up, %d tokens", tokens - 2) << int(TensorType::Q4_0) << int(TensorType::F16) << tokens - 2 << 0;
        }
    }

    // route() then moe() on each backend, over 8 experts in one stack each for gate, up and down.
    void moe()
    {
        QFETCH(int, type);
        QFETCH(int, upType);
        QFETCH(int, tokens);
        QFETCH(int, splitRows);
        const auto t = TensorType(type);
        // K-quants' rows are whole 256-value blocks.
        const int64_t block = std::max<int64_t>(blockValues(t), 32), embedding = 2 * block, width = block, count = 8;
        LATENT_REQUIRE_GPU(gpu, .maxBufferBytes = uint64_t(splitRows) * rowBytesOf(t, embedding));
        Pair p{.gpu = gpu.get()};
        const WeightFile gate(t, embedding, count * width, 80), up(TensorType(upType), embedding, count * width, 81),
            down(t, width, count * embedding, 82);
        const auto experts = [&](Backend& backend) {
            return ExpertWeights{.gate = gate.on(backend), .up = up.on(backend), .down = down.on(backend), .count = count};
        };
        const ExpertWeights ec = experts(p.cpu), eg = experts(*p.gpu);
        const MoeRouting routing{.experts = int(count), .used = 3, .normalize = true};
        auto [lc, lg] = p.activation(count, tokens, 83);
        Tensor ic = p.cpu.allocate(TensorType::I32, 3, tokens), ig = p.gpu->allocate(TensorType::I32, 3, tokens);
        auto [wc, wg] = p.zeros(3, tokens);
        p.cpu.route(ic, wc, lc, nullptr, routing);
        p.gpu->route(ig, wg, lg, nullptr, routing);
        auto [xc, xg] = p.activation(embedding, tokens, 84);
        auto [yc, yg] = p.zeros(embedding, tokens);
        p.cpu.moe(yc, xc, ec, ic, wc);
        p.gpu->moe(yg, xg, eg, ig, wg);
        const double error = p.error(yc, yg);
        QVERIFY2(error < (t == TensorType::F32 ? 1e-5 : std::max(1e-3, test::kQuantizedProductBar)),
                 qPrintable(QString("relative error %1").arg(error)));
    }

    void normAndSwigluBeforeProducts_data()
    {
        QTest::addColumn<QList<int>>("types"); // of the norm's three products (q, k, v), then of down
        QTest::addColumn<int>("cols");         // the norm's width and SwiGLU's
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("quantizations"); // the first step's quantize dispatches: one per form
        const auto q4_0 = int(TensorType::Q4_0), q4K = int(TensorType::Q4_K), q6K = int(TensorType::Q6_K);
        QTest::addRow("Q4_0, 160 wide, 1 token") << QList<int>{q4_0, q4_0, q4_0, q4_0} << 160 << 1 << 2;
        QTest::addRow("Q4_0, 160 wide, 3 tokens") << QList<int>{q4_0, q4_0, q4_0, q4_0} << 160 << 3 << 2;
        QTest::addRow("K-quants, 512 wide") << QList<int>{q4K, q4K, q6K, q6K} << 512 << 5 << 2;
        QTest::addRow("Q4_0 and K-quants") << QList<int>{q4_0, q4K, q6K, q4_0} << 512 << 1 << 3;
    }

    // RMSNorm read by three products, and SwiGLU (in place, as FeedForward runs it) by the down
    // projection, twice over, as two decoding steps. On Vulkan the first step quantizes the
    // products' x itself, once per form for all three; from that the norm and SwiGLU learn to write
    // the forms beside their output, so the second step records no quantize dispatch, with the same
    // results bit for bit. Against the CPU, 1e-3: the norm's inverse square root and SwiGLU's exp may
    // differ by an ulp, moving a value on a rounding boundary by one quantization step (as in moe).
    void normAndSwigluBeforeProducts()
    {
        QFETCH(QList<int>, types);
        QFETCH(int, cols);
        QFETCH(int, tokens);
        QFETCH(int, quantizations);
        LATENT_REQUIRE_GPU(gpu);
        Pair p{.gpu = gpu.get()};
        const int64_t outputs = 33;
        const auto type = [&](qsizetype i) { return static_cast<TensorType>(types[i]); };
        const WeightFile norm(TensorType::F32, cols, 1, 100), q(type(0), cols, outputs, 101),
            k(type(1), cols, outputs, 102), v(type(2), cols, outputs, 103), down(type(3), cols, outputs, 104);
        for (const WeightFile* file : {&norm, &q, &k, &v, &down})
            QVERIFY2(file->error.isEmpty(), qPrintable(file->error));
        // The weights, loaded once: the norm is known by its weight from one step to the next.
        std::map<const Backend*, std::vector<Tensor>> weights; // norm, q, k, v, down
        for (Backend* backend : {static_cast<Backend*>(&p.cpu), p.gpu})
            for (const WeightFile* file : {&norm, &q, &k, &v, &down})
                weights[backend].push_back(file->on(*backend));
        std::vector<float> firstStep;
        for (int step = 0; step < 2; ++step) {
            auto [xc, xg] = p.activation(cols, tokens, 105);
            auto [gc, gg] = p.activation(cols, tokens, 106);
            auto [uc, ug] = p.activation(cols, tokens, 107);
            auto [nc, ng] = p.zeros(cols, tokens);
            std::vector<std::pair<Tensor, Tensor>> results;
            for (int i = 0; i < 4; ++i)
                results.push_back(p.zeros(outputs, tokens));
#ifndef LATENT_TEST_CUDA
            const uint64_t before = gpu->commandsRecorded();
#else
            Q_UNUSED(quantizations); // CUDA has no quantize dispatches to count
#endif
            for (Backend* backend : {static_cast<Backend*>(&p.cpu), p.gpu}) {
                const bool onCpu = backend == &p.cpu;
                Tensor& normed = onCpu ? nc : ng;
                Tensor &gate = onCpu ? gc : gg, &up = onCpu ? uc : ug;
                const std::vector<Tensor>& w = weights[backend];
                backend->rmsNorm(normed, onCpu ? xc : xg, w[0], 1e-6f);
                for (size_t i = 0; i < 3; ++i)
                    backend->matmul(onCpu ? results[i].first : results[i].second, w[1 + i], normed);
                backend->swiglu(gate, gate, up);
                backend->matmul(onCpu ? results[3].first : results[3].second, w[4], gate);
            }
#ifndef LATENT_TEST_CUDA
            // The norm, SwiGLU, the four products, and the first step's quantizations.
            QCOMPARE(gpu->commandsRecorded() - before, uint64_t(6 + (step == 0 ? quantizations : 0)));
#endif
            std::vector<float> values;
            for (auto& [cpuResult, gpuResult] : results) {
                const double error = p.error(cpuResult, gpuResult);
                QVERIFY2(error < 1e-3, qPrintable(QString("relative error %1").arg(error)));
                std::vector<float> read(size_t(outputs * tokens));
                p.gpu->read(gpuResult, read);
                values.insert(values.end(), read.begin(), read.end());
            }
            if (step == 0)
                firstStep = values;
            else
                QVERIFY(values == firstStep);
        }
    }

    // A tensor handed to the backend that did not make it is an error naming both backends, on
    // either side, never memory read as the other backend's kind.
    void tensorOfAnotherBackend()
    {
        LATENT_REQUIRE_GPU(gpu);
        Pair p{.gpu = gpu.get()};
        auto [xc, xg] = p.activation(64, 2, 90);
        auto [yc, yg] = p.zeros(64, 2);
        // The operation's error message, empty when it ran.
        const auto errorOf = [](const std::function<void()>& operation) {
            try {
                operation();
            } catch (const Error& error) {
                return QString(error.what());
            }
            return QString();
        };
        QCOMPARE(errorOf([&] { p.gpu->add(yg, xg, xc); }).section(';', 0, 0),
                 QString("%1 backend: a tensor of the cpu backend was handed to it").arg(test::kGpuBackendName));
        QCOMPARE(errorOf([&] { p.cpu.add(yc, xg, xc); }).section(';', 0, 0),
                 QString("cpu backend: a tensor of the %1 backend was handed to it").arg(test::kGpuBackendName));
        Tensor unallocated;
        unallocated.cols = 64;
        unallocated.rows = 2;
        QVERIFY(errorOf([&] { p.cpu.add(yc, unallocated, xc); }).startsWith("cpu backend: a tensor without storage"));
    }
};

QTEST_GUILESS_MAIN(GpuOpsTest)
#include "test_gpu_ops.moc"
