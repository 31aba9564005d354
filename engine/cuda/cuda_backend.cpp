#include "engine/cuda/cuda_backend.h"

#include "engine/backend/rope_frequencies.h"
#include "engine/core/half.h"
#include "engine/cuda/cuda_check.h"
#include "engine/gguf/gguf_file.h"
#include "kernels/attention.h"
#include "kernels/cache_store.h"
#include "kernels/elementwise.h"
#include "kernels/experts.h"
#include "kernels/rms_norm.h"
#include "kernels/rope.h"
#include "kernels/weight_products.h"

#include <cuda_runtime_api.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace latent::cuda {
namespace {

using gguf::TensorType;

constexpr uint64_t kStagingBytes = uint64_t(64) << 20;

void require(bool condition, const char* operation, const char* what)
{
    if (!condition)
        throw Error(fmt::format("cuda backend: {}: {}", operation, what));
}

// The kernels take sizes as int: every count a model makes fits, and a corrupt one is refused here.
bool fitsInt(int64_t value)
{
    return value >= 0 && value <= std::numeric_limits<int>::max();
}

uint8_t* bytesOf(const Tensor& tensor, int64_t row = 0)
{
    return storageOf<CudaStorage>(tensor).memory->data() + tensor.offset + uint64_t(row) * tensor.rowBytes();
}

float* floatsOf(const Tensor& tensor, int64_t row = 0)
{
    return reinterpret_cast<float*>(bytesOf(tensor, row));
}

} // namespace

std::string unsupportedOnCuda(const gguf::GgufFile& file)
{
    return unsupportedOnGpu(
        file, "CUDA", [](TensorType type) { return decodesWeightType(int(type)); },
        "F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL, Q2_K..Q6_K, IQ4_XS");
}

CudaBackend::CudaBackend(const CudaBackendOptions& options)
{
    const CudaDevices devices = listCudaDevices();
    device_ = devices.devices[size_t(chooseCudaDevice(devices, options.device))];
    useDevice();
    check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "creating a stream");
}

CudaBackend::~CudaBackend()
{
    // Nothing may still run on memory about to be freed; a failed device has nothing running.
    cudaSetDevice(device_.index);
    cudaStreamSynchronize(stream_);
    cudaStreamDestroy(stream_);
}

std::string CudaBackend::name() const
{
    return fmt::format("cuda (device {}: {}, compute capability {}.{})", device_.index, device_.name,
                       device_.computeMajor, device_.computeMinor);
}

void CudaBackend::useDevice() const
{
    check(cudaSetDevice(device_.index), "selecting the device");
}

uint64_t CudaBackend::freeDeviceMemory() const
{
    useDevice();
    size_t free = 0, total = 0;
    check(cudaMemGetInfo(&free, &total), "reading the free device memory");
    return free;
}

void CudaBackend::checkBudget(const gguf::GgufFile& file)
{
    budgetChecked_ = true;
    const uint64_t bytes = file.tensorBytes();
    const uint64_t budget = freeDeviceMemory();
    if (bytes > budget)
        throw Error(fmt::format("{}: the weights take {} MiB, but CUDA device '{}' has {} MiB free; use a smaller "
                                "quantization, close programs that use the GPU, or use --backend cpu",
                                file.source(), bytes >> 20, device_.name, budget >> 20),
                    ErrorKind::OutOfMemory);
}

