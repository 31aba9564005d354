#pragma once

#include "engine/backend/backend.h"
#include "engine/cuda/cuda_device.h"
#include "engine/cuda/device_memory.h"
#include "engine/cuda/operation_events.h"

#include <optional>

// The CUDA runtime's stream type (cudaStream_t), without its header: the app includes this one.
struct CUstream_st;

namespace latent::cuda {

struct CudaBackendOptions {
    std::optional<uint32_t> device; // unset: LATENT_CUDA_DEVICE, else the usable device with the most memory
};

// Why a model file cannot run on the CUDA backend (an architecture other than llama and deepseek2,
// or a weight type the kernels do not decode), naming the architecture or tensor; empty when it can.
std::string unsupportedOnCuda(const gguf::GgufFile& file);

// The CUDA backend: weights uploaded once to device memory in their stored types, through
// page-locked staging; every operation a kernel (kernels/) queued on one stream, which
// synchronize() waits for.
class CudaBackend final : public Backend {
public:
    explicit CudaBackend(const CudaBackendOptions& options = {});
    ~CudaBackend() override;

    std::string name() const override;
    size_t threads() const override { return 1; }
    const CudaDeviceDescription& device() const { return device_; }
    // Device memory free now.
    uint64_t freeDeviceMemory() const;

    Tensor weight(const gguf::GgufFile& file, const gguf::TensorInfo& info, WeightUse use) override;
    Tensor allocate(gguf::TensorType type, int64_t cols, int64_t rows) override;
    void upload(Tensor& tensor, std::span<const float> values) override;

    void getRows(Tensor& out, const Tensor& table, std::span<const int32_t> ids) override;
    void rmsNorm(Tensor& out, const Tensor& x, const Tensor& weight, float eps) override;
    void matmul(Tensor& out, const Tensor& weight, const Tensor& x) override;
    void rope(Tensor& x, std::span<const int32_t> positions, const RopeParams& params) override;
    void store(Tensor& cache, const Tensor& x, int64_t firstPosition) override;
    void attention(Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                   const AttentionParams& params) override;
    void mlaAttention(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys, const Tensor& keyUp,
                      const Tensor& valueUp, const MlaParams& params) override;
    void route(Tensor& ids, Tensor& weights, const Tensor& logits, const Tensor* bias,
               const MoeRouting& routing) override;
    void moe(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
             const Tensor& weights) override;
    void swiglu(Tensor& out, const Tensor& gate, const Tensor& up) override;
    void add(Tensor& out, const Tensor& a, const Tensor& b) override;

    void synchronize() override;
    void read(const Tensor& tensor, std::span<float> values) override;

    void beginOperation(const std::string& kind) override;
    void endOperation() override;
    OperationProfile takeDeviceProfile() override { return events_.take(); }

private:
    // Makes this backend's device the calling thread's (the runtime's current device is per thread).
    void useDevice() const;
    // Device memory from the pool, not cleared: for results a kernel writes in full (the hot
    // path's intermediates, which allocate()'s clearing would only cost).
    Tensor workspace(gguf::TensorType type, int64_t cols, int64_t rows);
    // Host bytes copied to device memory kept alive as long as the returned tensor (I32 or raw).
    Tensor uploadBytes(const void* data, uint64_t bytes);
    // y row p = matrix ids[p] of stack (matrices of matrixRows rows) times x row p / pairsPerXRow,
    // x's rows xStride floats apart and cols values each (quantized first where the type needs).
    void stackProduct(float* y, int64_t yStride, const Tensor& stack, int64_t matrixRows, const float* x,
                      int64_t xStride, int64_t pairsPerXRow, const int32_t* ids, int64_t pairs);
    void checkBudget(const gguf::GgufFile& file);
    // Room for the attention kernels' split sequences (split-K) where they split; empty otherwise.
    Tensor splitScratch(int64_t tokens, int heads, int width);

    CudaDeviceDescription device_;
    CUstream_st* stream_ = nullptr;
    std::shared_ptr<MemoryPool> pool_ = std::make_shared<MemoryPool>();
    HostArena arena_;
    OperationEvents events_;
    bool budgetChecked_ = false;
};

} // namespace latent::cuda
