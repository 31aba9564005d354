#include "engine/vulkan/vulkan_backend.h"

#include "engine/backend/rope_frequencies.h"
#include "engine/core/error.h"
#include "engine/core/half.h"
#include "engine/gguf/gguf_file.h"
#include "engine/vulkan/quantized_activations.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <thread>

namespace latent::vulkan {
namespace {

using gguf::TensorType;

// Workgroup sizes: 64 for the reductions (one or two subgroups on every GPU), 128 for the
// element-wise shaders; both within the 128 invocations every device offers.
constexpr uint32_t kReduceGroup = 64;
constexpr uint32_t kElementGroup = 128;
constexpr uint32_t kMaxGroups = 65535; // the least maxComputeWorkGroupCount a device offers
// A matrix product's tile: weight rows by tokens (one token: the matrix-vector product), the
// workgroup's invocations split evenly between the rows (matmul.comp).
constexpr uint32_t kTileTokens = 8;
// Prompts' products (matmul_tiled.comp): a workgroup's tile of weight rows by tokens, staged in
// shared memory once for the whole tile; from kTiledMinTokens tokens on, where it beats matmul.comp
// (measured on lavapipe, 2048 x 2048 Q4_0: even at 16 tokens, 1.75x at 32, 2x at 64).
constexpr uint32_t kTiledRows = 64;
constexpr uint32_t kTiledTokens = 32;
constexpr uint32_t kTiledGroup = kTiledRows * kTiledTokens / 16; // a 4 x 4 register tile each
constexpr int64_t kTiledMinTokens = 16;
// The most experts moe_group.comp groups (its shared memory holds a word per expert); DeepSeek-V3
// has 256.
constexpr int64_t kMaxGroupedExperts = 1024;

// The weight types the shaders decode (weight_blocks.glsl): every type the CPU backend computes.
bool decodedOnVulkan(TensorType type)
{
    switch (type) {
    case TensorType::F32:
    case TensorType::F16:
    case TensorType::BF16:
    case TensorType::Q4_0:
    case TensorType::Q4_1:
    case TensorType::Q5_0:
    case TensorType::Q5_1:
    case TensorType::Q8_0:
    case TensorType::IQ4_NL:
    case TensorType::Q2_K:
    case TensorType::Q3_K:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K:
    case TensorType::IQ4_XS: return true;
    default: return false;
    }
}

// The blocks a product quantizes x in for a weight type (quantized_activations.h): Q8_0's 32 for
// the 32-value types, Q8_K's 256 for K-quants and IQ4_XS; 0 for the float types, which read F32 x.
uint32_t activationBlockValues(TensorType type)
{
    const uint32_t values = gguf::tensorTypeTraits(type).blockValues;
    return values == 1 ? 0 : values == 256 ? 256 : 32;
}

// A quantized form's bit in QUANTIZED_FORMS (rms_norm.comp, elementwise.comp): 1 Q8_0, 2 Q8_K.
uint32_t formBit(uint32_t blockValues)
{
    return blockValues == 256 ? 2 : 1;
}

// Weight rows per workgroup of a product of `tokens` tokens a tile. A float row takes 32
// invocations, the CPU's 32 running sums (float_sums.h); a quantized row 8 for one token (each
// reads its blocks once: more rows per workgroup share x's loads) or 16 for a tile of tokens, fewer
// where a row has fewer blocks (a K-quant row of 256 values is one block), each taking whole blocks.
uint32_t tileRows(TensorType type, int64_t cols, uint32_t tokens)
{
    const uint64_t blocks = uint64_t(cols) / gguf::tensorTypeTraits(type).blockValues;
    uint32_t lanes = activationBlockValues(type) == 0 ? 32 : tokens == 1 ? 8 : 16;
    while (lanes > 1 && lanes > blocks)
        lanes /= 2;
    return kReduceGroup / lanes;
}

uint32_t groupsFor(uint64_t items, uint32_t groupSize)
{
    return uint32_t(std::min<uint64_t>((items + groupSize - 1) / groupSize, kMaxGroups));
}

void require(bool condition, const char* operation, const char* what)
{
    if (!condition)
        throw Error(fmt::format("vulkan backend: {}: {}", operation, what));
}

[[noreturn]] void notDecoded(gguf::TensorType type)
{
    throw Error(fmt::format("vulkan: the shaders do not decode {} weights: use --backend cpu",
                            gguf::tensorTypeName(type)));
}

uint32_t floatsAt(BufferSlice slice)
{
    return uint32_t(slice.offset / sizeof(float));
}

} // namespace

std::string unsupportedOnVulkan(const gguf::GgufFile& file)
{
    return unsupportedOnGpu(file, "Vulkan", decodedOnVulkan,
                            "F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL, Q2_K..Q6_K, IQ4_XS");
}

VulkanBackend::VulkanBackend(const VulkanBackendOptions& options)
    : instance_(VulkanInstance::create()),
      device_(std::make_shared<VulkanDevice>(instance_, chooseDevice(instance_->devices(), options.device))),
      maxBufferBytes_(options.maxBufferBytes ? options.maxBufferBytes : device_->description().maxStorageBufferRange),
      attentionSplitKeys_(options.attentionSplitKeys),
      pipelines_(device_, options.subgroups && device_->description().subgroupArithmetic),
      pool_(std::make_shared<BufferPool>(device_)),
      recorder_(device_, options.replaySubmissions)
{
}

VulkanBackend::~VulkanBackend()
{
    try {
        recorder_.submitAndWait(); // nothing may still run on buffers about to be freed
    } catch (...) {
        // Nothing may escape a destructor; a lost device has nothing running any more.
    }
}

std::string VulkanBackend::name() const
{
    const DeviceDescription& d = device_->description();
    return fmt::format("vulkan (device {}: {}, {}, {})", d.index, d.name, deviceTypeName(d.type),
                       pipelines_.subgroups() ? "subgroup reductions" : "shared-memory reductions");
}

void VulkanBackend::checkBudget(const gguf::GgufFile& file)
{
    budgetChecked_ = true;
    const uint64_t bytes = file.tensorBytes();
    const uint64_t budget = device_->deviceLocalBudget();
    if (bytes > budget)
        throw Error(fmt::format("{}: the weights take {} MiB, but Vulkan device '{}' has {} MiB of device memory free; "
                                "use a smaller quantization, close programs that use the GPU, or use --backend cpu",
                                file.source(), bytes >> 20, device_->description().name, budget >> 20));
}

Tensor VulkanBackend::weight(const gguf::GgufFile& file, const gguf::TensorInfo& info, WeightUse)
{
    if (const std::string why = unsupportedOnVulkan(file); !why.empty())
        throw Error(why + ": use --backend cpu");
    if (!budgetChecked_)
        checkBudget(file);
    Tensor tensor;
    tensor.type = info.type;
    tensor.cols = int64_t(info.shape[0]);
    tensor.rows = int64_t(info.rowCount());
    const uint64_t rowBytes = tensor.rowBytes();
    const std::span<const uint8_t> data = file.tensorData(info);
    // Whole rows per buffer, each buffer within what a storage buffer may span; the shaders
    // address bytes with 32-bit offsets, so no buffer exceeds 4 GiB either.
    const uint64_t limit = std::min<uint64_t>(maxBufferBytes_, uint64_t(1) << 32) / 4 * 4;
    if (rowBytes > limit)
        throw Error(fmt::format("{}: a row of tensor '{}' takes {} bytes, more than Vulkan device '{}' can bind ({}); "
                                "use --backend cpu",
                                file.source(), info.name, rowBytes, device_->description().name, limit));
    const int64_t rowsPerPart = int64_t(limit / rowBytes);
    auto storage = std::make_shared<DeviceStorage>();
    storage->rowsPerPart = rowsPerPart >= tensor.rows ? 0 : rowsPerPart;

    // Through one staging buffer, a part at a time, in chunks of whole rows.
    const uint64_t stagingBytes = std::min<uint64_t>(data.size(), std::max<uint64_t>(rowBytes, 64 << 20));
    Buffer staging(device_, std::max<uint64_t>(stagingBytes, 4), true);
    for (int64_t first = 0; first < tensor.rows; first += rowsPerPart) {
        const int64_t rows = std::min(rowsPerPart, tensor.rows - first);
        const uint64_t partBytes = uint64_t(rows) * rowBytes;
        auto part = std::make_shared<Buffer>(device_, (std::max<uint64_t>(partBytes, 4) + 3) / 4 * 4, false);
        for (uint64_t done = 0; done < partBytes;) {
            const uint64_t chunk = std::min(partBytes - done, stagingBytes / rowBytes * rowBytes);
            std::memcpy(staging.mapped(), data.data() + uint64_t(first) * rowBytes + done, chunk);
            recorder_.copy({&staging, 0}, {part.get(), done}, chunk);
            recorder_.submitAndWait();
            done += chunk;
        }
        storage->parts.push_back(std::move(part));
    }
    tensor.storage = std::move(storage);
    return tensor;
}

Tensor VulkanBackend::allocate(gguf::TensorType type, int64_t cols, int64_t rows)
{
    Tensor tensor = workspace(type, cols, rows);
    recorder_.zero(*storageOf<DeviceStorage>(tensor).parts[0]);
    return tensor;
}

Tensor VulkanBackend::workspace(gguf::TensorType type, int64_t cols, int64_t rows)
{
    Tensor tensor;
    tensor.type = type;
    tensor.cols = cols;
    tensor.rows = rows;
    const uint64_t bytes = tensor.rowBytes() * uint64_t(rows);
    const uint64_t limit = device_->description().maxStorageBufferRange;
    if (bytes > limit || bytes >= (uint64_t(1) << 32))
        throw Error(fmt::format("vulkan: a tensor of {} x {} takes {} MiB, more than Vulkan device '{}' can bind ({} "
                                "MiB); choose a smaller --ctx or --batch",
                                rows, cols, bytes >> 20, device_->description().name, limit >> 20));
    tensor.storage = pool_->acquire(bytes);
    return tensor;
}

BufferSlice VulkanBackend::activation(const Tensor& tensor, int64_t row)
{
    const DeviceStorage& storage = storageOf<DeviceStorage>(tensor);
    require(storage.rowsPerPart == 0, "activation", "expects a tensor held in one buffer");
    recorder_.keepAlive(tensor.storage);
    return {storage.parts[0].get(), tensor.offset + uint64_t(row) * tensor.rowBytes()};
}

template <typename Fn>
void VulkanBackend::forEachPart(const Tensor& tensor, Fn fn)
{
    const DeviceStorage& storage = storageOf<DeviceStorage>(tensor);
    recorder_.keepAlive(tensor.storage);
    const uint64_t rowBytes = tensor.rowBytes();
    const auto first = int64_t(tensor.offset / rowBytes); // views start on a row
    const int64_t perPart = storage.rowsPerPart ? storage.rowsPerPart : first + tensor.rows;
    for (int64_t row = first; row < first + tensor.rows;) {
        const int64_t part = row / perPart;
        const int64_t end = std::min((part + 1) * perPart, first + tensor.rows);
        fn(BufferSlice{storage.parts[size_t(part)].get(), uint64_t(row - part * perPart) * rowBytes}, row - first,
           end - row);
        row = end;
    }
}

BufferSlice VulkanBackend::hostData(const void* data, uint64_t bytes)
{
    const BufferSlice slice = recorder_.hostBytes(bytes);
    std::memcpy(slice.buffer->mapped() + slice.offset, data, bytes);
    return slice;
}

BufferSlice VulkanBackend::positionWord(int64_t position)
{
    const auto word = uint32_t(position);
    return hostData(&word, sizeof word);
}

void VulkanBackend::upload(Tensor& tensor, std::span<const float> values)
{
    require((tensor.type == TensorType::F32 || tensor.type == TensorType::F16) &&
                values.size() == size_t(tensor.cols * tensor.rows),
            "upload", "expects all the values of an F32 or F16 tensor");
    BufferSlice from;
    if (tensor.type == TensorType::F32) {
        from = hostData(values.data(), values.size_bytes());
    } else {
        std::vector<uint16_t> halves(values.size());
        std::transform(values.begin(), values.end(), halves.begin(), floatToHalf);
        from = hostData(halves.data(), halves.size() * sizeof(uint16_t));
    }
    recorder_.copy(from, activation(tensor), tensor.rowBytes() * uint64_t(tensor.rows));
}

void VulkanBackend::getRows(Tensor& out, const Tensor& table, std::span<const int32_t> ids)
{
    const std::string problem = getRowsArgumentsProblem(out, table, ids);
    require(problem.empty(), "getRows", problem.c_str());
    if (ids.empty())
        return;
    const BufferSlice idSlice = hostData(ids.data(), ids.size_bytes());
    const BufferSlice y = activation(out);
    const ComputePipeline& pipeline =
        pipelines_.get("get_rows", 3, 6 * sizeof(uint32_t), {kElementGroup, uint32_t(table.type)});
    forEachPart(table, [&](BufferSlice part, int64_t firstRow, int64_t rows) {
        const uint32_t push[] = {uint32_t(table.cols), uint32_t(part.offset), uint32_t(firstRow), uint32_t(rows),
                                 uint32_t(idSlice.offset / 4), floatsAt(y)};
        recorder_.dispatch(pipeline, {part.buffer, idSlice.buffer, y.buffer}, push, sizeof push,
                           groupsFor(uint64_t(table.cols), kElementGroup), uint32_t(ids.size()));
    });
}

void VulkanBackend::rmsNorm(Tensor& out, const Tensor& x, const Tensor& weight, float eps)
{
    norm(out, x, weight, eps, nullptr);
}

void VulkanBackend::addAndNorm(Tensor& x, const Tensor& addend, Tensor& out, const Tensor& weight, float eps)
{
    require(addend.type == TensorType::F32 && x.type == TensorType::F32 && addend.cols == x.cols &&
                addend.rows == x.rows,
            "addAndNorm", "shapes do not match");
    norm(out, x, weight, eps, &addend);
}

void VulkanBackend::norm(Tensor& out, const Tensor& x, const Tensor& weight, float eps, const Tensor* addend)
{
    require(out.cols == x.cols && out.rows == x.rows && weight.cols == x.cols && weight.type == TensorType::F32 &&
                x.rows <= kMaxGroups,
            "rmsNorm", "shapes do not match");
    const BufferSlice in = activation(x), w = activation(weight), y = activation(out),
                      added = addend ? activation(*addend) : in;
    const FormsProducer producer{w.buffer->id(), x.cols, x.rows};
    const ProducedForms forms = producedForms(producer);
    struct {
        uint32_t cols;
        float eps;
        uint32_t xOffset, weightOffset, yOffset, rows, q8_0Offset, q8KOffset;
        uint32_t addendOffset; // rms_norm_add's alone
    } push{uint32_t(x.cols),    eps,           floatsAt(in),   floatsAt(w),   floatsAt(y),
           uint32_t(x.rows),    forms.q8_0Word, forms.q8KWord, floatsAt(added)};
    const Buffer* quantized = forms.buffer ? forms.buffer : y.buffer;
    if (addend)
        recorder_.dispatch(pipelines_.get("rms_norm_add", 5, sizeof push, {kReduceGroup, forms.bits}),
                           {in.buffer, w.buffer, y.buffer, quantized, added.buffer}, &push, sizeof push, uint32_t(x.rows));
    else
        recorder_.dispatch(pipelines_.get("rms_norm", 4, sizeof push - sizeof push.addendOffset, {kReduceGroup, forms.bits}),
                           {in.buffer, w.buffer, y.buffer, quantized}, &push, sizeof push - sizeof push.addendOffset,
                           uint32_t(x.rows));
    rememberForms(y, producer, forms);
}

void VulkanBackend::matmul(Tensor& out, const Tensor& weight, const Tensor& x)
{
    require(x.type == TensorType::F32 && out.type == TensorType::F32 && weight.cols == x.cols &&
                out.cols == weight.rows && out.rows == x.rows,
            "matmul", "shapes do not match");
    if (!decodedOnVulkan(weight.type))
        notDecoded(weight.type);
    if (x.rows >= kTiledMinTokens) {
        tiledMatmul(out, weight, x);
        return;
    }
    const uint32_t tokens = x.rows == 1 ? 1 : kTileTokens, rowsPerGroup = tileRows(weight.type, weight.cols, tokens);
    const ComputePipeline& pipeline = pipelines_.get("matmul", 3, 9 * sizeof(uint32_t),
                                                     {kReduceGroup, uint32_t(weight.type), rowsPerGroup, tokens});
    require((x.rows + tokens - 1) / tokens <= kMaxGroups, "matmul", "too many tokens in one batch");
    const ProductInput in = productInput(activation(x), x.cols, x.rows, x.cols, weight.type);
    const BufferSlice y = activation(out);
    forEachPart(weight, [&](BufferSlice part, int64_t firstRow, int64_t rows) {
        const uint32_t push[] = {uint32_t(weight.cols), uint32_t(rows),      uint32_t(x.rows),
                                 uint32_t(part.offset), floatsAt(in.slice),  in.blocks,
                                 floatsAt(y),           uint32_t(out.cols),  uint32_t(firstRow)};
        recorder_.dispatch(pipeline, {part.buffer, in.slice.buffer, y.buffer}, push, sizeof push,
                           groupsFor(uint64_t(rows), rowsPerGroup), uint32_t((x.rows + tokens - 1) / tokens));
    });
}

void VulkanBackend::tiledMatmul(Tensor& out, const Tensor& weight, const Tensor& x)
{
    const ComputePipeline& pipeline = pipelines_.get("matmul_tiled", 3, 9 * sizeof(uint32_t),
                                                     {kTiledGroup, uint32_t(weight.type), kTiledRows, kTiledTokens});
    require((x.rows + kTiledTokens - 1) / kTiledTokens <= kMaxGroups, "matmul", "too many tokens in one batch");
    const ProductInput in = productInput(activation(x), x.cols, x.rows, x.cols, weight.type);
    const BufferSlice y = activation(out);
    forEachPart(weight, [&](BufferSlice part, int64_t firstRow, int64_t rows) {
        const uint32_t push[] = {uint32_t(weight.cols), uint32_t(rows),     uint32_t(x.rows),
                                 uint32_t(part.offset), floatsAt(in.slice), in.blocks,
                                 floatsAt(y),           uint32_t(out.cols), uint32_t(firstRow)};
        recorder_.dispatch(pipeline, {part.buffer, in.slice.buffer, y.buffer}, push, sizeof push,
                           groupsFor(uint64_t(rows), kTiledRows), uint32_t((x.rows + kTiledTokens - 1) / kTiledTokens));
    });
}

const BufferSlice* VulkanBackend::rotationsTable(std::span<const int32_t> positions, const RopeParams& params)
{
    Rotations& last = rotations_;
    const RopeParams& p = last.params;
    const bool same = last.submission == recorder_.submissions() &&
                      std::equal(positions.begin(), positions.end(), last.positions.begin(), last.positions.end()) &&
                      p.ropeDims == params.ropeDims && p.freqBase == params.freqBase && p.freqScale == params.freqScale &&
                      p.yarnLow == params.yarnLow && p.yarnHigh == params.yarnHigh;
    if (!same) {
        // The cosines and sines, as the CPU backend rotates by them (see rope.comp).
        const std::vector<float> rotations = ropeRotations(positions, params);
        if (rotations.empty())
            return nullptr;
        last = {{positions.begin(), positions.end()},
                params,
                hostData(rotations.data(), rotations.size() * sizeof(float)),
                recorder_.submissions()};
    }
    return &last.table;
}

void VulkanBackend::rope(Tensor& x, std::span<const int32_t> positions, const RopeParams& params)
{
    require(ropeArgumentsFit(x, positions.size(), params), "rope", "shapes do not match");
    const auto pairs = uint32_t(params.ropeDims / 2);
    const BufferSlice* rotations = rotationsTable(positions, params);
    if (!rotations)
        return;
    const BufferSlice table = *rotations;
    const BufferSlice in = activation(x);
    const uint32_t heads = uint32_t(x.cols / params.headDim);
    const uint32_t push[] = {uint32_t(x.rows), heads,        uint32_t(params.headDim), uint32_t(params.firstDim),
                             pairs,            floatsAt(in), floatsAt(table)};
    recorder_.dispatch(pipelines_.get("rope", 2, sizeof push, {kElementGroup}), {in.buffer, table.buffer}, push,
                       sizeof push, groupsFor(uint64_t(x.rows) * heads * pairs, kElementGroup));
}

void VulkanBackend::store(Tensor& cache, const Tensor& x, int64_t firstPosition)
{
    storeRows(cache, x, firstPosition, nullptr, {});
}

void VulkanBackend::ropeAndStore(Tensor& cache, Tensor& x, std::span<const int32_t> positions, const RopeParams& params,
                                 int64_t firstPosition)
{
    require(ropeArgumentsFit(x, positions.size(), params), "ropeAndStore", "shapes do not match");
    storeRows(cache, x, firstPosition, &params, positions);
}

void VulkanBackend::storeRows(Tensor& cache, const Tensor& x, int64_t firstPosition, const RopeParams* rope,
                              std::span<const int32_t> positions)
{
    require(storeArgumentsFit(cache, x, firstPosition), "store", "shapes do not match");
    require(cache.cols % 2 == 0 && cache.offset % 4 == 0, "store",
            "an F16 cache row must hold an even number of values (heads x head size)");
    const BufferSlice* rotations = rope ? rotationsTable(positions, *rope) : nullptr;
    const BufferSlice in = activation(x), rows = activation(cache), position = positionWord(firstPosition);
    const uint32_t count = uint32_t(x.rows * x.cols), groups = groupsFor(uint64_t(count) / 2, kElementGroup);
    if (!rotations) {
        const uint32_t push[] = {count, floatsAt(in), uint32_t(rows.offset / 2), uint32_t(cache.cols),
                                 uint32_t(position.offset / 4)};
        recorder_.dispatch(pipelines_.get("store", 3, sizeof push, {kElementGroup}),
                           {in.buffer, rows.buffer, position.buffer}, push, sizeof push, groups);
        return;
    }
    const uint32_t push[] = {count,
                             floatsAt(in),
                             uint32_t(rows.offset / 2),
                             uint32_t(cache.cols),
                             uint32_t(position.offset / 4),
                             uint32_t(rope->headDim),
                             uint32_t(rope->firstDim),
                             uint32_t(rope->ropeDims / 2),
                             floatsAt(*rotations)};
    recorder_.dispatch(pipelines_.get("store_rotated", 4, sizeof push, {kElementGroup}),
                       {in.buffer, rows.buffer, position.buffer, rotations->buffer}, push, sizeof push, groups);
}

namespace {

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

const Buffer* VulkanBackend::scratchBuffer(uint64_t bytes)
{
    return activation(workspace(TensorType::I8, int64_t(bytes), 1)).buffer;
}

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

VulkanBackend::ProductInput VulkanBackend::productInput(BufferSlice x, int64_t cols, int64_t rows, int64_t xStride,
                                                       gguf::TensorType weightType)
{
    if (!decodedOnVulkan(weightType))
        notDecoded(weightType);
    const uint32_t blockValues = activationBlockValues(weightType);
    if (blockValues == 0)
        return {x, uint32_t(xStride), 0};
    require(cols % blockValues == 0, "matmul", "a quantized matrix's rows are not whole blocks");
    std::map<QuantizedFormKey, QuantizedForm>& made = quantizedForms();
    const QuantizedFormKey key{x.buffer->id(), x.offset, cols, rows, xStride, blockValues};
    const uint64_t written = recorder_.lastWrite(*x.buffer);
    if (const auto found = made.find(key); found != made.end() && found->second.written == written) {
        if (found->second.input)
            return *found->second.input;
        formsWanted_[found->second.producer] |= formBit(blockValues); // its producer makes it from now on
    }
    const QuantizedActivationsLayout layout{blockValues, uint64_t(rows * (cols / blockValues))};
    const BufferSlice quantized{scratchBuffer(layout.bytes()), 0};
    const uint32_t push[] = {uint32_t(cols), uint32_t(rows), floatsAt(x), uint32_t(xStride), 0};
    recorder_.dispatch(pipelines_.get("quantize_activations", 2, sizeof push, {kReduceGroup, uint32_t(blockValues == 256)}),
                       {x.buffer, quantized.buffer}, push, sizeof push, groupsFor(layout.blocks, kReduceGroup));
    const ProductInput input{quantized, 0, uint32_t(layout.blocks)};
    made[key] = {written, input, {}};
    return input;
}

std::map<VulkanBackend::QuantizedFormKey, VulkanBackend::QuantizedForm>& VulkanBackend::quantizedForms()
{
    if (quantizedFormsSubmission_ != recorder_.submissions()) { // their scratch buffers are gone
        quantizedForms_.clear();
        quantizedFormsSubmission_ = recorder_.submissions();
    }
    return quantizedForms_;
}

VulkanBackend::ProducedForms VulkanBackend::producedForms(const FormsProducer& producer)
{
    const auto wanted = formsWanted_.find(producer);
    ProducedForms forms;
    forms.bits = wanted == formsWanted_.end() ? 0 : wanted->second;
    if (forms.bits == 0)
        return forms;
    const uint64_t values = uint64_t(producer.cols * producer.rows);
    const QuantizedActivationsLayout q8_0{32, forms.bits & 1 ? values / 32 : 0}, q8K{256, forms.bits & 2 ? values / 256 : 0};
    forms.buffer = scratchBuffer(q8_0.bytes() + q8K.bytes());
    forms.q8KWord = uint32_t(q8_0.bytes() / 4);
    return forms;
}

void VulkanBackend::rememberForms(BufferSlice y, const FormsProducer& producer, const ProducedForms& forms)
{
    std::map<QuantizedFormKey, QuantizedForm>& made = quantizedForms();
    const uint64_t written = recorder_.lastWrite(*y.buffer);
    for (const uint32_t blockValues : {32u, 256u}) {
        if (producer.cols % blockValues != 0)
            continue;
        std::optional<ProductInput> input;
        if (forms.bits & formBit(blockValues)) {
            const uint32_t word = blockValues == 256 ? forms.q8KWord : forms.q8_0Word;
            input = ProductInput{{forms.buffer, uint64_t(word) * 4}, 0,
                                 uint32_t(producer.rows * (producer.cols / blockValues))};
        }
        made[{y.buffer->id(), y.offset, producer.cols, producer.rows, producer.cols, blockValues}] = {written, input,
                                                                                                      producer};
    }
}

VulkanBackend::ExpertGroups VulkanBackend::groupByExpert(BufferSlice ids, int64_t pairs, int64_t experts)
{
    // An expert's pairs fill whole tiles but for its last.
    const uint64_t tiles = (uint64_t(pairs) + kTiledTokens - 1) / kTiledTokens + uint64_t(std::min(pairs, experts));
    require(tiles <= kMaxGroups, "moe", "too many tokens in one batch");
    const ExpertGroups groups{scratchBuffer((4 * tiles + uint64_t(pairs)) * sizeof(uint32_t)), uint32_t(tiles),
                              uint32_t(4 * tiles)};
    const uint32_t push[] = {uint32_t(pairs), uint32_t(ids.offset / 4), groups.tiles, groups.orderWord};
    recorder_.dispatch(pipelines_.get("moe_group", 2, sizeof push, {kElementGroup, uint32_t(experts), kTiledTokens}),
                       {ids.buffer, groups.buffer}, push, sizeof push, 1);
    return groups;
}

void VulkanBackend::groupedExpertMatmul(BufferSlice y, const Tensor& stack, int64_t matrixRows, const ProductInput& x,
                                        int64_t pairsPerXRow, const ExpertGroups& groups, int64_t pairs)
{
    require(stack.rows % matrixRows == 0 && (x.xStride == 0 || x.xStride == stack.cols), "matmul_experts_tiled",
            "shapes do not match");
    const ComputePipeline& pipeline = pipelines_.get("matmul_experts_tiled", 4, 12 * sizeof(uint32_t),
                                                     {kTiledGroup, uint32_t(stack.type), kTiledRows, kTiledTokens});
    forEachPart(stack, [&](BufferSlice part, int64_t firstRow, int64_t rows) {
        const uint32_t push[] = {uint32_t(stack.cols),  uint32_t(rows),         uint32_t(pairs),
                                 uint32_t(part.offset), floatsAt(x.slice),      x.blocks,
                                 floatsAt(y),           uint32_t(matrixRows),   uint32_t(firstRow),
                                 uint32_t(matrixRows),  uint32_t(pairsPerXRow), groups.orderWord};
        recorder_.dispatch(pipeline, {part.buffer, x.slice.buffer, y.buffer, groups.buffer}, push, sizeof push,
                           groupsFor(uint64_t(matrixRows), kTiledRows), groups.tiles);
    });
}

void VulkanBackend::expertMatmul(BufferSlice y, const Tensor& stack, int64_t matrixRows, const ProductInput& x,
                                 int64_t pairsPerXRow, BufferSlice ids, int64_t pairs)
{
    require(pairs <= kMaxGroups && stack.rows % matrixRows == 0, "matmul_experts", "shapes do not match");
    const uint32_t rowsPerGroup = tileRows(stack.type, stack.cols, 1);
    const ComputePipeline& pipeline = pipelines_.get("matmul_experts", 4, 13 * sizeof(uint32_t),
                                                     {kReduceGroup, uint32_t(stack.type), rowsPerGroup, 1});
    forEachPart(stack, [&](BufferSlice part, int64_t firstRow, int64_t rows) {
        const uint32_t push[] = {uint32_t(stack.cols),  uint32_t(rows),         uint32_t(pairs),
                                 uint32_t(part.offset), floatsAt(x.slice),      x.blocks,
                                 floatsAt(y),           uint32_t(matrixRows),   uint32_t(firstRow),
                                 uint32_t(ids.offset / 4), uint32_t(matrixRows), uint32_t(pairsPerXRow),
                                 x.xStride};
        recorder_.dispatch(pipeline, {part.buffer, x.slice.buffer, y.buffer, ids.buffer}, push, sizeof push,
                           groupsFor(uint64_t(matrixRows), rowsPerGroup), uint32_t(pairs));
    });
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

void VulkanBackend::route(Tensor& ids, Tensor& weights, const Tensor& logits, const Tensor* bias, const MoeRouting& r)
{
    const std::string problem = routeArgumentsProblem(ids, weights, logits, bias, r);
    require(problem.empty(), "route", problem.c_str());
    if (logits.rows == 0)
        return;
    const BufferSlice l = activation(logits), b = bias ? activation(*bias) : l, chosen = activation(ids),
                      w = activation(weights);
    struct {
        uint32_t tokens, used, groupsUsed, sigmoid, normalize, hasBias;
        float scale;
        uint32_t logitsOffset, biasOffset, idsOffset, weightsOffset;
    } push{uint32_t(logits.rows), uint32_t(r.used),    uint32_t(r.groupsUsed), r.gating == MoeRouting::Gating::Sigmoid,
           r.normalize,           bias != nullptr,     r.scale,                floatsAt(l),
           floatsAt(b),           uint32_t(chosen.offset / 4), floatsAt(w)};
    recorder_.dispatch(
        pipelines_.get("route", 4, sizeof push, {kReduceGroup, uint32_t(r.experts), uint32_t(r.groups)}),
        {l.buffer, b.buffer, chosen.buffer, w.buffer}, &push, sizeof push, groupsFor(uint64_t(logits.rows), kReduceGroup));
}

void VulkanBackend::moe(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                        const Tensor& weights)
{
    require(moeArgumentsFit(out, x, experts, ids, weights), "moe", "shapes do not match");
    if (x.rows == 0)
        return;
    // One row per (token, chosen expert) pair: its expert's gate and up, then down, each picked
    // from the layer's stack by the id route() left on the device.
    const int64_t width = experts.feedForward(), used = ids.cols, pairs = x.rows * used;
    Tensor gate = workspace(TensorType::F32, width, pairs), up = workspace(TensorType::F32, width, pairs),
           down = workspace(TensorType::F32, out.cols, pairs);
    const BufferSlice chosen = activation(ids), in = activation(x);
    // A batch's pairs grouped by expert, so that an expert's rows are read once per tile of its
    // tokens; a few tokens' pairs read their expert's rows each (matmul_experts).
    const std::optional<ExpertGroups> groups =
        x.rows >= kTiledMinTokens && experts.count <= kMaxGroupedExperts
            ? std::optional(groupByExpert(chosen, pairs, experts.count))
            : std::nullopt;
    const auto product = [&](BufferSlice y, const Tensor& stack, int64_t matrixRows, const ProductInput& input,
                             int64_t pairsPerXRow) {
        if (groups)
            groupedExpertMatmul(y, stack, matrixRows, input, pairsPerXRow, *groups, pairs);
        else
            expertMatmul(y, stack, matrixRows, input, pairsPerXRow, chosen, pairs);
    };
    const ProductInput gateInput = productInput(in, x.cols, x.rows, x.cols, experts.gate.type);
    const ProductInput upInput = productInput(in, x.cols, x.rows, x.cols, experts.up.type); // gate's form, if the same
    product(activation(gate), experts.gate, width, gateInput, used);
    product(activation(up), experts.up, width, upInput, used);
    swiglu(gate, gate, up);
    const BufferSlice expertOutputs = activation(down), w = activation(weights), y = activation(out);
    product(expertOutputs, experts.down, out.cols, productInput(activation(gate), width, pairs, width, experts.down.type),
            1);
    const uint32_t push[] = {uint32_t(out.cols), uint32_t(used), floatsAt(expertOutputs), floatsAt(w), floatsAt(y)};
    recorder_.dispatch(pipelines_.get("moe_combine", 3, sizeof push, {kElementGroup}),
                       {expertOutputs.buffer, w.buffer, y.buffer}, push, sizeof push,
                       groupsFor(uint64_t(out.cols), kElementGroup), uint32_t(x.rows));
}

void VulkanBackend::elementwise(uint32_t operation, Tensor& out, const Tensor& a, const Tensor& b)
{
    require(out.cols == a.cols && a.cols == b.cols && out.rows == a.rows && a.rows == b.rows &&
                out.type == TensorType::F32 && a.type == TensorType::F32 && b.type == TensorType::F32,
            operation == 0 ? "add" : "swiglu", "shapes do not match");
    const BufferSlice x = activation(a), z = activation(b), y = activation(out);
    // SwiGLU's output is the down projection's x (FeedForward::apply, moe): its quantized forms may
    // be made here, an invocation taking a block of them (elementwise.comp).
    const FormsProducer producer{0, out.cols, out.rows};
    const ProducedForms forms = operation == 1 ? producedForms(producer) : ProducedForms{};
    const uint64_t count = uint64_t(out.rows * out.cols), perInvocation = forms.bits & 2 ? 256 : forms.bits ? 32 : 1;
    const uint32_t push[] = {uint32_t(count), floatsAt(x), floatsAt(z), floatsAt(y), forms.q8_0Word, forms.q8KWord};
    recorder_.dispatch(pipelines_.get("elementwise", 4, sizeof push, {kElementGroup, operation, forms.bits}),
                       {x.buffer, z.buffer, y.buffer, forms.buffer ? forms.buffer : y.buffer}, push, sizeof push,
                       groupsFor(count / perInvocation, kElementGroup));
    if (operation == 1)
        rememberForms(y, producer, forms);
}

void VulkanBackend::swiglu(Tensor& out, const Tensor& gate, const Tensor& up)
{
    elementwise(1, out, gate, up);
}

void VulkanBackend::add(Tensor& out, const Tensor& a, const Tensor& b)
{
    elementwise(0, out, a, b);
}

void VulkanBackend::synchronize()
{
    recorder_.submitAndWait();
}

void VulkanBackend::read(const Tensor& tensor, std::span<float> values)
{
    require(tensor.type == TensorType::F32 && values.size() == size_t(tensor.cols * tensor.rows), "read",
            "expects all the F32 values of the tensor");
    const BufferSlice back = recorder_.hostBytes(values.size_bytes());
    recorder_.copy(activation(tensor), back, values.size_bytes());
    recorder_.submitAndWait();
    std::memcpy(values.data(), back.buffer->mapped() + back.offset, values.size_bytes());
}

} // namespace latent::vulkan