Tensor CudaBackend::weight(const gguf::GgufFile& file, const gguf::TensorInfo& info, WeightUse)
{
    if (const std::string why = unsupportedOnCuda(file); !why.empty())
        throw Error(why + ": use --backend cpu");
    useDevice();
    if (!budgetChecked_)
        checkBudget(file);
    Tensor tensor;
    tensor.type = info.type;
    tensor.cols = int64_t(info.shape[0]);
    tensor.rows = int64_t(info.rowCount());
    require(fitsInt(tensor.cols) && fitsInt(tensor.rows), "weight", "a tensor has more rows or columns than 2^31");
    const std::span<const uint8_t> data = file.tensorData(info);
    auto memory = std::make_shared<DeviceMemory>(data.size());
    // Through page-locked staging, a chunk at a time: a copy from pageable memory would be staged
    // by the driver anyway, through a buffer of its own, chunk by chunk with the host waiting.
    const uint64_t stagingBytes = std::min<uint64_t>(std::max<uint64_t>(data.size(), 1), kStagingBytes);
    uint8_t* staging = arena_.take(stagingBytes);
    for (uint64_t done = 0; done < data.size(); done += stagingBytes) {
        const uint64_t chunk = std::min<uint64_t>(stagingBytes, data.size() - done);
        std::memcpy(staging, data.data() + done, chunk);
        check(cudaMemcpyAsync(memory->data() + done, staging, chunk, cudaMemcpyHostToDevice, stream_),
              "uploading a weight");
        check(cudaStreamSynchronize(stream_), "uploading a weight");
    }
    synchronize(); // hands the staging back
    tensor.storage = std::make_shared<CudaStorage>(std::move(memory));
    return tensor;
}

Tensor CudaBackend::workspace(gguf::TensorType type, int64_t cols, int64_t rows)
{
    useDevice();
    Tensor tensor;
    tensor.type = type;
    tensor.cols = cols;
    tensor.rows = rows;
    require(fitsInt(cols) && fitsInt(rows), "allocate", "more rows or columns than 2^31");
    tensor.storage = pool_->acquire(tensor.rowBytes() * uint64_t(rows));
    return tensor;
}

Tensor CudaBackend::allocate(gguf::TensorType type, int64_t cols, int64_t rows)
{
    Tensor tensor = workspace(type, cols, rows);
    check(cudaMemsetAsync(bytesOf(tensor), 0, tensor.rowBytes() * uint64_t(rows), stream_), "clearing a tensor");
    return tensor;
}

Tensor CudaBackend::uploadBytes(const void* data, uint64_t bytes)
{
    Tensor tensor = workspace(TensorType::I8, int64_t(bytes), 1);
    uint8_t* staging = arena_.take(bytes);
    std::memcpy(staging, data, bytes);
    check(cudaMemcpyAsync(bytesOf(tensor), staging, bytes, cudaMemcpyHostToDevice, stream_), "uploading");
    return tensor;
}

void CudaBackend::upload(Tensor& tensor, std::span<const float> values)
{
    require((tensor.type == TensorType::F32 || tensor.type == TensorType::F16) &&
                values.size() == size_t(tensor.cols * tensor.rows),
            "upload", "expects all the values of an F32 or F16 tensor");
    useDevice();
    const uint64_t bytes = tensor.rowBytes() * uint64_t(tensor.rows);
    uint8_t* staging = arena_.take(bytes);
    if (tensor.type == TensorType::F32) {
        std::memcpy(staging, values.data(), bytes);
    } else {
        auto* halves = reinterpret_cast<uint16_t*>(staging);
        std::transform(values.begin(), values.end(), halves, floatToHalf);
    }
    check(cudaMemcpyAsync(bytesOf(tensor), staging, bytes, cudaMemcpyHostToDevice, stream_), "upload");
}

void CudaBackend::getRows(Tensor& out, const Tensor& table, std::span<const int32_t> ids)
{
    const std::string problem = getRowsArgumentsProblem(out, table, ids);
    require(problem.empty(), "getRows", problem.c_str());
    if (ids.empty())
        return;
    useDevice();
    const Tensor deviceIds = uploadBytes(ids.data(), ids.size_bytes());
    const WeightStack stack{int(table.type), bytesOf(table), table.rowBytes(), int(table.cols), int(table.rows)};
    check(cuda::getRows(stack, reinterpret_cast<const int32_t*>(bytesOf(deviceIds)), int(ids.size()), floatsOf(out),
                        stream_),
          "getRows");
}

