// The CPU backend's moe(), which runs the chosen experts' products together (one parallel loop over
// (expert, block of rows) for gate and up, one over blocks of output columns for down), against
// the per-expert computation it replaced, written here from the backend's own operations: each
// chosen expert in ascending order, matmul() over its tokens for gate and up, swiglu(), matmul()
// for down, and its weighted output added to every token's sum. The two must agree to the bit on
// every kernel table this processor runs (the interleaved types on AVX2 and AVX-512), at sizes
// that are not multiples of the kernels' groups of rows, with experts that no token chose, and
// with more (token, expert) rows than one pass of moe() holds. Then moeWithShared(), which runs
// the shared experts in the same loops, against moe() and their products one after the other.

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/backend/cpu/tensor_access.h"
#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/quant/quantize.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <memory>
#include <random>

using namespace latent;
using gguf::TensorType;

namespace {

constexpr int64_t kExperts = 7, kUsed = 3;

std::vector<float> randomValues(size_t n, uint32_t seed)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> values(n);
    for (float& v : values)
        v = uniform(random);
    return values;
}

// The experts' three matrices in one GGUF file, each as the models store them: one tensor of
// shape [cols, rows, experts].
class ExpertFile {
public:
    ExpertFile(TensorType gateUpType, TensorType downType, int64_t embedding, int64_t feedForward)
    {
        gguf::GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("deepseek2"));
        add(writer, "gate", gateUpType, embedding, feedForward, 1);
        add(writer, "up", gateUpType, embedding, feedForward, 2);
        add(writer, "down", downType, feedForward, embedding, 3);
        // The shared experts: one feed-forward twice as wide (rows that are not whole blocks of
        // moe's loops where feedForward is not).
        add(writer, "shared_gate", gateUpType, embedding, 2 * feedForward, 4, 1);
        add(writer, "shared_up", gateUpType, embedding, 2 * feedForward, 5, 1);
        add(writer, "shared_down", downType, 2 * feedForward, embedding, 6, 1);
        const std::string path = dir_.filePath("experts.gguf").toStdString();
        writer.write(path);
        file_ = std::make_unique<gguf::GgufFile>(gguf::GgufFile::open(path));
    }

    ExpertWeights on(Backend& backend) const
    {
        return {.gate = weight(backend, "gate"),
                .up = weight(backend, "up"),
                .down = weight(backend, "down"),
                .count = kExperts};
    }

    SharedExperts sharedOn(Backend& backend) const
    {
        return {.gate = weight(backend, "shared_gate"), .up = weight(backend, "shared_up"),
                .down = weight(backend, "shared_down")};
    }

private:
    void add(gguf::GgufWriter& writer, const std::string& name, TensorType type, int64_t cols, int64_t rows,
             uint32_t seed, int64_t count = kExperts)
    {
        const std::vector<float> values = randomValues(size_t(cols * rows * count), seed);
        std::vector<uint8_t>& bytes = bytes_.emplace_back(
            type == TensorType::F32 ? std::vector<uint8_t>(reinterpret_cast<const uint8_t*>(values.data()),
                                                           reinterpret_cast<const uint8_t*>(values.data() + values.size()))
                                    : quant::quantize(type, values));
        if (count == 1)
            writer.addTensor(name, type, {uint64_t(cols), uint64_t(rows)}, bytes);
        else
            writer.addTensor(name, type, {uint64_t(cols), uint64_t(rows), uint64_t(count)}, bytes);
    }
    Tensor weight(Backend& backend, const std::string& name) const
    {
        return backend.weight(*file_, *file_->findTensor(name), WeightUse::Product);
    }

    QTemporaryDir dir_;
    std::vector<std::vector<uint8_t>> bytes_;
    std::unique_ptr<gguf::GgufFile> file_;
};

// Each token's kUsed distinct experts, in a random order (as routing ranks them), and weights.
struct Routing {
    std::vector<int32_t> ids;
    std::vector<float> weights;
};

Routing randomRouting(int64_t tokens, uint32_t seed)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> weight(0.05f, 1.0f);
    Routing routing;
    for (int64_t t = 0; t < tokens; ++t) {
        std::vector<int32_t> experts(kExperts);
        for (int32_t e = 0; e < kExperts; ++e)
            experts[size_t(e)] = e;
        std::shuffle(experts.begin(), experts.end(), random);
        for (int64_t k = 0; k < kUsed; ++k) {
            routing.ids.push_back(experts[size_t(k)]);
            routing.weights.push_back(weight(random));
        }
    }
    return routing;
}

std::vector<float> valuesOf(Backend& backend, const Tensor& tensor)
{
    std::vector<float> values(size_t(tensor.cols * tensor.rows));
    backend.read(tensor, values);
    return values;
}

