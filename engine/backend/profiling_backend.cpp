#include "engine/backend/profiling_backend.h"

#include <algorithm>
#include <utility>

namespace latent {
namespace {

double tensorBytes(const Tensor& tensor)
{
    return double(tensor.rowBytes()) * double(tensor.rows);
}

// The expert weights a moe() call reads: each distinct expert its tokens chose, at most every
// expert once (a batch of tokens routed to every expert reads each expert's matrices once).
double expertBytesRead(const ExpertWeights& experts, const Tensor& ids)
{
    if (experts.count == 0)
        return 0;
    const double perExpert = (tensorBytes(experts.gate) + tensorBytes(experts.up) + tensorBytes(experts.down)) /
                             double(experts.count);
    const double chosen = std::min(double(experts.count), double(ids.rows) * double(ids.cols));
    return perExpert * chosen;
}

} // namespace

ProfilingBackend::ProfilingBackend(std::unique_ptr<Backend> inner) : inner_(std::move(inner)) {}

OperationProfile ProfilingBackend::takeProfile()
{
    return std::exchange(profile_, {});
}

template <typename Operation>
void ProfilingBackend::timed(const std::string& kind, double weightBytes, Operation&& operation)
{
    const auto start = std::chrono::steady_clock::now();
    inner_->beginOperation(kind);
    operation();
    inner_->endOperation();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    OperationCost& cost = profile_[kind];
    ++cost.calls;
    cost.seconds += seconds;
    cost.weightBytes += weightBytes;
}

// Loading is not profiled: only the forward passes are.
Tensor ProfilingBackend::weight(const gguf::GgufFile& file, const gguf::TensorInfo& info, WeightUse use)
{
    return inner_->weight(file, info, use);
}

Tensor ProfilingBackend::allocate(gguf::TensorType type, int64_t cols, int64_t rows)
{
    return inner_->allocate(type, cols, rows);
}

Tensor ProfilingBackend::allocateCache(int64_t heads, int64_t headDim, int64_t capacity)
{
    return inner_->allocateCache(heads, headDim, capacity);
}

void ProfilingBackend::upload(Tensor& tensor, std::span<const float> values)
{
    inner_->upload(tensor, values);
}

void ProfilingBackend::getRows(Tensor& out, const Tensor& table, std::span<const int32_t> ids)
{
    timed("getRows", 0, [&] { inner_->getRows(out, table, ids); });
}

void ProfilingBackend::rmsNorm(Tensor& out, const Tensor& x, const Tensor& weight, float eps)
{
    timed("rmsNorm", 0, [&] { inner_->rmsNorm(out, x, weight, eps); });
}

void ProfilingBackend::matmul(Tensor& out, const Tensor& weight, const Tensor& x)
{
    timed("matmul " + std::string(gguf::tensorTypeName(weight.type)), tensorBytes(weight),
          [&] { inner_->matmul(out, weight, x); });
}

// Profiled as one kind per set of weight types ("matmuls Q4_K+Q6_K"): the products run as one.
void ProfilingBackend::matmuls(std::span<const Product> products, const Tensor& x)
{
    std::string kind = "matmuls";
    double bytes = 0;
    for (size_t i = 0; i < products.size(); ++i) {
        const std::string type(gguf::tensorTypeName(products[i].weight->type));
        const bool seen = std::any_of(products.begin(), products.begin() + std::ptrdiff_t(i),
                                      [&](const Product& p) { return p.weight->type == products[i].weight->type; });
        if (!seen)
            kind += (i == 0 ? " " : "+") + type;
        bytes += tensorBytes(*products[i].weight);
    }
    timed(kind, bytes, [&] { inner_->matmuls(products, x); });
}

void ProfilingBackend::rope(Tensor& x, std::span<const int32_t> positions, const RopeParams& params)
{
    timed("rope", 0, [&] { inner_->rope(x, positions, params); });
}

void ProfilingBackend::store(Tensor& cache, const Tensor& x, int64_t firstPosition)
{
    timed("store", 0, [&] { inner_->store(cache, x, firstPosition); });
}

void ProfilingBackend::addAndNorm(Tensor& x, const Tensor& addend, Tensor& out, const Tensor& weight, float eps)
{
    timed("addAndNorm", 0, [&] { inner_->addAndNorm(x, addend, out, weight, eps); });
}

void ProfilingBackend::ropeAndStore(Tensor& cache, Tensor& x, std::span<const int32_t> positions,
                                    const RopeParams& params, int64_t firstPosition)
{
    timed("ropeAndStore", 0, [&] { inner_->ropeAndStore(cache, x, positions, params, firstPosition); });
}

void ProfilingBackend::attention(Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                                 const AttentionParams& params)
{
    timed("attention", 0, [&] { inner_->attention(out, q, keys, values, params); });
}

void ProfilingBackend::mlaAttention(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                                    const Tensor& keyUp, const Tensor& valueUp, const MlaParams& params)
{
    timed("mlaAttention", 0, [&] { inner_->mlaAttention(out, q, latent, ropeKeys, keyUp, valueUp, params); });
}

void ProfilingBackend::route(Tensor& ids, Tensor& weights, const Tensor& logits, const Tensor* bias,
                             const MoeRouting& routing)
{
    timed("route", 0, [&] { inner_->route(ids, weights, logits, bias, routing); });
}

void ProfilingBackend::moe(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                           const Tensor& weights)
{
    timed("moe", expertBytesRead(experts, ids), [&] { inner_->moe(out, x, experts, ids, weights); });
}

void ProfilingBackend::moeWithShared(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                                     const Tensor& weights, const SharedExperts& shared, SharedExpertsScratch scratch)
{
    const double sharedBytes = tensorBytes(shared.gate) + tensorBytes(shared.up) + tensorBytes(shared.down);
    timed("moe", expertBytesRead(experts, ids) + sharedBytes,
          [&] { inner_->moeWithShared(out, x, experts, ids, weights, shared, scratch); });
}

void ProfilingBackend::swiglu(Tensor& out, const Tensor& gate, const Tensor& up)
{
    timed("swiglu", 0, [&] { inner_->swiglu(out, gate, up); });
}

void ProfilingBackend::add(Tensor& out, const Tensor& a, const Tensor& b)
{
    timed("add", 0, [&] { inner_->add(out, a, b); });
}

void ProfilingBackend::synchronize()
{
    timed("synchronize", 0, [&] { inner_->synchronize(); });
}

void ProfilingBackend::read(const Tensor& tensor, std::span<float> values)
{
    // A GPU runs the pass when its result is read; profiled, the pass is submitted first, so that
    // the wait for it is not counted as the read's.
    synchronize();
    timed("read", 0, [&] { inner_->read(tensor, values); });
}

} // namespace latent
