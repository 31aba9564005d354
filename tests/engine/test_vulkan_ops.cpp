// Every operation of the Vulkan backend against the CPU backend on the same random inputs, with
// shapes that are not multiples of the workgroup, tile or block sizes, with subgroup and
// shared-memory reductions, and with weights split across buffers.
//
// Bounds, as max |vulkan - cpu| / max |cpu| over a result:
//  - 1e-5 for F32/F16 weights and element-wise work: both sides compute in F32 from the same
//    values, only the order of the sums differs (a few ulps over at most ~4000 terms);
//  - 1e-3 for Q8_0/Q4_0 products: both quantize x to Q8_0 and sum integers, but 1 / scale may
//    differ by an ulp on the GPU, moving a value that lies on a rounding boundary by one step;
//  - 2e-3 for attention: query and weights are rounded to F16 on both sides, so one ulp of
//    difference before a rounding becomes one F16 step (~1e-3 relative) in a weight.

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/quant/quantize.h"
#include "tests/support/vulkan_test_backend.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace latent;
using gguf::TensorType;

namespace {

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

// One weight matrix (rows of cols values of type) in a GGUF file, as both backends load it.
class WeightFile {
public:
    WeightFile(TensorType type, int64_t cols, int64_t rows, uint32_t seed)
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
    Tensor on(Backend& backend) const { return backend.weight(*file_, *file_->findTensor("w"), WeightUse::Product); }

private:
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

class VulkanOpsTest : public QObject {
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
        for (TensorType type : {TensorType::F32, TensorType::F16, TensorType::Q8_0, TensorType::Q4_0}) {
            const bool quantized = type == TensorType::Q8_0 || type == TensorType::Q4_0;
            const std::vector<int> cols = quantized ? std::vector<int>{32, 96, 4160} : std::vector<int>{7, 96, 4160};
            for (int r : {1, 7, 33, 67})
                for (int c : cols)
                    for (int t : {1, 3, 17})
                        QTest::addRow("%s %dx%d t%d", typeName(type), r, c, t) << int(type) << r << c << t << true << 0;
            QTest::addRow("%s shared memory", typeName(type)) << int(type) << 33 << 96 << 17 << false << 0;
            QTest::addRow("%s shared memory t1", typeName(type)) << int(type) << 67 << 96 << 1 << false << 0;
            QTest::addRow("%s split", typeName(type)) << int(type) << 67 << 96 << 3 << true << 10;
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
        const uint64_t split = uint64_t(splitRows) * Tensor{t, cols, 1}.rowBytes();
        LATENT_REQUIRE_VULKAN(vulkan, .maxBufferBytes = split, .subgroups = subgroups);
        Pair p{.gpu = vulkan.get()};
        const WeightFile file(t, cols, rows, 1);
        Tensor wc = file.on(p.cpu), wg = file.on(*p.gpu);
        auto [xc, xg] = p.activation(cols, tokens, 2);
        auto [yc, yg] = p.zeros(rows, tokens);
        p.cpu.matmul(yc, wc, xc);
        p.gpu->matmul(yg, wg, xg);
        const double error = p.error(yc, yg);
        const bool quantized = t == TensorType::Q8_0 || t == TensorType::Q4_0;
        QVERIFY2(error < (quantized ? 1e-3 : 1e-5), qPrintable(QString("relative error %1").arg(error)));
    }

    void getRows_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("splitRows");
        for (TensorType type : {TensorType::F32, TensorType::F16, TensorType::Q8_0, TensorType::Q4_0}) {
            QTest::addRow("%s", typeName(type)) << int(type) << 0;
            QTest::addRow("%s split", typeName(type)) << int(type) << 4;
        }
    }