void CudaBackend::rmsNorm(Tensor& out, const Tensor& x, const Tensor& weight, float eps)
{
    require(out.cols == x.cols && out.rows == x.rows && weight.cols == x.cols && weight.type == TensorType::F32 &&
                x.type == TensorType::F32 && out.type == TensorType::F32,
            "rmsNorm", "shapes do not match");
    if (x.rows == 0)
        return;
    useDevice();
    check(cuda::rmsNorm(floatsOf(x), floatsOf(weight), floatsOf(out), int(x.rows), int(x.cols), eps,
                        stream_),
          "rmsNorm");
}

void CudaBackend::stackProduct(float* y, int64_t yStride, const Tensor& stack, int64_t matrixRows, const float* x,
                               int64_t xStride, int64_t pairsPerXRow, const int32_t* ids, int64_t pairs)
{
    require(stack.rows % matrixRows == 0 && fitsInt(pairs), "matmul", "shapes do not match");
    if (!decodesWeightType(int(stack.type)))
        throw Error(fmt::format("cuda: the kernels do not decode {} weights: use --backend cpu",
                                gguf::tensorTypeName(stack.type)));
    const WeightStack w{int(stack.type), bytesOf(stack), stack.rowBytes(), int(stack.cols), int(matrixRows)};
    ProductInput input{.floats = x, .xStride = xStride};
    Tensor quants, scales;
    if (readsQuantizedRows(int(stack.type))) {
        // Each x row once, however many pairs read it.
        const int64_t rows = (pairs + pairsPerXRow - 1) / pairsPerXRow, blocks = stack.cols / 32;
        require(stack.cols % 32 == 0, "matmul", "a quantized matrix's rows are not whole 32-value blocks");
        quants = workspace(TensorType::I8, stack.cols, rows);
        scales = workspace(TensorType::F32, 2 * blocks, rows);
        check(quantizeRows(x, xStride, int(rows), int(stack.cols), reinterpret_cast<int8_t*>(bytesOf(quants)),
                           reinterpret_cast<float2*>(bytesOf(scales)), stream_),
              "quantizing activations");
        input.quantized = {reinterpret_cast<const int8_t*>(bytesOf(quants)),
                           reinterpret_cast<const float2*>(bytesOf(scales))};
    }
    check(weightProduct(w, input, int(pairsPerXRow), ids, int(pairs), y, yStride, stream_), "matmul");
}

void CudaBackend::matmul(Tensor& out, const Tensor& weight, const Tensor& x)
{
    require(matmulArgumentsFit(out, weight, x), "matmul", "shapes do not match");
    if (x.rows == 0)
        return;
    useDevice();
    stackProduct(floatsOf(out), out.cols, weight, weight.rows, floatsOf(x), x.cols, 1, nullptr, x.rows);
}

void CudaBackend::rope(Tensor& x, std::span<const int32_t> positions, const RopeParams& params)
{
    require(ropeArgumentsFit(x, positions.size(), params), "rope", "shapes do not match");
    // The cosines and sines, as the CPU backend rotates by them.
    const std::vector<float> rotations = ropeRotations(positions, params);
    if (rotations.empty())
        return;
    useDevice();
    const Tensor table = uploadBytes(rotations.data(), rotations.size() * sizeof(float));
    check(cuda::rope(floatsOf(x), int(x.rows), int(x.cols / params.headDim), params.headDim, params.firstDim,
                     params.ropeDims / 2, reinterpret_cast<const float2*>(bytesOf(table)), stream_),
          "rope");
}

void CudaBackend::store(Tensor& cache, const Tensor& x, int64_t firstPosition)
{
    require(storeArgumentsFit(cache, x, firstPosition), "store", "shapes do not match");
    if (x.rows == 0)
        return;
    useDevice();
    check(storeHalf(floatsOf(x), x.rows * x.cols, reinterpret_cast<uint16_t*>(bytesOf(cache, firstPosition)),
                    stream_),
          "store");
}

