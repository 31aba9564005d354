// The CPU backend's attention() and mlaAttention() (each of its forms), which run a prompt's queries in
// tiles that share each cached key and value (a tile's last token sees the most keys; a job of
// several tiles in rows of positions gathers its head's rows first), against themselves one token
// at a time, as decoding runs them: the two must agree to the bit, on every kernel table this
// processor runs and at several thread counts, with and without grouped heads, a cached prefix,
// and head sizes that are not multiples of the vector width; the same from a cache allocated as
// the models do and filled by store() (by head on the CPU). Then both against plain math in
// double precision (with the F16 roundings of the query and the weights that the backend takes on
// purpose). And MLA's per-head matrices quantized, regrouped for the kernels or as stored: the
// same bits.

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/backend/cpu/tensor_access.h"
#include "engine/core/half.h"
#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/quant/quantize.h"

#include "tests/support/random_floats.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <memory>
#include <sstream>

using namespace latent;
using latent::test::randomFloats;
using gguf::TensorType;

namespace {

float roundToHalf(float value)
{
    return halfToFloat(floatToHalf(value));
}

std::vector<float> valuesOf(Backend& backend, const Tensor& tensor)
{
    std::vector<float> values(size_t(tensor.cols * tensor.rows));
    backend.read(tensor, values);
    return values;
}

Tensor uploaded(Backend& backend, TensorType type, int64_t cols, int64_t rows, const std::vector<float>& values)
{
    Tensor tensor = backend.allocate(type, cols, rows);
    backend.upload(tensor, values);
    return tensor;
}

// Runs attend(out, q, firstPosition) over the queries (rows of width) as one call and one token at
// a time; returns both results.
template <typename Attend>
std::pair<std::vector<float>, std::vector<float>> wholeAndTokenByToken(Backend& backend, const std::vector<float>& q,
                                                                       int64_t width, int64_t outWidth, int64_t tokens,
                                                                       int64_t firstPosition, Attend attend)
{
    Tensor queries = uploaded(backend, TensorType::F32, width, tokens, q);
    Tensor whole = backend.allocate(TensorType::F32, outWidth, tokens);
    attend(whole, queries, firstPosition);
    std::vector<float> byToken;
    for (int64_t t = 0; t < tokens; ++t) {
        Tensor one = uploaded(backend, TensorType::F32, width, 1,
                              std::vector<float>(q.begin() + t * width, q.begin() + (t + 1) * width));
        Tensor out = backend.allocate(TensorType::F32, outWidth, 1);
        attend(out, one, firstPosition + t);
        const std::vector<float> values = valuesOf(backend, out);
        byToken.insert(byToken.end(), values.begin(), values.end());
    }
    return {valuesOf(backend, whole), byToken};
}

// Bit for bit; the message names the two runs (by default, a prompt's one call and its tokens one by one).
void compareBits(const std::vector<float>& actual, const std::vector<float>& expected, const QString& what,
                 const QString& actualRun = QStringLiteral("in one call"),
                 const QString& expectedRun = QStringLiteral("token by token"))
{
    QCOMPARE(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i)
        QVERIFY2(std::bit_cast<uint32_t>(actual[i]) == std::bit_cast<uint32_t>(expected[i]),
                 qPrintable(QStringLiteral("%1: value %2 is %3 %4, %5 %6")
                                .arg(what)
                                .arg(i)
                                .arg(double(actual[i]), 0, 'g', 9)
                                .arg(actualRun)
                                .arg(double(expected[i]), 0, 'g', 9)
                                .arg(expectedRun)));
}

void compareClose(const std::vector<float>& actual, const std::vector<double>& expected, const QString& what)
{
    QCOMPARE(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i)
        // A weight's F16 rounding may fall the other way from a double's softmax (an F16 ulp is
        // 2^-11 of it); a wrong key, head or position is off by far more.
        QVERIFY2(std::fabs(actual[i] - expected[i]) <= 2e-3 * (1 + std::fabs(expected[i])),
                 qPrintable(QStringLiteral("%1: value %2 is %3, plain math gives %4")
                                .arg(what)
                                .arg(i)
                                .arg(double(actual[i]), 0, 'g', 9)
                                .arg(expected[i], 0, 'g', 9)));
}

// Softmax-weighted values of one query in double precision: scores from the query and keys as
// given, weights rounded to F16 as the backend rounds them.
template <typename Score, typename Value>
std::vector<double> plainAttention(int64_t visible, size_t width, double scale, Score score, Value value)
{
    std::vector<double> scores(static_cast<size_t>(visible));
    double max = -INFINITY, sum = 0;
    for (int64_t j = 0; j < visible; ++j)
        max = std::max(max, scores[size_t(j)] = score(j) * scale);
    for (double& s : scores)
        sum += s = std::exp(s - max);
    std::vector<double> result(width, 0.0);
    for (int64_t j = 0; j < visible; ++j) {
        const double weight = roundToHalf(float(scores[size_t(j)] / sum));
        for (size_t i = 0; i < width; ++i)
            result[i] += weight * value(j, i);
    }
    return result;
}

std::vector<const cpu::DotKernels*> tables()
{
    return cpu::supportedKernels();
}

} // namespace

