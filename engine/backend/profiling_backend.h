#pragma once

#include "engine/backend/backend.h"
#include "engine/backend/operation_profile.h"

#include <chrono>
#include <memory>

namespace latent {

// A backend that forwards every call to another one and times it (`latent-cli bench --profile`).
// The wall time of a call is the operation's own only where the backend runs each operation as it
// is recorded (the CPU); for a backend that batches them (a GPU) it is the time spent recording, and
// the operations' own times are the device's (takeDeviceProfile).
class ProfilingBackend final : public Backend {
public:
    explicit ProfilingBackend(std::unique_ptr<Backend> inner);

    const Backend& inner() const { return *inner_; }
    // The costs since the last call, and a fresh start.
    OperationProfile takeProfile();
    // The device's times of the operations, by the same kinds (see Backend::beginOperation).
    OperationProfile takeDeviceProfile() { return inner_->takeDeviceProfile(); }

    std::string name() const override { return inner_->name(); }
    size_t threads() const override { return inner_->threads(); }

    Tensor weight(const gguf::GgufFile& file, const gguf::TensorInfo& info, WeightUse use) override;
    Tensor allocate(gguf::TensorType type, int64_t cols, int64_t rows) override;
    Tensor allocateCache(int64_t heads, int64_t headDim, int64_t capacity) override;
    void upload(Tensor& tensor, std::span<const float> values) override;

    void getRows(Tensor& out, const Tensor& table, std::span<const int32_t> ids) override;
    void rmsNorm(Tensor& out, const Tensor& x, const Tensor& weight, float eps) override;
    void matmul(Tensor& out, const Tensor& weight, const Tensor& x) override;
    void rope(Tensor& x, std::span<const int32_t> positions, const RopeParams& params) override;
    void store(Tensor& cache, const Tensor& x, int64_t firstPosition) override;
    void addAndNorm(Tensor& x, const Tensor& addend, Tensor& out, const Tensor& weight, float eps) override;
    void ropeAndStore(Tensor& cache, Tensor& x, std::span<const int32_t> positions, const RopeParams& params,
                      int64_t firstPosition) override;
    void moeWithShared(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                       const Tensor& weights, const SharedExperts& shared, SharedExpertsScratch scratch) override;
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
    void matmuls(std::span<const Product> products, const Tensor& x) override;

    void synchronize() override;
    void read(const Tensor& tensor, std::span<float> values) override;

private:
    // Runs operation and adds its wall time (and weightBytes) to kind's cost.
    template <typename Operation>
    void timed(const std::string& kind, double weightBytes, Operation&& operation);

    std::unique_ptr<Backend> inner_;
    OperationProfile profile_;
};

} // namespace latent