Tensor CudaBackend::splitScratch(int64_t tokens, int heads, int width)
{
    // The kernels split a sequence only while (token, head) blocks are too few to fill the device:
    // decoding and short batches. Larger batches get none, which costs them nothing.
    constexpr int kSplits = 32;
    if (tokens * heads > int64_t(4) * device_.multiprocessors)
        return {};
    return workspace(TensorType::F32, int64_t(attentionScratchFloats(int(tokens), heads, width, kSplits)), 1);
}

void CudaBackend::attention(Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                            const AttentionParams& p)
{
    require(attentionArgumentsFit(out, q, keys, values, p) && fitsInt(p.firstPosition), "attention",
            "shapes do not match");
    if (q.rows == 0)
        return;
    useDevice();
    const Tensor scratch = splitScratch(q.rows, p.heads, p.headDim);
    check(cuda::attention(floatsOf(q), reinterpret_cast<const uint16_t*>(bytesOf(keys)),
                          reinterpret_cast<const uint16_t*>(bytesOf(values)), floatsOf(out), int(q.rows), p.heads,
                          p.kvHeads, p.headDim, int(p.firstPosition), p.scale, stream_,
                          scratch.storage ? floatsOf(scratch) : nullptr, size_t(scratch.cols * scratch.rows)),
          "attention");
}

// In the absorbed form for every batch, as the Vulkan backend: W_UK^T folded into each head's
// query and W_UV applied to its latent result are per-head products (the head as the matrix of the
// stack), around one attention of width latentDim + ropeDim over the latent cache.
void CudaBackend::mlaAttention(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                               const Tensor& keyUp, const Tensor& valueUp, const MlaParams& p)
{
    const int64_t queryWidth = p.nopeDim + p.ropeDim, pairs = q.rows * p.heads;
    require(mlaArgumentsFit(out, q, latent, ropeKeys, keyUp, valueUp, p) && fitsInt(p.firstPosition), "mlaAttention",
            "shapes do not match");
    if (q.rows == 0)
        return;
    useDevice();
    std::vector<int32_t> headOfPair(static_cast<size_t>(pairs)); // pair t * heads + h uses head h's matrices
    for (int64_t pair = 0; pair < pairs; ++pair)
        headOfPair[size_t(pair)] = int32_t(pair % p.heads);
    const Tensor heads = uploadBytes(headOfPair.data(), headOfPair.size() * sizeof(int32_t));
    const auto* headIds = reinterpret_cast<const int32_t*>(bytesOf(heads));
    Tensor absorbed = workspace(TensorType::F32, p.latentDim, pairs), attended = workspace(TensorType::F32, p.latentDim, pairs);
    stackProduct(floatsOf(absorbed), p.latentDim, keyUp, p.latentDim, floatsOf(q), queryWidth, 1, headIds, pairs);
    const Tensor scratch = splitScratch(q.rows, p.heads, p.latentDim);
    check(cuda::mlaAttention(floatsOf(absorbed), floatsOf(q), reinterpret_cast<const uint16_t*>(bytesOf(latent)),
                             reinterpret_cast<const uint16_t*>(bytesOf(ropeKeys)), floatsOf(attended), int(q.rows),
                             p.heads, p.nopeDim, p.ropeDim, p.latentDim, int(p.firstPosition), p.scale,
                             stream_, scratch.storage ? floatsOf(scratch) : nullptr,
                             size_t(scratch.cols * scratch.rows)),
          "mlaAttention");
    stackProduct(floatsOf(out), p.valueDim, valueUp, p.valueDim, floatsOf(attended), p.latentDim, 1, headIds, pairs);
}