class CpuAttentionTest : public QObject {
    Q_OBJECT

private slots:
    void attentionByTiles_data()
    {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("kvHeads");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("firstPosition");
        QTest::newRow("16 heads of 128, a prompt") << 16 << 16 << 128 << 70 << 0;
        QTest::newRow("16 heads of 128, after 37 cached") << 16 << 16 << 128 << 13 << 37;
        QTest::newRow("grouped 8/2 of 40, several jobs a head") << 8 << 2 << 40 << 45 << 5;
        QTest::newRow("one KV head (6) of 24, one token") << 6 << 1 << 24 << 1 << 90;
        QTest::newRow("7 heads of 36, 150 tokens") << 7 << 7 << 36 << 150 << 0;
        QTest::newRow("grouped 12/4 of 100") << 12 << 4 << 100 << 29 << 3;
    }

    void attentionByTiles()
    {
        QFETCH(int, heads);
        QFETCH(int, kvHeads);
        QFETCH(int, headDim);
        QFETCH(int, tokens);
        QFETCH(int, firstPosition);
        const int64_t width = int64_t(heads) * headDim, kvWidth = int64_t(kvHeads) * headDim;
        const int64_t positions = firstPosition + tokens;
        const std::vector<float> q = randomFloats(size_t(width * tokens), 1);
        const std::vector<float> keys = randomFloats(size_t(kvWidth * positions), 2);
        const std::vector<float> values = randomFloats(size_t(kvWidth * positions), 3);
        const AttentionParams params{.heads = heads, .kvHeads = kvHeads, .headDim = headDim,
                                     .scale = 1.0f / std::sqrt(float(headDim))};
        for (const cpu::DotKernels* table : tables()) {
            for (size_t threads : {1u, 3u}) {
                cpu::CpuBackend backend(threads, *table);
                Tensor keyCache = uploaded(backend, TensorType::F16, kvWidth, positions, keys);
                Tensor valueCache = uploaded(backend, TensorType::F16, kvWidth, positions, values);
                const auto [whole, byToken] = wholeAndTokenByToken(
                    backend, q, width, width, tokens, firstPosition, [&](Tensor& out, const Tensor& x, int64_t first) {
                        AttentionParams p = params;
                        p.firstPosition = first;
                        backend.attention(out, x, keyCache, valueCache, p);
                    });
                const QString what = QStringLiteral("%1, %2 threads").arg(QString::fromUtf8(backend.name().c_str())).arg(threads);
                compareBits(whole, byToken, what);

                // The cache as a model allocates it (by head on the CPU), filled by store() as
                // the cached prefix and then the prompt's tokens: the same bits.
                Tensor keysByHead = backend.allocateCache(kvHeads, headDim, positions);
                Tensor valuesByHead = backend.allocateCache(kvHeads, headDim, positions);
                const Tensor keyRows = uploaded(backend, TensorType::F32, kvWidth, positions, keys);
                const Tensor valueRows = uploaded(backend, TensorType::F32, kvWidth, positions, values);
                for (const auto& [first, count] : {std::pair<int64_t, int64_t>{0, firstPosition}, {firstPosition, tokens}}) {
                    if (count == 0)
                        continue;
                    backend.store(keysByHead, keyRows.rowsView(first, count), first);
                    backend.store(valuesByHead, valueRows.rowsView(first, count), first);
                }
                const auto [wholeByHead, byTokenByHead] = wholeAndTokenByToken(
                    backend, q, width, width, tokens, firstPosition, [&](Tensor& out, const Tensor& x, int64_t first) {
                        AttentionParams p = params;
                        p.firstPosition = first;
                        backend.attention(out, x, keysByHead, valuesByHead, p);
                    });
                compareBits(wholeByHead, whole, what, QStringLiteral("from the allocated cache"),
                            QStringLiteral("from the uploaded rows"));
                compareBits(byTokenByHead, byToken, what, QStringLiteral("from the allocated cache, token by token"),
                            QStringLiteral("from the uploaded rows"));

                std::vector<double> expected;
                const int groupSize = heads / kvHeads;
                for (int64_t t = 0; t < tokens; ++t) {
                    for (int h = 0; h < heads; ++h) {
                        const int64_t kv = h / groupSize;
                        const auto at = [&](const std::vector<float>& cache, int64_t j, int64_t i) {
                            return double(roundToHalf(cache[size_t(j * kvWidth + kv * headDim + i)]));
                        };
                        const std::vector<double> head = plainAttention(
                            firstPosition + t + 1, size_t(headDim), params.scale,
                            [&](int64_t j) {
                                double score = 0;
                                for (int64_t i = 0; i < headDim; ++i)
                                    score += double(roundToHalf(q[size_t(t * width + h * headDim + i)])) * at(keys, j, i);
                                return score;
                            },
                            [&](int64_t j, size_t i) { return at(values, j, int64_t(i)); });
                        expected.insert(expected.end(), head.begin(), head.end());
                    }
                }
                compareClose(whole, expected, what);
            }
        }
    }

