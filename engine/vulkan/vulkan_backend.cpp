#include "engine/vulkan/vulkan_backend.h"

#include "engine/backend/rope_frequencies.h"
#include "engine/core/error.h"
#include "engine/core/half.h"
#include "engine/gguf/gguf_file.h"
#include "engine/vulkan/dispatch_helpers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace latent::vulkan {

using gguf::TensorType;

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

const Buffer* VulkanBackend::scratchBuffer(uint64_t bytes)
{
    return activation(workspace(TensorType::I8, int64_t(bytes), 1)).buffer;
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
