#pragma once

#include "engine/backend/operation_profile.h"
#include "engine/gguf/tensor_type.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace latent::gguf {
class GgufFile;
struct TensorInfo;
} // namespace latent::gguf

namespace latent {

// What holds a tensor's bytes. Each backend derives its own kind (host memory for the CPU, device
// buffers for a GPU) and reaches it through storageOf(), so a tensor handed to a backend that did
// not make it is an error naming both, never memory read as the wrong thing.
class TensorStorage {
public:
    enum class Kind { Host, Vulkan, Cuda };
    explicit TensorStorage(Kind kind) : kind_(kind) {}
    virtual ~TensorStorage() = default;
    TensorStorage(const TensorStorage&) = delete;
    TensorStorage& operator=(const TensorStorage&) = delete;

    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

const char* storageKindName(TensorStorage::Kind kind);

// How a backend arranges a tensor's blocks: as the file stores them (rows one after another),
// regrouped for its kernels (the CPU's SIMD kernels read Q4_0, Q5_0, Q8_0, Q4_K and Q6_K matrices
// as groups of 16 rows interleaved block by block, a group in the bytes of 16 stored rows; see
// cpu/interleave.h), or a key/value cache by head (each of Tensor::heads heads' rows one after
// another: the CPU's attention reads a head's keys as one stream, see allocateCache).
enum class TensorLayout { Rows, Interleaved16, HeadMajor };

// What a weight is for: matrix products (a backend may rearrange it, keeping each matrix of a
// stack in whole groups of its rows), row lookups, or products of a matrix used in parts that a
// rearrangement could split (DeepSeek's [c_kv | k_rope]), which read it as the file stores it.
enum class WeightUse { Product, Lookup, Fused };

// A matrix that lives where its backend computes (host memory for the CPU, device memory for a
// GPU): rows of cols values of one type, in GGUF's order (a weight [n_in, n_out] is n_out rows
// of n_in values; activations are one row per token). Copies share the storage; rowsView()
// narrows to some rows without copying.
struct Tensor {
    gguf::TensorType type = gguf::TensorType::F32;
    int64_t cols = 0;
    int64_t rows = 0;
    TensorLayout layout = TensorLayout::Rows;
    int64_t heads = 1; // HeadMajor: the heads of cols / heads values a row holds
    std::shared_ptr<TensorStorage> storage; // owns the memory (or keeps a mapping alive)
    size_t offset = 0;                      // bytes into storage where row 0 starts

    size_t rowBytes() const;
    Tensor rowsView(int64_t first, int64_t count) const;
};

// Throws the error of a tensor whose storage is not of the kind `expected` (see storageOf).
[[noreturn]] void wrongStorage(const Tensor& tensor, TensorStorage::Kind expected);

// The tensor's storage as the backend of Storage (which names its kind as Storage::kKind) holds it.
template <typename Storage>
Storage& storageOf(const Tensor& tensor)
{
    if (!tensor.storage || tensor.storage->kind() != Storage::kKind)
        wrongStorage(tensor, Storage::kKind);
    return static_cast<Storage&>(*tensor.storage);
}

struct RopeParams {
    int headDim = 0;       // values per head in a row
    int firstDim = 0;      // values firstDim .. firstDim + ropeDims of each head rotate
    int ropeDims = 0;
    float freqBase = 10000;
    float freqScale = 1;   // scaled frequencies: times freqScale (linear scaling, YaRN's interpolation)
    // YaRN (DeepSeek-V2/V3): pair i keeps its unscaled frequency below yarnLow, takes the scaled
    // one above yarnHigh, and a linear mix between; off when yarnLow == yarnHigh == 0.
    float yarnLow = 0, yarnHigh = 0;

    bool operator==(const RopeParams&) const = default;
};

// Multi-head latent attention (DeepSeek-V2/V3) in its absorbed form; see Backend::mlaAttention.
struct MlaParams {
    int heads = 0;
    int nopeDim = 0;   // per head: query/key values without position
    int ropeDim = 0;   // per head: rotated query values; the rotated key is shared by all heads
    int latentDim = 0; // the compressed key/value (kv_lora_rank)
    int valueDim = 0;  // per head
    int64_t firstPosition = 0;
    float scale = 1;
};

// How a mixture-of-experts layer picks its experts (DeepSeekMoE).
struct MoeRouting {
    enum class Gating { Softmax, Sigmoid };
    Gating gating = Gating::Softmax;
    int experts = 0;
    int used = 0;            // experts per token
    int groups = 1;          // experts form groups; only the best groupsUsed groups are chosen from
    int groupsUsed = 1;
    bool normalize = false;  // chosen weights scaled to sum 1
    float scale = 1;         // then times this
};

// A mixture-of-experts layer's experts, one SwiGLU feed-forward each, as the file stores them:
// each of gate, up and down is one stack of `count` matrices, expert e's being rows
// [e * rows per expert, (e + 1) * rows per expert) of the stack (ffn_gate_exps is
// [n_embd, ff, experts]). A GPU holds every expert once, in stored form, and picks an expert's rows
// by an id that route() left on the device; handing the experts over one tensor each would make
// it copy them (the largest part of the model) into a stack of its own.
struct ExpertWeights {
    Tensor gate, up, down; // count * ff rows of n_embd values; count * ff rows of n_embd; count * n_embd rows of ff
    int64_t count = 0;

