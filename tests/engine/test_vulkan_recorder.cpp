// The Vulkan command recorder orders commands by the buffers they touch: a barrier goes before a
// command only where it reads a buffer written since the last barrier, or writes one read or
// written since then (what a dispatch writes is what its shader does not declare readonly), and
// the results are those of running the commands one after another. Lavapipe runs a command
// buffer's dispatches in order whatever the barriers, so the barrier counts are what catches a
// missing one here; a GPU would also show it in the values.

#include "tests/support/vulkan_test_device.h"

#include <QTest>

#include <cstring>
#include <random>
#include <vector>

using namespace latent;

namespace {

constexpr uint32_t kGroup = 128;
constexpr uint32_t kCount = 1000; // not a multiple of the workgroup

std::vector<float> randomValues(uint32_t seed)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> value(-2.0f, 2.0f);
    std::vector<float> values(kCount);
    for (float& v : values)
        v = value(random);
    return values;
}

std::vector<float> valuesOf(const vulkan::Buffer& buffer)
{
    const auto* floats = reinterpret_cast<const float*>(buffer.mapped());
    return {floats, floats + kCount};
}

// out = a + b through shaders/elementwise.comp (its quantized forms' binding, unused, given out).
void add(test::VulkanTestDevice& d, const vulkan::Buffer& a, const vulkan::Buffer& b, const vulkan::Buffer& out)
{
    const uint32_t push[] = {kCount, 0, 0, 0, 0, 0};
    d.recorder->dispatch(d.pipelines->get("elementwise", 4, sizeof push, {kGroup, 0}), {&a, &b, &out, &out}, push,
                         sizeof push, (kCount + kGroup - 1) / kGroup);
}

} // namespace

class VulkanRecorderTest : public QObject {
    Q_OBJECT

private slots:
    void barriersOnlyBetweenDependentDispatches()
    {
        LATENT_REQUIRE_VULKAN_TEST_DEVICE(d);
        const std::vector<float> a0 = randomValues(1), b0 = randomValues(2), e0 = randomValues(3);
        auto a = d->buffer(kCount * 4, a0.data()), b = d->buffer(kCount * 4, b0.data()),
             e = d->buffer(kCount * 4, e0.data());
        auto c = d->buffer(kCount * 4), f = d->buffer(kCount * 4), g = d->buffer(kCount * 4), h = d->buffer(kCount * 4);
        const uint64_t before = d->recorder->barriers();
        add(*d, *a, *b, *c); // c = a + b
        add(*d, *b, *e, *f); // f = b + e: reads what the first read, writes elsewhere
        QCOMPARE(d->recorder->barriers() - before, 0u);
        add(*d, *c, *a, *g); // reads c, written above
        QCOMPARE(d->recorder->barriers() - before, 1u);
        add(*d, *b, *b, *f); // f written again (written before the last barrier: no wait)
        QCOMPARE(d->recorder->barriers() - before, 1u);
        add(*d, *a, *b, *a); // writes a, which the third dispatch read
        QCOMPARE(d->recorder->barriers() - before, 2u);
        add(*d, *a, *a, *h); // reads the a just written
        QCOMPARE(d->recorder->barriers() - before, 3u);
        d->recorder->submitAndWait();

        const std::vector<float> cs = valuesOf(*c), fs = valuesOf(*f), gs = valuesOf(*g), as = valuesOf(*a),
                                 hs = valuesOf(*h);
        for (uint32_t i = 0; i < kCount; ++i) {
            const float sum = a0[i] + b0[i];
            QCOMPARE(cs[i], sum);
            QCOMPARE(fs[i], b0[i] + b0[i]);
            QCOMPARE(gs[i], sum + a0[i]);
            QCOMPARE(as[i], sum);
            QCOMPARE(hs[i], sum + sum);
        }
    }