// The per-expert computation: out (tokens rows of embedding values).
std::vector<float> perExpertMoe(cpu::CpuBackend& backend, const std::vector<float>& x, const ExpertWeights& experts,
                                const Routing& routing, int64_t tokens)
{
    const int64_t embedding = experts.gate.cols, feedForward = experts.feedForward();
    std::vector<float> out(x.size(), 0.0f);
    for (int32_t e = 0; e < kExperts; ++e) {
        std::vector<std::pair<int64_t, float>> assigned;
        for (int64_t t = 0; t < tokens; ++t)
            for (int64_t k = 0; k < kUsed; ++k)
                if (routing.ids[size_t(t * kUsed + k)] == e)
                    assigned.emplace_back(t, routing.weights[size_t(t * kUsed + k)]);
        const auto m = int64_t(assigned.size());
        if (m == 0)
            continue;
        std::vector<float> inputValues;
        for (const auto& [t, weight] : assigned)
            inputValues.insert(inputValues.end(), x.begin() + t * embedding, x.begin() + (t + 1) * embedding);
        Tensor input = backend.allocate(TensorType::F32, embedding, m);
        backend.upload(input, inputValues);
        Tensor gate = backend.allocate(TensorType::F32, feedForward, m), up = backend.allocate(TensorType::F32, feedForward, m);
        Tensor down = backend.allocate(TensorType::F32, embedding, m);
        backend.matmul(gate, experts.gateOf(e), input);
        backend.matmul(up, experts.upOf(e), input);
        backend.swiglu(gate, gate, up);
        backend.matmul(down, experts.downOf(e), gate);
        const std::vector<float> expertResult = valuesOf(backend, down);
        for (int64_t i = 0; i < m; ++i) {
            const auto [t, weight] = assigned[size_t(i)];
            for (int64_t c = 0; c < embedding; ++c)
                out[size_t(t * embedding + c)] += weight * expertResult[size_t(i * embedding + c)];
        }
    }
    return out;
}

// moe(), or with shared experts moeWithShared(): the CPU's, or with asDefault the Backend's (moe,
// then the shared feed-forward's products and add, one after the other).
std::vector<float> backendMoe(cpu::CpuBackend& backend, const std::vector<float>& x, const ExpertWeights& experts,
                              const Routing& routing, int64_t tokens, const SharedExperts* shared = nullptr,
                              bool asDefault = false)
{
    const int64_t embedding = experts.gate.cols;
    Tensor input = backend.allocate(TensorType::F32, embedding, tokens);
    backend.upload(input, x);
    Tensor ids = backend.allocate(TensorType::I32, kUsed, tokens);
    std::memcpy(cpu::rowPointer(ids, 0), routing.ids.data(), routing.ids.size() * sizeof(int32_t));
    Tensor weights = backend.allocate(TensorType::F32, kUsed, tokens);
    backend.upload(weights, routing.weights);
    Tensor out = backend.allocate(TensorType::F32, embedding, tokens);
    if (!shared) {
        backend.moe(out, input, experts, ids, weights);
        return valuesOf(backend, out);
    }
    const SharedExpertsScratch scratch{.gate = backend.allocate(TensorType::F32, shared->gate.rows, tokens),
                                       .up = backend.allocate(TensorType::F32, shared->gate.rows, tokens),
                                       .out = backend.allocate(TensorType::F32, embedding, tokens)};
    if (asDefault)
        backend.Backend::moeWithShared(out, input, experts, ids, weights, *shared, scratch);
    else
        backend.moeWithShared(out, input, experts, ids, weights, *shared, scratch);
    return valuesOf(backend, out);
}

// The same bits value by value; else a failure naming the table, the value and its token, and
// what `expected` was (its `source`).
void compareBits(const std::vector<float>& actual, const std::vector<float>& expected, const cpu::DotKernels& table,
                 int64_t embedding, const char* source)
{
    QCOMPARE(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
        if (std::memcmp(&actual[i], &expected[i], sizeof(float)) != 0)
            QFAIL(qPrintable(QStringLiteral("%1 kernels: value %2 (token %3) is %4, %5 %6")
                                 .arg(QString::fromUtf8(table.name.data(), int(table.name.size())))
                                 .arg(i)
                                 .arg(i / size_t(embedding))
                                 .arg(double(actual[i]), 0, 'g', 9)
                                 .arg(QString::fromUtf8(source))
                                 .arg(double(expected[i]), 0, 'g', 9)));
    }
}

} // namespace

