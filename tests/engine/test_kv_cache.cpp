// The key/value cache's size: what the formula says for each architecture (MLA's latent cache:
// kv_lora_rank + rope dims F16 values per token and layer), and what a loaded model allocates.

#include "engine/core/error.h"
#include "engine/gguf/metadata.h"
#include "engine/model/deepseek2_model.h"
#include "engine/model/llama_model.h"
#include "engine/model/loaded_model.h"
#include "engine/model/test_model.h"

#include <QTemporaryDir>
#include <QTest>

using namespace latent;

namespace {

// The deepseek2 keys of a real model's configuration (../shared/docs/deepseek-models.md).
gguf::Metadata deepSeek2Metadata(uint32_t blocks, uint32_t embedding, uint32_t heads, uint32_t queryRank)
{
    gguf::Metadata meta("test");
    const auto u32 = [&](const char* key, uint32_t value) { meta.set(std::string("deepseek2.") + key, value); };
    u32("context_length", 163840);
    u32("embedding_length", embedding);
    u32("block_count", blocks);
    u32("feed_forward_length", 10944);
    u32("attention.head_count", heads);
    u32("attention.q_lora_rank", queryRank);
    u32("attention.kv_lora_rank", 512);
    u32("attention.key_length_mla", 192);
    u32("attention.value_length_mla", 128);
    u32("rope.dimension_count", 64);
    u32("leading_dense_block_count", 1);
    u32("expert_count", 64);
    u32("expert_used_count", 6);
    u32("expert_feed_forward_length", 1408);
    meta.set("deepseek2.attention.layer_norm_rms_epsilon", 1e-6f);
    return meta;
}

} // namespace

class KvCacheTest : public QObject {
    Q_OBJECT

private slots:
    void deepSeek2LatentCacheFormula()
    {
        // 576 F16 values per token and layer: V2-Lite 27 layers, V3 61 layers.
        QCOMPARE(deepSeek2CacheBytesPerToken(DeepSeek2HyperParameters::read(deepSeek2Metadata(27, 2048, 16, 0))),
                 uint64_t(31104));
        QCOMPARE(deepSeek2CacheBytesPerToken(DeepSeek2HyperParameters::read(deepSeek2Metadata(61, 7168, 128, 1536))),
                 uint64_t(70272));
    }

    void llamaCacheFormula()
    {
        // DeepSeek-Coder-1.3B: 24 layers, keys and values of 2048 F16 values each.
        gguf::Metadata meta("test");
        meta.set("llama.context_length", uint32_t(16384));
        meta.set("llama.embedding_length", uint32_t(2048));
        meta.set("llama.block_count", uint32_t(24));
        meta.set("llama.feed_forward_length", uint32_t(5504));
        meta.set("llama.attention.head_count", uint32_t(16));
        meta.set("llama.attention.layer_norm_rms_epsilon", 1e-6f);
        QCOMPARE(llamaCacheBytesPerToken(LlamaHyperParameters::read(meta)), uint64_t(24 * 2 * 2048 * 2));
    }

    void allocatedCacheIsTheFormula_data()
    {
        QTest::addColumn<QString>("architecture");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<qulonglong>("bytesPerToken");
        QTest::newRow("llama tiny") << "llama" << "tiny" << qulonglong(2 * 2 * (2 * 16) * 2); // 2 layers, 2 KV heads of 16
        QTest::newRow("deepseek2 tiny-v2-lite") << "deepseek2" << "tiny-v2-lite" << qulonglong(3 * (64 + 16) * 2);
        QTest::newRow("deepseek2 tiny-v3") << "deepseek2" << "tiny-v3" << qulonglong(3 * (64 + 16) * 2);
    }

    void allocatedCacheIsTheFormula()
    {
        QFETCH(QString, architecture);
        QFETCH(QString, preset);
        QFETCH(qulonglong, bytesPerToken);
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.gguf").toStdString();
        writeTestModel({architecture.toStdString(), preset.toStdString(), gguf::TensorType::Q8_0, 1}, path);
        LoadedModel loaded = LoadedModel::open(path, {"cpu", 1});
        QCOMPARE(qulonglong(loaded.model->info().cacheBytesPerToken), bytesPerToken);
        QCOMPARE(qulonglong(*cacheBytesPerToken(*loaded.file)), bytesPerToken);

        const int64_t context = 1000;
        const KvCache cache = loaded.model->createCache(context);
        uint64_t allocated = 0;
        for (const Tensor* tensor : cache.tensors())
            allocated += tensor->rowBytes() * uint64_t(tensor->rows);
        QCOMPARE(qulonglong(allocated), bytesPerToken * context);
    }

    // A cache is typed by the architecture that made it: another model refuses it with an error
    // instead of reading a layer's keys as a latent.
    void cacheOfAnotherArchitectureIsRefused()
    {
        QTemporaryDir dir;
        const std::string llamaPath = dir.filePath("llama.gguf").toStdString();
        const std::string deepseekPath = dir.filePath("deepseek2.gguf").toStdString();
        writeTestModel({"llama", "tiny", gguf::TensorType::Q8_0, 1}, llamaPath);
        writeTestModel({"deepseek2", "tiny-v2-lite", gguf::TensorType::Q8_0, 1}, deepseekPath);
        LoadedModel llama = LoadedModel::open(llamaPath, {"cpu", 1});
        LoadedModel deepseek = LoadedModel::open(deepseekPath, {"cpu", 1});
        KvCache llamaCache = llama.model->createCache(16);
        std::vector<float> logits;
        const int32_t token = 1;
        llama.model->forward(llamaCache, std::span(&token, 1), 0, Model::Logits::Last, logits);
        QVERIFY(!logits.empty());
        QVERIFY_THROWS_EXCEPTION(Error, deepseek.model->forward(llamaCache, std::span(&token, 1), 1,
                                                                Model::Logits::Last, logits));
    }
};

QTEST_GUILESS_MAIN(KvCacheTest)
#include "test_kv_cache.moc"