    // Copies and fills take part in the order as dispatches do.
    void copiesAndFillsAreOrdered()
    {
        LATENT_REQUIRE_VULKAN_TEST_DEVICE(d);
        const std::vector<float> x0 = randomValues(4), y0 = randomValues(5);
        auto x = d->buffer(kCount * 4, x0.data()), y = d->buffer(kCount * 4, y0.data());
        auto copied = d->buffer(kCount * 4), sum = d->buffer(kCount * 4);
        const uint64_t before = d->recorder->barriers();
        d->recorder->copy({x.get(), 0}, {copied.get(), 0}, kCount * 4);
        d->recorder->zero(*sum);
        QCOMPARE(d->recorder->barriers() - before, 0u);
        add(*d, *copied, *y, *sum); // reads the copy, writes the filled buffer
        QCOMPARE(d->recorder->barriers() - before, 1u);
        d->recorder->copy({sum.get(), 0}, {x.get(), 0}, kCount * 4); // reads sum, writes x (the copy read it)
        QCOMPARE(d->recorder->barriers() - before, 2u);
        d->recorder->submitAndWait();
        const std::vector<float> xs = valuesOf(*x);
        for (uint32_t i = 0; i < kCount; ++i)
            QCOMPARE(xs[i], x0[i] + y0[i]);
    }

    // A submission starts with nothing pending: its first command waits for nothing.
    void aSubmissionStartsUnordered()
    {
        LATENT_REQUIRE_VULKAN_TEST_DEVICE(d);
        const std::vector<float> a0 = randomValues(6);
        auto a = d->buffer(kCount * 4, a0.data()), c = d->buffer(kCount * 4);
        add(*d, *a, *a, *c);
        d->recorder->submitAndWait();
        const uint64_t before = d->recorder->barriers();
        add(*d, *c, *c, *a); // reads c, written by the last submission, which has run
        QCOMPARE(d->recorder->barriers() - before, 0u);
        d->recorder->submitAndWait();
        const std::vector<float> as = valuesOf(*a);
        for (uint32_t i = 0; i < kCount; ++i)
            QCOMPARE(as[i], 4 * a0[i]);
    }

    // Commands equal to an earlier submission's (pipelines, buffers, push constants, workgroups) are
    // not recorded again: its command buffer runs again, on what the buffers hold now; commands
    // that differ in anything are recorded afresh, and the earlier recording stays for later.
    void aRepeatedSubmissionIsReplayed()
    {
        LATENT_REQUIRE_VULKAN_TEST_DEVICE(d);
        std::vector<float> a0 = randomValues(7);
        const std::vector<float> b0 = randomValues(8);
        auto a = d->buffer(kCount * 4, a0.data()), b = d->buffer(kCount * 4, b0.data()), c = d->buffer(kCount * 4);
        const uint64_t before = d->recorder->replays();
        add(*d, *a, *b, *c);
        d->recorder->submitAndWait();
        QCOMPARE(d->recorder->replays() - before, 0u);

        a0 = randomValues(9); // new inputs, the same commands
        std::memcpy(a->mapped(), a0.data(), kCount * 4);
        add(*d, *a, *b, *c);
        d->recorder->submitAndWait();
        QCOMPARE(d->recorder->replays() - before, 1u);
        std::vector<float> cs = valuesOf(*c);
        for (uint32_t i = 0; i < kCount; ++i)
            QCOMPARE(cs[i], a0[i] + b0[i]);

        add(*d, *b, *b, *c); // other buffers: recorded
        d->recorder->submitAndWait();
        QCOMPARE(d->recorder->replays() - before, 1u);
        cs = valuesOf(*c);
        for (uint32_t i = 0; i < kCount; ++i)
            QCOMPARE(cs[i], b0[i] + b0[i]);

        add(*d, *a, *b, *c); // the first commands again: still kept
        d->recorder->submitAndWait();
        QCOMPARE(d->recorder->replays() - before, 2u);
        cs = valuesOf(*c);
        for (uint32_t i = 0; i < kCount; ++i)
            QCOMPARE(cs[i], a0[i] + b0[i]);
    }
};

QTEST_GUILESS_MAIN(VulkanRecorderTest)
#include "test_vulkan_recorder.moc"