    void getRows()
    {
        QFETCH(int, type);
        QFETCH(int, splitRows);
        const auto t = TensorType(type);
        LATENT_REQUIRE_VULKAN(vulkan, .maxBufferBytes = uint64_t(splitRows) * Tensor{t, 96, 1}.rowBytes());
        Pair p{.gpu = vulkan.get()};
        const WeightFile file(t, 96, 17, 3);
        Tensor tc = file.on(p.cpu), tg = file.on(*p.gpu);
        const std::vector<int32_t> ids = {16, 0, 5, 5, 11, 3, 8};
        auto [yc, yg] = p.zeros(96, int64_t(ids.size()));
        p.cpu.getRows(yc, tc, ids);
        p.gpu->getRows(yg, tg, ids);
        QCOMPARE(p.error(yc, yg), 0.0); // the same conversion of the same bytes
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
        LATENT_REQUIRE_VULKAN(vulkan, .subgroups = subgroups);
        Pair p{.gpu = vulkan.get()};
        const WeightFile norm(TensorType::F32, 4160, 1, 4);
        Tensor wc = norm.on(p.cpu), wg = norm.on(*p.gpu);
        auto [xc, xg] = p.activation(4160, 3, 5);
        auto [yc, yg] = p.zeros(4160, 3);
        p.cpu.rmsNorm(yc, xc, wc, 1e-6f);
        p.gpu->rmsNorm(yg, xg, wg, 1e-6f);
        QVERIFY(p.error(yc, yg) < 1e-5);
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
        LATENT_REQUIRE_VULKAN(vulkan);
        Pair p{.gpu = vulkan.get()};
        auto [xc, xg] = p.activation(3 * 32, 5, 6);
        const std::vector<int32_t> positions = {0, 1, 17, 300, 4000};
        const RopeParams params{32, firstDim, ropeDims, 10000, 0.25f, yarnLow, yarnHigh};
        p.cpu.rope(xc, positions, params);
        p.gpu->rope(xg, positions, params);
        QVERIFY(p.error(xc, xg) < 1e-6);
    }

    void elementwise()
    {
        LATENT_REQUIRE_VULKAN(vulkan);
        Pair p{.gpu = vulkan.get()};
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
        QTest::addColumn<bool>("subgroups");
        for (int group : {1, 4}) {
            for (auto [first, tokens] : {std::pair{0, 1}, {0, 17}, {60, 3}, {150, 1}}) {
                QTest::addRow("from %d, %d tokens, GQA %d", first, tokens, group) << first << tokens << group << true;
                QTest::addRow("from %d, %d tokens, GQA %d, shared memory", first, tokens, group)
                    << first << tokens << group << false;
            }
        }
    }

    // store() of keys and values, then attention() over them.
    void attention()
    {
        QFETCH(int, firstPosition);
        QFETCH(int, tokens);
        QFETCH(int, groupSize);
        QFETCH(bool, subgroups);
        LATENT_REQUIRE_VULKAN(vulkan, .subgroups = subgroups);
        Pair p{.gpu = vulkan.get()};
        const int kvHeads = 2, heads = kvHeads * groupSize, headDim = 40;
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
        const AttentionParams params{heads, kvHeads, headDim, firstPosition, 1.0f / std::sqrt(float(headDim)) * 3};
        p.cpu.attention(yc, qc, kc, vc, params);
        p.gpu->attention(yg, qg, kg, vg, params);
        const double error = p.error(yc, yg);
        QVERIFY2(error < 2e-3, qPrintable(QString("relative error %1").arg(error)));
    }

    void phaseTwoOperationsSayso()
    {
        LATENT_REQUIRE_VULKAN(vulkan);
        Tensor t = vulkan->allocate(TensorType::F32, 4, 1);
        try {
            vulkan->route(t, t, t, nullptr, {});
            QFAIL("expected an error");
        } catch (const Error& error) {
            QVERIFY(QString(error.what()).contains("not supported on Vulkan yet (phase 1): use --backend cpu"));
        }
    }
};

QTEST_GUILESS_MAIN(VulkanOpsTest)
#include "test_vulkan_ops.moc"