void CudaBackend::route(Tensor& ids, Tensor& weights, const Tensor& logits, const Tensor* bias, const MoeRouting& r)
{
    const std::string problem = routeArgumentsProblem(ids, weights, logits, bias, r);
    require(problem.empty(), "route", problem.c_str());
    require(r.experts <= kMaxRoutedExperts, "route", "more experts than the routing kernel takes");
    if (logits.rows == 0)
        return;
    useDevice();
    const Routing routing{.experts = r.experts,
                          .used = r.used,
                          .groups = r.groups,
                          .groupsUsed = r.groupsUsed,
                          .sigmoid = r.gating == MoeRouting::Gating::Sigmoid,
                          .normalize = r.normalize,
                          .scale = r.scale};
    check(cuda::route(floatsOf(logits), bias ? floatsOf(*bias) : nullptr,
                      reinterpret_cast<int32_t*>(bytesOf(ids)), floatsOf(weights), int(logits.rows), routing,
                      stream_),
          "route");
}

// One row per (token, chosen expert) pair: its expert's gate and up, then down, each picked from
// the layer's stack by the id route() left on the device, so no expert id comes back to the host.
void CudaBackend::moe(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                      const Tensor& weights)
{
    require(moeArgumentsFit(out, x, experts, ids, weights), "moe", "shapes do not match");
    if (x.rows == 0)
        return;
    useDevice();
    const int64_t width = experts.feedForward(), used = ids.cols, pairs = x.rows * used;
    Tensor gate = workspace(TensorType::F32, width, pairs), up = workspace(TensorType::F32, width, pairs),
           down = workspace(TensorType::F32, out.cols, pairs);
    const auto* chosen = reinterpret_cast<const int32_t*>(bytesOf(ids));
    stackProduct(floatsOf(gate), width, experts.gate, width, floatsOf(x), x.cols, used, chosen, pairs);
    stackProduct(floatsOf(up), width, experts.up, width, floatsOf(x), x.cols, used, chosen, pairs);
    swiglu(gate, gate, up);
    stackProduct(floatsOf(down), out.cols, experts.down, out.cols, floatsOf(gate), width, 1, chosen, pairs);
    check(combineExperts(floatsOf(down), floatsOf(weights), floatsOf(out), int(x.rows), int(used), int(out.cols),
                         stream_),
          "moe");
}

void CudaBackend::swiglu(Tensor& out, const Tensor& gate, const Tensor& up)
{
    require(out.cols == gate.cols && gate.cols == up.cols && out.rows == gate.rows && gate.rows == up.rows &&
                out.type == TensorType::F32 && gate.type == TensorType::F32 && up.type == TensorType::F32,
            "swiglu", "shapes do not match");
    useDevice();
    check(cuda::swiglu(floatsOf(gate), floatsOf(up), floatsOf(out), out.rows * out.cols, stream_), "swiglu");
}

void CudaBackend::add(Tensor& out, const Tensor& a, const Tensor& b)
{
    require(out.cols == a.cols && a.cols == b.cols && out.rows == a.rows && a.rows == b.rows &&
                out.type == TensorType::F32 && a.type == TensorType::F32 && b.type == TensorType::F32,
            "add", "shapes do not match");
    useDevice();
    check(cuda::add(floatsOf(a), floatsOf(b), floatsOf(out), out.rows * out.cols, stream_), "add");
}

void CudaBackend::synchronize()
{
    useDevice();
    check(cudaStreamSynchronize(stream_), "running the queued operations");
    arena_.reset();
    events_.collect();
}

void CudaBackend::beginOperation(const std::string& kind)
{
    useDevice();
    events_.begin(kind, stream_);
}

void CudaBackend::endOperation()
{
    useDevice();
    events_.end(stream_);
}

void CudaBackend::read(const Tensor& tensor, std::span<float> values)
{
    require(tensor.type == TensorType::F32 && values.size() == size_t(tensor.cols * tensor.rows), "read",
            "expects all the F32 values of the tensor");
    useDevice();
    uint8_t* back = arena_.take(values.size_bytes());
    check(cudaMemcpyAsync(back, bytesOf(tensor), values.size_bytes(), cudaMemcpyDeviceToHost, stream_),
          "read");
    synchronize();
    std::memcpy(values.data(), back, values.size_bytes());
}

} // namespace latent::cuda
