// deepseek2 hyper-parameters read from a file's keys: the values DeepSeek's configurations hold,
// and for each kind of corrupt or unsupported value an error that names the key or the setting.

#include "engine/core/error.h"
#include "engine/gguf/metadata.h"
#include "engine/model/deepseek2_model.h"

#include <QTest>

#include <cmath>
#include <functional>

using namespace latent;

namespace {

// DeepSeek-V2-Lite's keys as llama.cpp's converter writes them (MLA-era key lengths).
gguf::Metadata v2LiteMetadata()
{
    gguf::Metadata meta("v2-lite.gguf");
    const auto u32 = [&](const char* key, uint32_t value) { meta.set(std::string("deepseek2.") + key, value); };
    const auto f32 = [&](const char* key, float value) { meta.set(std::string("deepseek2.") + key, value); };
    u32("context_length", 163840);
    u32("embedding_length", 2048);
    u32("block_count", 27);
    u32("feed_forward_length", 10944);
    u32("attention.head_count", 16);
    u32("attention.head_count_kv", 1);
    u32("attention.q_lora_rank", 0);
    u32("attention.kv_lora_rank", 512);
    u32("attention.key_length", 576);
    u32("attention.value_length", 512);
    u32("attention.key_length_mla", 192);
    u32("attention.value_length_mla", 128);
    f32("attention.layer_norm_rms_epsilon", 1e-6f);
    u32("rope.dimension_count", 64);
    f32("rope.freq_base", 10000);
    meta.set("deepseek2.rope.scaling.type", std::string("yarn"));
    f32("rope.scaling.factor", 40);
    u32("rope.scaling.original_context_length", 4096);
    f32("rope.scaling.yarn_log_multiplier", 0.0707f);
    u32("leading_dense_block_count", 1);
    u32("expert_feed_forward_length", 1408);
    u32("expert_count", 64);
    u32("expert_used_count", 6);
    u32("expert_shared_count", 2);
    f32("expert_weights_scale", 1);
    return meta;
}

} // namespace

class DeepSeek2MetadataTest : public QObject {
    Q_OBJECT

private slots:
    void readsV2Lite()
    {
        const DeepSeek2HyperParameters hp = DeepSeek2HyperParameters::read(v2LiteMetadata());
        QCOMPARE(hp.queryRank, int64_t(0));
        QCOMPARE(hp.nopeDim, int64_t(128));
        QCOMPARE(hp.valueDim, int64_t(128));
        QCOMPARE(hp.routing.used, 6);
        QVERIFY(hp.routing.gating == MoeRouting::Gating::Softmax); // no expert_gating_func: softmax
        // YaRN: correction range [10, 23] of the 32 rotary pairs; softmax scale mscale^2 / sqrt(192)
        // with mscale = 1 + 0.0707 ln 40 (../shared/docs/deepseek-models.md: 0.11472).
        QCOMPARE(hp.rope.yarnLow, 10.0f);
        QCOMPARE(hp.rope.yarnHigh, 23.0f);
        QVERIFY(std::fabs(hp.attentionScale - 0.11472f) < 1e-4f);
    }

    void olderKeyLengths()
    {
        // Files converted before MLA-era llama.cpp: key_length = nope + rope, no _mla keys.
        gguf::Metadata meta = v2LiteMetadata();
        meta.set("deepseek2.attention.key_length", uint32_t(192));
        meta.set("deepseek2.attention.value_length", uint32_t(128));
        meta.erase("deepseek2.attention.key_length_mla");
        meta.erase("deepseek2.attention.value_length_mla");
        const DeepSeek2HyperParameters hp = DeepSeek2HyperParameters::read(meta);
        QCOMPARE(hp.nopeDim, int64_t(128));
        QCOMPARE(hp.valueDim, int64_t(128));
    }

    void badValuesNameTheKey_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("no latent rank") << "attention.kv_lora_rank" << 0 << "zero or negative";
        QTest::newRow("odd rope dims") << "rope.dimension_count" << 63 << "deepseek2.rope.dimension_count";
        QTest::newRow("more used than experts") << "expert_used_count" << 65 << "deepseek2.expert_used_count";
        QTest::newRow("unknown gating") << "expert_gating_func" << 7 << "deepseek2.expert_gating_func is 7";
        QTest::newRow("groups that do not divide") << "expert_group_count" << 5 << "expert_group_count";
        QTest::newRow("dense beyond the blocks") << "leading_dense_block_count" << 28 << "leading_dense_block_count";
    }

    void badValuesNameTheKey()
    {
        QFETCH(QString, key);
        QFETCH(int, value);
        QFETCH(QString, message);
        gguf::Metadata meta = v2LiteMetadata();
        meta.set("deepseek2." + key.toStdString(), uint32_t(value));
        try {
            DeepSeek2HyperParameters::read(meta);
            QFAIL("expected an error");
        } catch (const Error& error) {
            const QString text = QString::fromUtf8(error.what());
            QVERIFY2(text.contains(message) && text.contains("v2-lite.gguf"), qPrintable(text));
        }
    }

    void unsupportedRopeScaling()
    {
        gguf::Metadata meta = v2LiteMetadata();
        meta.set("deepseek2.rope.scaling.type", std::string("longrope"));
        try {
            DeepSeek2HyperParameters::read(meta);
            QFAIL("expected an error");
        } catch (const Error& error) {
            QVERIFY(QString::fromUtf8(error.what()).contains("rope.scaling.type 'longrope' is not supported"));
        }
    }
};

QTEST_GUILESS_MAIN(DeepSeek2MetadataTest)
#include "test_deepseek2_metadata.moc"
