// The Vulkan backend's attention: tiles of queries that share keys and values (attention.comp),
// and multi-head latent attention in its absorbed form over the latent cache (mla_attention.comp),
// the keys split between workgroups where one dispatch would leave the device idle.

#include "engine/vulkan/vulkan_backend.h"

#include "engine/vulkan/dispatch_helpers.h"

#include <algorithm>
#include <bit>
#include <thread>
#include <vector>

namespace latent::vulkan {
namespace {

using gguf::TensorType;

// The keys of a chunk of a one-row tile (a decode without GQA). Where a workgroup's keys fit one
// chunk, its pass 2 weighs them with the scores pass 1 left in registers instead of computing them
// again (on lavapipe the scores are most of the time); a longer chunk also leaves fewer, longer
// splits to attentionPlan, whose splits are whole chunks.
constexpr uint32_t kRowKeyChunk = 256;

// The specialization constants of attention_tile.glsl: a workgroup's tile of queries that share
// keys and values. 16 rows, fewer where fewer rows share the keys (a decode's query heads of one
// key/value head: no invocation computes an empty row) or where the staged queries would not fit
// the 16 KiB of shared memory every device offers (MLA's 576-wide queries: 8 rows). Keys are staged
// whole where they fit, else 32 pairs at a time, so fewer barriers stop the workgroup. A tile of
// one row stages no keys and takes kRowKeyChunk keys a chunk.
std::vector<uint32_t> attentionTile(int64_t rowsSharingKeys, int64_t keyWidth, int64_t valueWidth)
{
    require(keyWidth % 2 == 0 && valueWidth % 2 == 0, "attention", "head sizes must be even (F16 pairs)");
    const auto keyPairs = uint32_t(keyWidth / 2), valuePairs = uint32_t(valueWidth / 2);
    uint32_t rows = 16;
    while (rows > 1 && rows / 2 >= rowsSharingKeys)
        rows /= 2;
    for (; rows >= 1; rows /= 2) {
        const uint32_t rowLanes = std::min(rows, 8u), keyLanes = kReduceGroup / rowLanes;
        const uint32_t keyChunk = rows > 1 ? std::max(32u, keyLanes) : kRowKeyChunk, outRowLanes = std::min(rows, 4u);
        const uint32_t pairLanes = kReduceGroup / outRowLanes;
        for (uint32_t slicePairs : {std::min(keyPairs, 64u), std::min(keyPairs, 32u)}) {
            const uint32_t keyTileWords = rows > 1 ? keyChunk * (slicePairs + 1) : 1;
            // queryTile, keyTile, weightTile, partialMax and partialSum, rowMax, rowSum and rowVisible
            const uint32_t sharedBytes = 4 * (rows * (keyPairs + 1) + keyTileWords + rows * keyChunk +
                                              2 * rows * keyLanes + 3 * rows);
            if (sharedBytes <= 16384)
                return {kReduceGroup, rows,     rowLanes, keyChunk, outRowLanes,
                        keyPairs,     (valuePairs + pairLanes - 1) / pairLanes * pairLanes, slicePairs};
        }
    }
    throw Error("vulkan backend: attention: a head too wide for the shared memory of a Vulkan workgroup; use "
                "--backend cpu");
}

// How a tiled attention's keys are split between workgroups: attention_tile.glsl's keySplits()
// and splitKeys(), the last two words of the shaders' push constants.
struct KeySplit {
    uint32_t splits = 1;
    uint32_t keys = 0; // per split
};

// One dispatch of a tiled attention: attentionTile's constants and the pass (attention_tile.glsl's
// PASS), and its workgroups along x.
struct AttentionPass {
    std::vector<uint32_t> constants;
    uint32_t groupsX = 0;
};

// A tiled attention's dispatches: one pass, or three over scratchBytes where the keys are split.
struct AttentionPlan {
    KeySplit split;
    uint64_t scratchBytes = 0;
    std::vector<AttentionPass> passes;
};

// Workgroups a dispatch wants to keep the device busy: two per compute unit, so that one waiting
// on memory leaves another to run. Core Vulkan does not tell how many a device has: lavapipe runs
// a workgroup on each CPU thread; a GPU is taken to have 128 (132 SMs on an H100 or H200; a
// smaller GPU only pays a few more partial sums).
uint32_t busyWorkgroups(DeviceType type)
{
    static const uint32_t threads = std::max(1u, std::thread::hardware_concurrency()); // reads /sys: once
    return 2 * (type == DeviceType::Cpu ? threads : 128u);
}

// The keys an attention's passes are planned for: the visible ones rounded up to a power of two
// (from 256), so that the dispatches of a decoding step (their workgroups, the split of the keys)
// stay the same over hundreds of steps and its command buffer is replayed; a split beyond the
// visible keys finds none and adds nothing.
int64_t plannedKeys(int64_t keys)
{
    return int64_t(std::bit_ceil(uint64_t(std::max<int64_t>(keys, 256))));
}

// A split walks at least this many chunks of keys, so that its fixed costs (staging the queries,
// storing its partial results) stay small beside its work.
constexpr uint64_t kMinSplitChunks = 4;

// The passes of `tiles` x groupsY workgroups of `tile` (attentionTile) over keys 0 .. keys - 1,
// values valueWidth wide: the keys split where that brings the dispatch to targetGroups
// workgroups, or into splits of splitKeys keys where that is set.
AttentionPlan attentionPlan(const std::vector<uint32_t>& tile, uint32_t tiles, uint32_t groupsY, int64_t keys,
                            int64_t valueWidth, uint32_t targetGroups, uint32_t splitKeys)
{
    const uint64_t keyChunk = tile[3], workgroups = uint64_t(tiles) * groupsY;
    uint64_t perSplit = splitKeys;
    if (perSplit == 0) {
        const uint64_t wanted = std::min((targetGroups + workgroups - 1) / workgroups,
                                         uint64_t(keys) / (kMinSplitChunks * keyChunk));
        perSplit = wanted > 1 ? ((uint64_t(keys) + wanted - 1) / wanted + keyChunk - 1) / keyChunk * keyChunk
                              : uint64_t(keys);
    }
    // Workgroup x is tile * splits + split.
    perSplit = std::max(perSplit, (uint64_t(keys) + kMaxGroups / tiles - 1) / (kMaxGroups / tiles));
    const uint64_t splits = (uint64_t(keys) + perSplit - 1) / perSplit;
    const auto pass = [&](uint32_t id, uint64_t groupsX) {
        std::vector<uint32_t> constants = tile;
        constants.push_back(id);
        return AttentionPass{std::move(constants), uint32_t(groupsX)};
    };
    if (splits == 1)
        return {.split = {1, uint32_t(keys)}, .passes = {pass(0, tiles)}}; // PASS_WHOLE
    // The totals (2 floats) and weighted values of every (tile row, split).
    const uint64_t entries = workgroups * tile[1] * splits;
    return {.split = {uint32_t(splits), uint32_t(perSplit)},
            .scratchBytes = entries * (2 + uint64_t(valueWidth)) * sizeof(float),
            .passes = {pass(1, tiles * splits), pass(2, tiles * splits), pass(3, tiles)}}; // PASS_SPLIT_*
}

} // namespace

void VulkanBackend::attention(Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                              const AttentionParams& p)
{
    require(attentionArgumentsFit(out, q, keys, values, p) && q.rows <= kMaxGroups, "attention",
            "shapes do not match");
    if (q.rows == 0)
        return;
    const BufferSlice query = activation(q), k = activation(keys), v = activation(values), y = activation(out),
                      position = positionWord(p.firstPosition);
    require(k.offset % 4 == 0 && v.offset % 4 == 0, "attention", "a cache must start at an F16 pair");
    struct {
        uint32_t tokens, heads, kvHeads, headDim, positionWord;
        float scale;
        uint32_t qOffset, keysOffset, valuesOffset, yOffset;
        KeySplit split;
    } push{uint32_t(q.rows),       uint32_t(p.heads),      uint32_t(p.kvHeads),    uint32_t(p.headDim),
           uint32_t(position.offset / 4), p.scale,         floatsAt(query),        uint32_t(k.offset / 2),
           uint32_t(v.offset / 2), floatsAt(y),            {}};
    const int64_t rowsSharingKeys = q.rows * (p.heads / p.kvHeads); // (token, query head) pairs of a key/value head
    const std::vector<uint32_t> tile = attentionTile(rowsSharingKeys, p.headDim, p.headDim);
    const AttentionPlan plan =
        attentionPlan(tile, uint32_t((rowsSharingKeys + tile[1] - 1) / tile[1]), uint32_t(p.kvHeads),
                      plannedKeys(p.firstPosition + q.rows), p.headDim, busyWorkgroups(device().type), attentionSplitKeys_);
    push.split = plan.split;
    // Without split passes the output stands in for the scratch buffer, which they alone use.
    const Buffer* scratch = plan.scratchBytes ? scratchBuffer(plan.scratchBytes) : y.buffer;
    for (const AttentionPass& pass : plan.passes)
        recorder_.dispatch(pipelines_.get("attention", 6, sizeof push, pass.constants),
                           {query.buffer, k.buffer, v.buffer, y.buffer, scratch, position.buffer}, &push, sizeof push,
                           pass.groupsX, uint32_t(p.kvHeads));
}

// In the absorbed form for every batch: W_UK^T folded into each head's query and W_UV applied to
// its latent result are per-head matrix products (matmul_experts with the head as the matrix id,
// so quantized W_UK/W_UV are computed as the CPU computes them), around one attention of width
// latentDim + ropeDim over the latent cache (mla_attention.comp).
void VulkanBackend::mlaAttention(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                                 const Tensor& keyUp, const Tensor& valueUp, const MlaParams& p)
{
    const int64_t queryWidth = p.nopeDim + p.ropeDim, pairs = q.rows * p.heads;
    require(mlaArgumentsFit(out, q, latent, ropeKeys, keyUp, valueUp, p) && q.rows <= kMaxGroups, "mlaAttention",
            "shapes do not match");
    if (q.rows == 0)
        return;
    std::vector<int32_t> headOfPair(static_cast<size_t>(pairs)); // pair t * heads + h uses head h's matrices
    for (int64_t pair = 0; pair < pairs; ++pair)
        headOfPair[size_t(pair)] = int32_t(pair % p.heads);
    const BufferSlice heads = hostData(headOfPair.data(), headOfPair.size() * sizeof(int32_t));
    Tensor absorbed = workspace(TensorType::F32, p.latentDim, pairs), attended = workspace(TensorType::F32, p.latentDim, pairs);
    const BufferSlice query = activation(q), absorbedQuery = activation(absorbed), result = activation(attended);
    expertMatmul(absorbedQuery, keyUp, p.latentDim, productInput(query, p.nopeDim, pairs, queryWidth, keyUp.type), 1,
                 heads, pairs);

    const BufferSlice c = activation(latent), k = activation(ropeKeys), position = positionWord(p.firstPosition);
    require(c.offset % 4 == 0 && k.offset % 4 == 0, "mlaAttention", "a cache must start at an F16 pair");
    struct {
        uint32_t tokens, heads, nopeDim, ropeDim, latentDim, positionWord;
        float scale;
        uint32_t absorbedOffset, qOffset, latentsOffset, ropeKeysOffset, yOffset;
        KeySplit split;
    } push{uint32_t(q.rows),          uint32_t(p.heads),      uint32_t(p.nopeDim),    uint32_t(p.ropeDim),
           uint32_t(p.latentDim),     uint32_t(position.offset / 4), p.scale,         floatsAt(absorbedQuery),
           floatsAt(query),           uint32_t(c.offset / 2), uint32_t(k.offset / 2), floatsAt(result),
           {}};
    // Every head shares the latent cache: all (token, head) pairs share its keys and values.
    const std::vector<uint32_t> tile = attentionTile(pairs, p.latentDim + p.ropeDim, p.latentDim);
    const AttentionPlan plan =
        attentionPlan(tile, uint32_t((pairs + tile[1] - 1) / tile[1]), 1, plannedKeys(p.firstPosition + q.rows),
                      p.latentDim, busyWorkgroups(device().type), attentionSplitKeys_);
    push.split = plan.split;
    // Without split passes the result stands in for the scratch buffer, which they alone use.
    const Buffer* scratch = plan.scratchBytes ? scratchBuffer(plan.scratchBytes) : result.buffer;
    for (const AttentionPass& pass : plan.passes)
        recorder_.dispatch(pipelines_.get("mla_attention", 7, sizeof push, pass.constants),
                           {absorbedQuery.buffer, query.buffer, c.buffer, k.buffer, result.buffer, scratch, position.buffer},
                           &push, sizeof push, pass.groupsX);

    expertMatmul(activation(out), valueUp, p.valueDim, productInput(result, p.latentDim, pairs, p.latentDim, valueUp.type),
                 1, heads, pairs);
}

} // namespace latent::vulkan