    // MLA: all heads share the latents and the rotated keys. Each form for every batch (the choice
    // between them is not tested here): the absorbed, and the decompressed in groups of heads.
    void mlaByTiles_data()
    {
        QTest::addColumn<QByteArray>("form");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("latentDim");
        QTest::addColumn<int>("ropeDim");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("firstPosition");
        for (const QByteArray form : {"absorbed", "decompressed"}) {
            const auto row = [&](const char* name) { return &(QTest::newRow(qPrintable(form + ", " + name)) << form); };
            *row("16 heads, latent 64, rope 16, a prompt") << 16 << 64 << 16 << 40 << 0;
            *row("12 heads, latent 64, rope 16, after 20 cached") << 12 << 64 << 16 << 30 << 20;
            *row("5 heads, latent 72, rope 12, after 20 cached") << 5 << 72 << 12 << 9 << 20;
            *row("3 heads, latent 40, rope 8, one token") << 3 << 40 << 8 << 1 << 33;
            // A latent that no vector width divides, over a longer cache.
            *row("16 heads, latent 200, rope 16, after 300 cached") << 16 << 200 << 16 << 5 << 300;
        }
        // Over 16 MiB of scores (tokens x heads x keys): the absorbed form takes the tokens in groups.
        QTest::newRow("absorbed, 16 heads, latent 8, rope 8, after 70,000 cached") << QByteArray("absorbed") << 16 << 8
                                                                                     << 8 << 5 << 70000;
    }