class CpuMoeTest : public QObject {
    Q_OBJECT

private slots:
    void sameAsPerExpert_data()
    {
        QTest::addColumn<int>("gateUpType");
        QTest::addColumn<int>("downType");
        QTest::addColumn<int>("embedding");
        QTest::addColumn<int>("feedForward");
        QTest::addColumn<int>("tokens");
        struct Shape {
            const char* name;
            TensorType gateUp, down;
            int embedding, feedForward;
        };
        // Rows of 160 interleave (Q4_0, Q5_0, Q8_0, Q4_K, Q6_K on AVX2 and AVX-512) and end on
        // half a block of moe's rows; rows of 75 and 37 end inside the block kernels' groups of 8
        // (their products then have F32 on the side whose columns they are, the only type without
        // blocks).
        const Shape shapes[] = {
            {"Q4_0", TensorType::Q4_0, TensorType::Q4_0, 64, 160},
            {"Q8_0", TensorType::Q8_0, TensorType::Q8_0, 64, 160},
            {"Q5_0", TensorType::Q5_0, TensorType::Q5_0, 96, 160},
            {"Q4_K", TensorType::Q4_K, TensorType::Q4_K, 256, 256},
            {"Q4_K, Q8_0 down", TensorType::Q4_K, TensorType::Q8_0, 256, 224},
            {"Q4_K 3 super-blocks, Q6_K down", TensorType::Q4_K, TensorType::Q6_K, 768, 256},
            {"Q4_K 3 super-blocks, Q5_0 down", TensorType::Q4_K, TensorType::Q5_0, 768, 160},
            {"Q4_0, ff 75", TensorType::Q4_0, TensorType::F32, 64, 75},
            {"Q8_0, ff 75", TensorType::Q8_0, TensorType::F32, 64, 75},
            {"Q4_K, ff 75", TensorType::Q4_K, TensorType::F32, 256, 75},
            {"F32, embedding 37, ff 75", TensorType::F32, TensorType::F32, 37, 75},
        };
        for (const Shape& shape : shapes)
            for (int tokens : {1, 2, 5, 40, 200})
                QTest::addRow("%s, %d tokens", shape.name, tokens)
                    << int(shape.gateUp) << int(shape.down) << shape.embedding << shape.feedForward << tokens;
    }

    void sameAsPerExpert()
    {
        QFETCH(int, gateUpType);
        QFETCH(int, downType);
        QFETCH(int, embedding);
        QFETCH(int, feedForward);
        QFETCH(int, tokens);
        const ExpertFile file(TensorType(gateUpType), TensorType(downType), embedding, feedForward);
        const std::vector<float> x = randomValues(size_t(embedding * tokens), 4);
        const Routing routing = randomRouting(tokens, 5);
        for (const cpu::DotKernels* table : cpu::supportedKernels()) {
            cpu::CpuBackend backend(3, *table);
            const ExpertWeights experts = file.on(backend);
            const std::vector<float> expected = perExpertMoe(backend, x, experts, routing, tokens);
            compareBits(backendMoe(backend, x, experts, routing, tokens), expected, *table, embedding, "per expert");
        }
    }

    // The shared experts in moe's loops (the CPU's moeWithShared) against moe() and then their
    // products and add(), one after the other, as every other backend runs them by default.
    void withSharedExperts_data() { sameAsPerExpert_data(); }

    void withSharedExperts()
    {
        QFETCH(int, gateUpType);
        QFETCH(int, downType);
        QFETCH(int, embedding);
        QFETCH(int, feedForward);
        QFETCH(int, tokens);
        const ExpertFile file(TensorType(gateUpType), TensorType(downType), embedding, feedForward);
        const std::vector<float> x = randomValues(size_t(embedding * tokens), 8);
        const Routing routing = randomRouting(tokens, 9);
        for (const cpu::DotKernels* table : cpu::supportedKernels()) {
            cpu::CpuBackend backend(3, *table);
            const ExpertWeights experts = file.on(backend);
            const SharedExperts shared = file.sharedOn(backend);
            const std::vector<float> expected = backendMoe(backend, x, experts, routing, tokens, &shared, true);
            const std::vector<float> actual = backendMoe(backend, x, experts, routing, tokens, &shared);
            const std::vector<float> routedOnly = backendMoe(backend, x, experts, routing, tokens);
            QVERIFY2(actual != routedOnly, "the shared experts added nothing");
            compareBits(actual, expected, *table, embedding, "one after the other");
        }
    }

    // A bad expert id is refused with the operation named, before anything is computed.
    void refusesAnExpertOutOfRange()
    {
        const ExpertFile file(TensorType::Q8_0, TensorType::Q8_0, 64, 32);
        cpu::CpuBackend backend(2);
        const ExpertWeights experts = file.on(backend);
        Routing routing = randomRouting(2, 6);
        routing.ids[4] = int32_t(kExperts);
        try {
            backendMoe(backend, randomValues(2 * 64, 7), experts, routing, 2);
            QFAIL("an expert id out of range was accepted");
        } catch (const std::exception& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("moe: an expert id is out of range"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(CpuMoeTest)
#include "test_cpu_moe.moc"
