#pragma once

#include "engine/backend/backend.h"
#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/quantized_activations.h"
#include "engine/backend/cpu/thread_pool.h"
#include "engine/core/aligned_buffer.h"

#include <utility>
#include <vector>

namespace latent::cpu {

// The CPU backend: runs each operation as it is recorded, splitting it over a thread pool, with
// the SIMD kernels the processor supports. Weights are read in place from the mapped file.
// One backend serves one thread of control (its scratch space is shared between operations).
class CpuBackend final : public Backend {
public:
    explicit CpuBackend(size_t threads, const DotKernels& kernels = bestKernels());

    std::string name() const override;
    size_t threads() const override { return pool_.size(); }
    const DotKernels& kernels() const { return kernels_; }

    Tensor weight(const gguf::GgufFile& file, const gguf::TensorInfo& info, WeightUse use) override;
    Tensor allocate(gguf::TensorType type, int64_t cols, int64_t rows) override;
    Tensor allocateCache(int64_t heads, int64_t headDim, int64_t capacity) override;
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
    void moeWithShared(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                       const Tensor& weights, const SharedExperts& shared, SharedExpertsScratch scratch) override;
    void swiglu(Tensor& out, const Tensor& gate, const Tensor& up) override;
    void matmuls(std::span<const Product> products, const Tensor& x) override;
    void add(Tensor& out, const Tensor& a, const Tensor& b) override;

    void synchronize() override {}
    void read(const Tensor& tensor, std::span<float> values) override;

private:
    void matmulFloat(Tensor& out, const Tensor& weight, const Tensor& x);
    void matmulInterleaved(Tensor& out, const Tensor& weight, const Tensor& x);
    void matmulBlocks(Tensor& out, const Tensor& weight, const Tensor& x); // quantized block types
    // Multi-head attention with F16 keys and values: token t's query of head h at queries + t *
    // queryStride + h * keyDim, its output at outs + t * outStride + h * valueDim; position j's key
    // of KV head k at keys + j * keyStride + k * keyDim, its value likewise. Token t sees positions
    // up to firstPosition + t.
    struct TiledAttention {
        const float* queries;
        size_t queryStride;
        float* outs;
        size_t outStride;
        const uint16_t* keys; // head 0's first row
        size_t keyStride;     // from a position's row to the next's
        size_t keyHeadStride; // from a head's first row to the next head's
        const uint16_t* values;
        size_t valueStride;
        size_t valueHeadStride;
        size_t tokens, heads, kvHeads, keyDim, valueDim, firstPosition;
        float scale;
    };
    void attendInTiles(const TiledAttention& attention);
    void mlaAttentionAbsorbed(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                              const Tensor& keyUp, const Tensor& valueUp, const MlaParams& params);
    void mlaAttentionDecompressed(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                                  const Tensor& keyUp, const Tensor& valueUp, const MlaParams& params);
    // moe(), and with shared the shared experts as one more expert that every token chose.
    void mixture(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids, const Tensor& weights,
                 const SharedExperts* shared);
    // An expert of one moe() pass: its matrices, and its tokens (with their weights) at rows
    // firstRow.. of the pass.
    struct ExpertTokens {
        Tensor gate, up, down;
        size_t firstRow;
        const std::vector<std::pair<int64_t, float>>* tokens;
    };
    // The products of some experts, in ascending order (the shared experts last), added to out.
    void moePass(Tensor& out, const Tensor& x, const std::vector<ExpertTokens>& pass);
    // An F32 scratch tensor of cols columns and at least rows rows, kept in slot between calls.
    Tensor& scratch(Tensor& slot, int64_t cols, int64_t rows);
    // ropeRotations(positions, params), computed again only when they differ from the last call's:
    // a forward pass rotates every layer's queries and keys at the same positions.
    const std::vector<float>& rotations(std::span<const int32_t> positions, const RopeParams& params);

    ThreadPool pool_;
    const DotKernels& kernels_;
    // Which form of MLA runs: the cheaper for each batch, or one forced by LATENT_MLA_FORM=absorbed|
    // decompressed (for benchmarks that measure the choice).
    enum class MlaForm { Cheaper, Absorbed, Decompressed } mlaForm_ = MlaForm::Cheaper;
    // Scratch: x quantized for the integer kernels (see QuantizedRows); and in super-blocks where
    // products of one input (matmuls) need both forms.
    QuantizedActivations activations_, activationSuperBlocks_;
    // Scratch of a moe() pass, a row per (token, expert): the inputs, the gate products (then
    // SwiGLU's), the up products and the outputs; the inputs quantized, and SwiGLU's, for the
    // routed experts and for the shared ones (a width of their own).
    Tensor expertInput_, expertOutput_;
    AlignedBuffer<float> expertHidden_, expertUp_;
    QuantizedActivations expertBlocks_, expertSuperBlocks_;
    static constexpr size_t kHiddenWidths = 2;
    QuantizedActivations hiddenBlocks_[kHiddenWidths], hiddenSuperBlocks_[kHiddenWidths];
    // rotations()' last positions, parameters and (cos, sin) pairs.
    std::vector<int32_t> rotatedPositions_;
    RopeParams rotatedParams_;
    std::vector<float> rotations_;
    // Scratch of the absorbed MLA: the queries' nope parts, a row per (token, head); for a group
    // of tokens, the queries in the latent space (then their rotated parts), their scores (then
    // weights) and the attended latents, also quantized for W_UV.
    std::vector<float> mlaQueries_, mlaAbsorbed_, mlaScores_, mlaAttended_;
    QuantizedActivations mlaAttendedBlocks_, mlaAttendedSuperBlocks_;
    // Scratch of the decompressed MLA: the visible latents in F32, a group of heads' W_UK
    // transposed, their keys and values in F32, then in F16 as a cache of those heads.
    Tensor mlaLatents_, mlaKeyUpTransposed_, mlaKeys_, mlaValues_;
    std::vector<uint16_t> expandedKeys_, expandedValues_;
};

} // namespace latent::cpu
