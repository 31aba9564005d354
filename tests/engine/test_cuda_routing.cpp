// The CUDA kernel's routing (kernels/expert_routing.cuh, the code its blocks run) against the CPU
// backend's route(), run here on the host by one thread: the same experts in the same order and the
// same weights to the bit, for softmax and sigmoid gating, with and without groups and the
// selection bias, on random logits and on logits full of exact ties (experts, and whole groups,
// scoring alike), where only the tie rules decide. Built without CUDA: no GPU is needed.

#include "kernels/expert_routing.cuh"

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/backend/cpu/tensor_access.h"

#include <QTest>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

using namespace latent;
using gguf::TensorType;

namespace {

// routeToken's team on the host: one worker taking every index in order, adding in ascending
// order as the CPU backend does.
struct SerialTeam {
    template <class F>
    void forEach(int n, F f) const
    {
        for (int i = 0; i < n; ++i)
            f(i);
    }
    template <class F>
    float maximum(int n, F f) const
    {
        float value = f(0);
        for (int i = 1; i < n; ++i)
            value = std::max(value, f(i));
        return value;
    }
    template <class F>
    float sum(int n, F f) const
    {
        float value = 0.0f;
        for (int i = 0; i < n; ++i)
            value += f(i);
        return value;
    }
    void sync() const {}
};

struct Routed {
    std::vector<int32_t> ids;
    std::vector<float> weights;
};

Routed routeOnHost(const std::vector<float>& logits, const std::vector<float>* bias, const cuda::Routing& r,
                   int tokens)
{
    std::vector<float> probability(size_t(r.experts)), selection(size_t(r.experts)), groupScores(size_t(r.groups)),
        chosen(size_t(r.used));
    const cuda::RoutingScratch scratch{probability.data(), selection.data(), groupScores.data(), chosen.data()};
    Routed routed{std::vector<int32_t>(size_t(tokens * r.used)), std::vector<float>(size_t(tokens * r.used))};
    SerialTeam team;
    for (int t = 0; t < tokens; ++t)
        cuda::routeToken(team, r, logits.data() + t * r.experts, bias ? bias->data() : nullptr, scratch,
                         routed.ids.data() + t * r.used, routed.weights.data() + t * r.used);
    return routed;
}

Routed routeOnCpu(const std::vector<float>& logits, const std::vector<float>* bias, const cuda::Routing& r,
                  int tokens)
{
    cpu::CpuBackend backend(1);
    Tensor logitsTensor = backend.allocate(TensorType::F32, r.experts, tokens);
    backend.upload(logitsTensor, logits);
    Tensor biasTensor;
    if (bias) {
        biasTensor = backend.allocate(TensorType::F32, r.experts, 1);
        backend.upload(biasTensor, *bias);
    }
    Tensor ids = backend.allocate(TensorType::I32, r.used, tokens);
    Tensor weights = backend.allocate(TensorType::F32, r.used, tokens);
    const MoeRouting routing{.gating = r.sigmoid ? MoeRouting::Gating::Sigmoid : MoeRouting::Gating::Softmax,
                             .experts = r.experts,
                             .used = r.used,
                             .groups = r.groups,
                             .groupsUsed = r.groupsUsed,
                             .normalize = r.normalize,
                             .scale = r.scale};
    backend.route(ids, weights, logitsTensor, bias ? &biasTensor : nullptr, routing);
    Routed routed{std::vector<int32_t>(size_t(tokens * r.used)), std::vector<float>(size_t(tokens * r.used))};
    std::memcpy(routed.ids.data(), cpu::rowPointer(ids, 0), routed.ids.size() * sizeof(int32_t));
    backend.read(weights, routed.weights);
    return routed;
}

// count values: uniform in [low, high), or (ties) one of `levels` evenly spaced values there, so
// that many are exactly equal.
std::vector<float> randomValues(size_t count, float low, float high, int levels, std::mt19937& random)
{
    std::uniform_real_distribution<float> uniform(low, high);
    std::uniform_int_distribution<int> level(0, levels - 1);
    std::vector<float> values(count);
    for (float& v : values)
        v = levels > 0 ? low + (high - low) * float(level(random)) / float(levels) : uniform(random);
    return values;
}

} // namespace