    int64_t feedForward() const { return count > 0 ? gate.rows / count : 0; }
    // Expert e's matrices, as row views of the stacks.
    Tensor gateOf(int64_t e) const { return gate.rowsView(e * feedForward(), feedForward()); }
    Tensor upOf(int64_t e) const { return up.rowsView(e * feedForward(), feedForward()); }
    Tensor downOf(int64_t e) const { return down.rowsView(e * (down.rows / count), down.rows / count); }
};

// DeepSeekMoE's shared experts: one SwiGLU feed-forward (the file stores them as one) that every
// token runs beside its routed experts; gate and up: width rows of n_embd, down: n_embd rows of
// width. And the scratch a backend may run them through (gate and up: tokens x width; out:
// tokens x n_embd).
struct SharedExperts {
    Tensor gate, up, down;
};
struct SharedExpertsScratch {
    Tensor gate, up, out;
};

// One of several products of one input (Backend::matmuls): out = weight x.
struct Product {
    Tensor* out;
    const Tensor* weight;
};

struct AttentionParams {
    int heads = 0;
    int kvHeads = 0;       // heads share a key/value head in groups of heads / kvHeads
    int headDim = 0;
    int64_t firstPosition = 0; // the first query's position; keys 0..its position are visible
    float scale = 1;
};

// The operations the model architectures are written in, on tensors of one backend. Operations
// are recorded in order; a backend may run each at once (the CPU) or batch them into one
// submission (a GPU). Results are visible to read() after synchronize(). Activations are F32;
// weights are in their stored type; key/value caches are F16.
class Backend {
public:
    virtual ~Backend() = default;

    virtual std::string name() const = 0;
    virtual size_t threads() const = 0;

    // A weight of a model file, in its stored type (the CPU reads it in place from the mapping,
    // or regroups quantized matrices for its kernels).
    virtual Tensor weight(const gguf::GgufFile& file, const gguf::TensorInfo& info, WeightUse use) = 0;
    // Zero-filled storage for activations and caches.
    virtual Tensor allocate(gguf::TensorType type, int64_t cols, int64_t rows) = 0;
    // A zero-filled F16 key or value cache of `capacity` positions of heads * headDim values, which
    // store() fills and attention() reads, arranged as this backend's attention reads it best:
    // by default rows of positions (every head's values side by side), allocate()'s.
    virtual Tensor allocateCache(int64_t heads, int64_t headDim, int64_t capacity);
    // Values into an F32 or F16 tensor (F16: rounded to nearest).
    virtual void upload(Tensor& tensor, std::span<const float> values) = 0;

    // out[t] = table[ids[t]], converted to F32.
    virtual void getRows(Tensor& out, const Tensor& table, std::span<const int32_t> ids) = 0;
    // out[t] = x[t] / sqrt(mean(x[t]^2) + eps) * weight
    virtual void rmsNorm(Tensor& out, const Tensor& x, const Tensor& weight, float eps) = 0;
    // out[t][r] = sum_i weight[r][i] * x[t][i], for every row t of x.
    virtual void matmul(Tensor& out, const Tensor& weight, const Tensor& x) = 0;
    // Rotates adjacent pairs (firstDim + 2i, firstDim + 2i + 1) of each head by positions[t] times
    // pair i's frequency: freqBase^(-2i / ropeDims), times freqScale (or YaRN's mix of the two).
    virtual void rope(Tensor& x, std::span<const int32_t> positions, const RopeParams& params) = 0;
    // cache rows [firstPosition, firstPosition + x.rows) = x, converted to the cache's type.
    virtual void store(Tensor& cache, const Tensor& x, int64_t firstPosition) = 0;
    // Causal multi-head attention of the queries q (one row per token, heads * headDim values)
    // over the cached keys and values of positions 0 .. firstPosition + t for query t.
    virtual void attention(Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                           const AttentionParams& params) = 0;
    // Multi-head latent attention over a latent cache (latent: c_kv, latentDim F16 values per
    // position; ropeKeys: the rotated key, ropeDim F16 values per position). q holds per head
    // [nope | rope] values (rope already rotated); keyUp holds per head latentDim rows of nopeDim
    // (W_UK), valueUp per head valueDim rows of latentDim (W_UV). For each head:
    //   score_j = scale * ((W_UK q_nope) . c_kv_j + q_rope . k_rope_j), j <= firstPosition + t
    //   out = W_UV sum_j softmax(score)_j c_kv_j
    // A backend may compute it absorbed (as written) or by decompressing keys and values.
    virtual void mlaAttention(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                              const Tensor& keyUp, const Tensor& valueUp, const MlaParams& params) = 0;
    // Chooses routing.used experts per token from the router's logits (tokens x experts) and
    // the selection bias (F32, experts values; nullptr for none): ids (I32) and weights (F32),
    // tokens x used each.
    virtual void route(Tensor& ids, Tensor& weights, const Tensor& logits, const Tensor* bias,
                       const MoeRouting& routing) = 0;
    // out[t] = sum_k weights[t][k] * down_e(silu(gate_e x[t]) * up_e x[t]), e = ids[t][k].
    virtual void moe(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                     const Tensor& weights) = 0;
    // out = silu(gate) * up
    virtual void swiglu(Tensor& out, const Tensor& gate, const Tensor& up) = 0;
    // out = a + b
    virtual void add(Tensor& out, const Tensor& a, const Tensor& b) = 0;

