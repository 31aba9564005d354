#include "engine/vulkan/vulkan_backend.h"

#include "engine/backend/rope_frequencies.h"
#include "engine/core/error.h"
#include "engine/core/half.h"
#include "engine/gguf/gguf_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace latent::vulkan {
namespace {

using gguf::TensorType;

// Workgroup sizes: 64 for the reductions (one or two subgroups on every GPU), 128 for the
// element-wise shaders; both within the 128 invocations every device offers.
constexpr uint32_t kReduceGroup = 64;
constexpr uint32_t kElementGroup = 128;
constexpr uint32_t kMaxGroups = 65535; // the least maxComputeWorkGroupCount a device offers
// A matrix product's tile: weight rows by tokens (one token: the matrix-vector product).
constexpr uint32_t kTileRows = 4;
constexpr uint32_t kTileTokens = 8;

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
      pipelines_(device_, options.subgroups && device_->description().subgroupArithmetic),
      pool_(std::make_shared<BufferPool>(device_)),
      recorder_(device_)
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
    auto storage = pool_->acquire(bytes);
    recorder_.zero(*storage->parts[0]);
    tensor.storage = std::move(storage);
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
    require(out.cols == x.cols && out.rows == x.rows && weight.cols == x.cols && weight.type == TensorType::F32 &&
                x.rows <= kMaxGroups,
            "rmsNorm", "shapes do not match");
    const BufferSlice in = activation(x), w = activation(weight), y = activation(out);
    struct {
        uint32_t cols;
        float eps;
        uint32_t xOffset, weightOffset, yOffset;
    } push{uint32_t(x.cols), eps, floatsAt(in), floatsAt(w), floatsAt(y)};
    recorder_.dispatch(pipelines_.get("rms_norm", 3, sizeof push, {kReduceGroup}), {in.buffer, w.buffer, y.buffer},
                       &push, sizeof push, uint32_t(x.rows));
}

void VulkanBackend::matmul(Tensor& out, const Tensor& weight, const Tensor& x)
{
    require(x.type == TensorType::F32 && out.type == TensorType::F32 && weight.cols == x.cols &&
                out.cols == weight.rows && out.rows == x.rows,
            "matmul", "shapes do not match");
    if (!decodedOnVulkan(weight.type))
        notDecoded(weight.type);
    const uint32_t tokens = x.rows == 1 ? 1 : kTileTokens;
    const ComputePipeline& pipeline = pipelines_.get("matmul", 3, 8 * sizeof(uint32_t),
                                                     {kReduceGroup, uint32_t(weight.type), kTileRows, tokens});
    const BufferSlice in = activation(x), y = activation(out);
    require((x.rows + tokens - 1) / tokens <= kMaxGroups, "matmul", "too many tokens in one batch");
    forEachPart(weight, [&](BufferSlice part, int64_t firstRow, int64_t rows) {
        const uint32_t push[] = {uint32_t(weight.cols), uint32_t(rows),         uint32_t(x.rows),   uint32_t(part.offset),
                                 floatsAt(in),          floatsAt(y),            uint32_t(out.cols), uint32_t(firstRow)};
        recorder_.dispatch(pipeline, {part.buffer, in.buffer, y.buffer}, push, sizeof push,
                           groupsFor(uint64_t(rows), kTileRows), uint32_t((x.rows + tokens - 1) / tokens));
    });
}

void VulkanBackend::rope(Tensor& x, std::span<const int32_t> positions, const RopeParams& params)
{
    require(ropeArgumentsFit(x, positions.size(), params), "rope", "shapes do not match");
    // The cosines and sines, as the CPU backend rotates by them (see rope.comp).
    const std::vector<float> rotations = ropeRotations(positions, params);
    const auto pairs = uint32_t(params.ropeDims / 2);
    if (rotations.empty())
        return;
    const BufferSlice table = hostData(rotations.data(), rotations.size() * sizeof(float));
    const BufferSlice in = activation(x);
    const uint32_t heads = uint32_t(x.cols / params.headDim);
    const uint32_t push[] = {uint32_t(x.rows), heads,        uint32_t(params.headDim), uint32_t(params.firstDim),
                             pairs,            floatsAt(in), floatsAt(table)};
    recorder_.dispatch(pipelines_.get("rope", 2, sizeof push, {kElementGroup}), {in.buffer, table.buffer}, push,
                       sizeof push, groupsFor(uint64_t(x.rows) * heads * pairs, kElementGroup));
}

void VulkanBackend::store(Tensor& cache, const Tensor& x, int64_t firstPosition)
{
    require(storeArgumentsFit(cache, x, firstPosition), "store", "shapes do not match");
    require(cache.cols % 2 == 0 && cache.offset % 4 == 0, "store",
            "an F16 cache row must hold an even number of values (heads x head size)");
    const BufferSlice in = activation(x), row = activation(cache, firstPosition);
    const uint32_t push[] = {uint32_t(x.rows * x.cols), floatsAt(in), uint32_t(row.offset / 2)};
    recorder_.dispatch(pipelines_.get("store", 2, sizeof push, {kElementGroup}), {in.buffer, row.buffer}, push,
                       sizeof push, groupsFor(uint64_t(x.rows * x.cols) / 2, kElementGroup));
}