class CudaRoutingTest : public QObject {
    Q_OBJECT

private slots:
    void sameAsCpu_data()
    {
        QTest::addColumn<bool>("sigmoid");
        QTest::addColumn<bool>("withBias");
        QTest::addColumn<int>("experts");
        QTest::addColumn<int>("used");
        QTest::addColumn<int>("groups");
        QTest::addColumn<int>("groupsUsed");
        QTest::addColumn<bool>("normalize");
        QTest::addColumn<float>("scale");
        QTest::addColumn<int>("levels"); // 0: continuous logits; else that many values, full of ties
        struct Case {
            const char* name;
            bool sigmoid, withBias;
            int experts, used, groups, groupsUsed;
            bool normalize;
            float scale;
        };
        const Case cases[] = {
            {"softmax (V2-Lite)", false, false, 64, 6, 1, 1, false, 1.0f},
            {"softmax, groups (V2)", false, false, 160, 6, 8, 3, false, 16.0f},
            {"softmax, groups, bias, normalized", false, true, 64, 6, 4, 2, true, 1.0f},
            {"sigmoid, bias, groups (V3)", true, true, 256, 8, 8, 4, true, 2.5f},
            {"sigmoid, bias", true, true, 64, 6, 1, 1, true, 1.0f},
            {"sigmoid, groups, no bias", true, false, 64, 4, 8, 2, false, 1.0f},
            {"sigmoid, bias, groups of one", true, true, 16, 4, 16, 5, true, 1.0f},
            {"softmax, every expert used", false, false, 8, 8, 1, 1, true, 1.0f},
        };
        for (const Case& c : cases)
            for (int levels : {0, 5})
                QTest::addRow("%s, %s", c.name, levels ? "ties" : "random")
                    << c.sigmoid << c.withBias << c.experts << c.used << c.groups << c.groupsUsed << c.normalize
                    << c.scale << levels;
    }

    void sameAsCpu()
    {
        QFETCH(bool, sigmoid);
        QFETCH(bool, withBias);
        QFETCH(int, experts);
        QFETCH(int, used);
        QFETCH(int, groups);
        QFETCH(int, groupsUsed);
        QFETCH(bool, normalize);
        QFETCH(float, scale);
        QFETCH(int, levels);
        const cuda::Routing r{experts, used, groups, groupsUsed, sigmoid, normalize, scale};
        const int tokens = 32;
        for (uint32_t seed = 1; seed <= 6; ++seed) {
            std::mt19937 random(seed);
            const std::vector<float> logits = randomValues(size_t(tokens * experts), -3.0f, 3.0f, levels, random);
            // A bias of the probabilities' order, so that it moves choices (V3's are about 0.1).
            const std::vector<float> bias = randomValues(size_t(experts), -0.2f, 0.2f, levels ? 2 : 0, random);
            const std::vector<float>* biasOrNone = withBias ? &bias : nullptr;
            const Routed expected = routeOnCpu(logits, biasOrNone, r, tokens);
            const Routed actual = routeOnHost(logits, biasOrNone, r, tokens);
            for (size_t i = 0; i < expected.ids.size(); ++i) {
                if (actual.ids[i] != expected.ids[i] ||
                    std::memcmp(&actual.weights[i], &expected.weights[i], sizeof(float)) != 0)
                    QFAIL(qPrintable(QStringLiteral("seed %1, token %2, slot %3: expert %4 weight %5, the CPU's "
                                                    "expert %6 weight %7")
                                         .arg(seed)
                                         .arg(i / size_t(used))
                                         .arg(i % size_t(used))
                                         .arg(actual.ids[i])
                                         .arg(double(actual.weights[i]), 0, 'g', 9)
                                         .arg(expected.ids[i])
                                         .arg(double(expected.weights[i]), 0, 'g', 9)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(CudaRoutingTest)
#include "test_cuda_routing.moc"