    void mlaByTiles()
    {
        QFETCH(QByteArray, form);
        QFETCH(int, heads);
        QFETCH(int, latentDim);
        QFETCH(int, ropeDim);
        QFETCH(int, tokens);
        QFETCH(int, firstPosition);
        const int nope = 24, valueDim = 20;
        const int64_t width = int64_t(heads) * (nope + ropeDim), outWidth = int64_t(heads) * valueDim;
        const int64_t positions = firstPosition + tokens;
        const std::vector<float> q = randomFloats(size_t(width * tokens), 4);
        const std::vector<float> latents = randomFloats(size_t(latentDim * positions), 5);
        const std::vector<float> ropeKeys = randomFloats(size_t(ropeDim * positions), 6);
        const std::vector<float> keyUp = randomFloats(size_t(heads * latentDim * nope), 7, 0.2f);
        const std::vector<float> valueUp = randomFloats(size_t(heads * valueDim * latentDim), 8, 0.2f);
        const MlaParams params{.heads = heads, .nopeDim = nope, .ropeDim = ropeDim, .latentDim = latentDim,
                               .valueDim = valueDim, .scale = 0.125f};
        const auto latentAt = [&](int64_t j, int64_t r) { return double(roundToHalf(latents[size_t(j * latentDim + r)])); };
        const auto ropeKeyAt = [&](int64_t j, int64_t i) { return double(roundToHalf(ropeKeys[size_t(j * ropeDim + i)])); };
        // Head h's key (nope) or value (valueDim) of position j, decompressed from its latent.
        const auto keyAt = [&](int64_t h, int64_t j, int64_t i) {
            double sum = 0;
            for (int64_t r = 0; r < latentDim; ++r)
                sum += double(keyUp[size_t((h * latentDim + r) * nope + i)]) * latentAt(j, r);
            return sum;
        };
        const auto valueAt = [&](int64_t h, int64_t j, int64_t v) {
            double sum = 0;
            for (int64_t r = 0; r < latentDim; ++r)
                sum += double(valueUp[size_t((h * valueDim + v) * latentDim + r)]) * latentAt(j, r);
            return sum;
        };
        // Plain math, with the roundings each form takes on purpose: the absorbed form rounds the
        // query folded into the latent space to F16; the decompressed one, the expanded keys and
        // values and the query.
        std::vector<double> expected;
        for (int64_t t = 0; t < tokens; ++t) {
            for (int64_t h = 0; h < heads; ++h) {
                const float* headQuery = q.data() + t * width + h * (nope + ropeDim);
                const int64_t visible = firstPosition + t + 1;
                if (form == "absorbed") {
                    std::vector<double> query(size_t(latentDim + ropeDim));
                    for (int64_t r = 0; r < latentDim; ++r) {
                        double sum = 0;
                        for (int64_t i = 0; i < nope; ++i)
                            sum += double(keyUp[size_t((h * latentDim + r) * nope + i)]) * headQuery[i];
                        query[size_t(r)] = roundToHalf(float(sum));
                    }
                    for (int64_t i = 0; i < ropeDim; ++i)
                        query[size_t(latentDim + i)] = roundToHalf(headQuery[nope + i]);
                    const std::vector<double> latent = plainAttention(
                        visible, size_t(latentDim), params.scale,
                        [&](int64_t j) {
                            double score = 0;
                            for (int64_t i = 0; i < latentDim; ++i)
                                score += query[size_t(i)] * latentAt(j, i);
                            for (int64_t i = 0; i < ropeDim; ++i)
                                score += query[size_t(latentDim + i)] * ropeKeyAt(j, i);
                            return score;
                        },
                        [&](int64_t j, size_t r) { return latentAt(j, int64_t(r)); });
                    for (int64_t v = 0; v < valueDim; ++v) {
                        double sum = 0;
                        for (int64_t r = 0; r < latentDim; ++r)
                            sum += double(valueUp[size_t((h * valueDim + v) * latentDim + r)]) * latent[size_t(r)];
                        expected.push_back(sum);
                    }
                } else {
                    const std::vector<double> head = plainAttention(
                        visible, size_t(valueDim), params.scale,
                        [&](int64_t j) {
                            double score = 0;
                            for (int64_t i = 0; i < nope; ++i)
                                score += double(roundToHalf(headQuery[i])) * roundToHalf(float(keyAt(h, j, i)));
                            for (int64_t i = 0; i < ropeDim; ++i)
                                score += double(roundToHalf(headQuery[nope + i])) * ropeKeyAt(j, i);
                            return score;
                        },
                        [&](int64_t j, size_t v) { return double(roundToHalf(float(valueAt(h, j, int64_t(v))))); });
                    expected.insert(expected.end(), head.begin(), head.end());
                }
            }
        }

        qputenv("LATENT_MLA_FORM", form);
        for (const cpu::DotKernels* table : tables()) {
            for (size_t threads : {1u, 3u}) {
                cpu::CpuBackend backend(threads, *table);
                Tensor latentCache = uploaded(backend, TensorType::F16, latentDim, positions, latents);
                Tensor ropeCache = uploaded(backend, TensorType::F16, ropeDim, positions, ropeKeys);
                Tensor keyUpTensor = uploaded(backend, TensorType::F32, nope, int64_t(heads) * latentDim, keyUp);
                Tensor valueUpTensor = uploaded(backend, TensorType::F32, latentDim, int64_t(heads) * valueDim, valueUp);
                const auto [whole, byToken] = wholeAndTokenByToken(
                    backend, q, width, outWidth, tokens, firstPosition,
                    [&](Tensor& out, const Tensor& x, int64_t first) {
                        MlaParams p = params;
                        p.firstPosition = first;
                        backend.mlaAttention(out, x, latentCache, ropeCache, keyUpTensor, valueUpTensor, p);
                    });
                const QString what = QStringLiteral("%1, %2 threads").arg(QString::fromUtf8(backend.name().c_str())).arg(threads);
                compareBits(whole, byToken, what);
                compareClose(whole, expected, what);
            }
        }
        qunsetenv("LATENT_MLA_FORM");
    }