void VulkanBackend::attention(Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                              const AttentionParams& p)
{
    require(attentionArgumentsFit(out, q, keys, values, p) && q.rows <= kMaxGroups, "attention",
            "shapes do not match");
    const BufferSlice query = activation(q), k = activation(keys), v = activation(values), y = activation(out);
    struct {
        uint32_t heads, kvHeads, headDim, firstPosition;
        float scale;
        uint32_t qOffset, keysOffset, valuesOffset, yOffset;
    } push{uint32_t(p.heads),    uint32_t(p.kvHeads),   uint32_t(p.headDim),   uint32_t(p.firstPosition), p.scale,
           floatsAt(query),      uint32_t(k.offset / 2), uint32_t(v.offset / 2), floatsAt(y)};
    const uint32_t maxHeadDim = (uint32_t(p.headDim) + kReduceGroup - 1) / kReduceGroup * kReduceGroup;
    recorder_.dispatch(pipelines_.get("attention", 4, sizeof push, {kReduceGroup, maxHeadDim}),
                       {query.buffer, k.buffer, v.buffer, y.buffer}, &push, sizeof push, uint32_t(p.heads),
                       uint32_t(q.rows));
}

void VulkanBackend::expertMatmul(BufferSlice y, const Tensor& stack, int64_t matrixRows, BufferSlice x,
                                 int64_t xStride, int64_t pairsPerXRow, BufferSlice ids, int64_t pairs)
{
    require(pairs <= kMaxGroups && stack.rows % matrixRows == 0, "matmul_experts", "shapes do not match");
    if (!decodedOnVulkan(stack.type))
        notDecoded(stack.type);
    const ComputePipeline& pipeline =
        pipelines_.get("matmul_experts", 4, 12 * sizeof(uint32_t), {kReduceGroup, uint32_t(stack.type), kTileRows, 1});
    forEachPart(stack, [&](BufferSlice part, int64_t firstRow, int64_t rows) {
        const uint32_t push[] = {uint32_t(stack.cols),  uint32_t(rows),         uint32_t(pairs),
                                 uint32_t(part.offset), floatsAt(x),            floatsAt(y),
                                 uint32_t(matrixRows),  uint32_t(firstRow),     uint32_t(ids.offset / 4),
                                 uint32_t(matrixRows),  uint32_t(pairsPerXRow), uint32_t(xStride)};
        recorder_.dispatch(pipeline, {part.buffer, x.buffer, y.buffer, ids.buffer}, push, sizeof push,
                           groupsFor(uint64_t(matrixRows), kTileRows), uint32_t(pairs));
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
    Tensor absorbed = allocate(TensorType::F32, p.latentDim, pairs), attended = allocate(TensorType::F32, p.latentDim, pairs);
    const BufferSlice query = activation(q), absorbedQuery = activation(absorbed), result = activation(attended);
    expertMatmul(absorbedQuery, keyUp, p.latentDim, query, queryWidth, 1, heads, pairs);

    const BufferSlice c = activation(latent), k = activation(ropeKeys);
    struct {
        uint32_t heads, nopeDim, ropeDim, latentDim, firstPosition;
        float scale;
        uint32_t absorbedOffset, qOffset, latentsOffset, ropeKeysOffset, yOffset;
    } push{uint32_t(p.heads),        uint32_t(p.nopeDim), uint32_t(p.ropeDim),    uint32_t(p.latentDim),
           uint32_t(p.firstPosition), p.scale,            floatsAt(absorbedQuery), floatsAt(query),
           uint32_t(c.offset / 2),   uint32_t(k.offset / 2), floatsAt(result)};
    const uint32_t maxLatent = (uint32_t(p.latentDim) + kReduceGroup - 1) / kReduceGroup * kReduceGroup;
    recorder_.dispatch(pipelines_.get("mla_attention", 5, sizeof push, {kReduceGroup, maxLatent, uint32_t(p.ropeDim)}),
                       {absorbedQuery.buffer, query.buffer, c.buffer, k.buffer, result.buffer}, &push, sizeof push,
                       uint32_t(p.heads), uint32_t(q.rows));

    expertMatmul(activation(out), valueUp, p.valueDim, result, p.latentDim, 1, heads, pairs);
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
    Tensor gate = allocate(TensorType::F32, width, pairs), up = allocate(TensorType::F32, width, pairs),
           down = allocate(TensorType::F32, out.cols, pairs);
    const BufferSlice chosen = activation(ids), in = activation(x);
    expertMatmul(activation(gate), experts.gate, width, in, x.cols, used, chosen, pairs);
    expertMatmul(activation(up), experts.up, width, in, x.cols, used, chosen, pairs);
    swiglu(gate, gate, up);
    const BufferSlice expertOutputs = activation(down), w = activation(weights), y = activation(out);
    expertMatmul(expertOutputs, experts.down, out.cols, activation(gate), width, 1, chosen, pairs);
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
    const uint32_t push[] = {uint32_t(out.rows * out.cols), floatsAt(x), floatsAt(z), floatsAt(y)};
    recorder_.dispatch(pipelines_.get("elementwise", 3, sizeof push, {kElementGroup, operation}),
                       {x.buffer, z.buffer, y.buffer}, push, sizeof push,
                       groupsFor(uint64_t(out.rows * out.cols), kElementGroup));
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