    // Operations the architectures run back to back, which a backend may run together (a GPU as one
    // dispatch: one wait fewer between dependent dispatches; a CPU as one parallel loop: one start
    // and one wait of its threads instead of several); by default one after the other.
    // out = weight x for each product, all of one input x (a layer's queries, keys and values; a
    // feed-forward's gate and up).
    virtual void matmuls(std::span<const Product> products, const Tensor& x);
    // x = x + addend, then out = rmsNorm(x): a residual connection and the norm after it.
    virtual void addAndNorm(Tensor& x, const Tensor& addend, Tensor& out, const Tensor& weight, float eps);
    // rope(x), then store(cache, x, firstPosition): keys rotated and appended to their cache.
    virtual void ropeAndStore(Tensor& cache, Tensor& x, std::span<const int32_t> positions, const RopeParams& params,
                              int64_t firstPosition);
    // moe(), plus the shared experts of every token: out = moe(x) + down(silu(gate x) * up x). A
    // CPU runs the shared products in the routed experts' parallel loops.
    virtual void moeWithShared(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                               const Tensor& weights, const SharedExperts& shared, SharedExpertsScratch scratch);

    virtual void synchronize() = 0;
    // F32 rows of tensor into values (rows * cols floats).
    virtual void read(const Tensor& tensor, std::span<float> values) = 0;

    // Device time, for `bench --profile` on a GPU: a backend that batches operations for a device
    // times there what is recorded between beginOperation(kind) and endOperation(), under kind, and
    // takeDeviceProfile() returns the times of the submissions that ran since its last call. A
    // backend that runs each operation as it is called (the CPU) is timed by its caller instead.
    virtual void beginOperation(const std::string& /*kind*/) {}
    virtual void endOperation() {}
    virtual OperationProfile takeDeviceProfile() { return {}; }
};

// Why getRows()'s arguments do not fit together (a token id outside the table included; empty when
// they do), checked alike by every backend.
std::string getRowsArgumentsProblem(const Tensor& out, const Tensor& table, std::span<const int32_t> ids);
// Why route()'s arguments do not fit together (empty when they do), checked alike by every backend.
std::string routeArgumentsProblem(const Tensor& ids, const Tensor& weights, const Tensor& logits, const Tensor* bias,
                                  const MoeRouting& routing);
// Why a model file cannot run on a GPU backend (`backend`: its name in messages, "Vulkan" or
// "CUDA") whose kernels decode the weight types `decodes` accepts, listed in `decodedTypes` for
// the message: an architecture other than llama and deepseek2, or a tensor of another type, named;
// empty when it can.
std::string unsupportedOnGpu(const gguf::GgufFile& file, std::string_view backend,
                             const std::function<bool(gguf::TensorType)>& decodes, std::string_view decodedTypes);

// Whether rope()'s, store()'s, attention()'s and mlaAttention()'s arguments fit together, checked
// alike by every backend (which add their own limits).
bool ropeArgumentsFit(const Tensor& x, size_t positions, const RopeParams& params);
bool storeArgumentsFit(const Tensor& cache, const Tensor& x, int64_t firstPosition);
bool matmulArgumentsFit(const Tensor& out, const Tensor& weight, const Tensor& x);
bool attentionArgumentsFit(const Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                           const AttentionParams& params);
bool mlaArgumentsFit(const Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                     const Tensor& keyUp, const Tensor& valueUp, const MlaParams& params);
// Whether moe()'s arguments fit together, checked alike by every backend.
bool moeArgumentsFit(const Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                     const Tensor& weights);

} // namespace latent