    void mlaRegroupedWeightsGiveTheStoredBits_data()
    {
        QTest::addColumn<QByteArray>("form");
        QTest::addColumn<int>("type");
        for (const QByteArray form : {"absorbed", "decompressed"})
            for (const TensorType type : {TensorType::Q4_0, TensorType::Q8_0})
                QTest::newRow(qPrintable(form + ", " + QByteArray(gguf::tensorTypeName(type).data()))) << form << int(type);
    }

    // W_UK and W_UV of a file (attn_k_b, attn_v_b: per head, rows of nope and of latentDim)
    // loaded for products, which the kernel tables that have interleaved kernels regroup in 16s,
    // and as stored: both forms of MLA must compute the same bits from either.
    void mlaRegroupedWeightsGiveTheStoredBits()
    {
        QFETCH(QByteArray, form);
        QFETCH(int, type);
        const int64_t heads = 4, nope = 32, ropeDim = 16, latentDim = 64, valueDim = 32, tokens = 70;
        const std::vector<float> keyUp = randomFloats(size_t(heads * latentDim * nope), 17, 0.2f);
        const std::vector<float> valueUp = randomFloats(size_t(heads * valueDim * latentDim), 18, 0.2f);
        gguf::GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("deepseek2"));
        const std::vector<uint8_t> keyBytes = quant::quantize(TensorType(type), keyUp);
        const std::vector<uint8_t> valueBytes = quant::quantize(TensorType(type), valueUp);
        writer.addTensor("attn_k_b", TensorType(type), {uint64_t(nope), uint64_t(latentDim), uint64_t(heads)}, keyBytes);
        writer.addTensor("attn_v_b", TensorType(type), {uint64_t(latentDim), uint64_t(valueDim), uint64_t(heads)}, valueBytes);
        std::ostringstream stream;
        writer.writeTo(stream);
        const std::string bytes = stream.str();
        const gguf::GgufFile file =
            gguf::GgufFile::parse({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, "mla.gguf");

        const int64_t width = heads * (nope + ropeDim);
        const std::vector<float> q = randomFloats(size_t(width * tokens), 19);
        const std::vector<float> latents = randomFloats(size_t(latentDim * tokens), 20);
        const std::vector<float> ropeKeys = randomFloats(size_t(ropeDim * tokens), 21);
        const MlaParams params{.heads = int(heads), .nopeDim = int(nope), .ropeDim = int(ropeDim), .latentDim = int(latentDim),
                               .valueDim = int(valueDim), .scale = 0.125f};
        qputenv("LATENT_MLA_FORM", form);
        int regrouped = 0;
        for (const cpu::DotKernels* table : tables()) {
            cpu::CpuBackend backend(3, *table);
            Tensor latentCache = uploaded(backend, TensorType::F16, latentDim, tokens, latents);
            Tensor ropeCache = uploaded(backend, TensorType::F16, ropeDim, tokens, ropeKeys);
            Tensor queries = uploaded(backend, TensorType::F32, width, tokens, q);
            std::vector<float> results[2];
            for (const WeightUse use : {WeightUse::Fused, WeightUse::Product}) {
                const Tensor keys = backend.weight(file, *file.findTensor("attn_k_b"), use);
                const Tensor values = backend.weight(file, *file.findTensor("attn_v_b"), use);
                regrouped += keys.layout == TensorLayout::Interleaved16 && values.layout == TensorLayout::Interleaved16;
                Tensor out = backend.allocate(TensorType::F32, heads * valueDim, tokens);
                backend.mlaAttention(out, queries, latentCache, ropeCache, keys, values, params);
                results[use == WeightUse::Product] = valuesOf(backend, out);
            }
            compareBits(results[1], results[0], QString::fromUtf8(backend.name().c_str()), QStringLiteral("regrouped"),
                        QStringLiteral("as stored"));
        }
        qunsetenv("LATENT_MLA_FORM");
        if (regrouped == 0)
            QSKIP("no kernel table of this processor regroups these types");
    }
};

QTEST_GUILESS_MAIN(CpuAttentionTest)
#include "test_cpu_attention.moc"
