#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

namespace latent::cuda {

// Both run flash-attention style: a block per (token, up to 8 heads of one key/value head; 4 past
// a width of 256), the cached positions shared among its warps, each keeping an online softmax
// (running maximum and sum), merged at the end. The query is rounded to F16 before it meets the F16 cache, as the CPU
// and Vulkan backends do; the attention weights are not (they are known only once every position
// has been seen), so results differ from theirs by about F16's precision on the weights.
//
// Split-K: where there are too few blocks to fill the GPU (decoding) and the sequence is long,
// each sequence is split across up to 32 blocks, whose partial results a second kernel merges.
// The partials need scratch that the host owns: `scratch` of scratchFloats floats; with none (or
// too little for even two splits) every sequence runs in one block. attentionScratchFloats says
// how much lets `splits` splits run.
constexpr size_t attentionScratchFloats(int tokens, int heads, int valueDim, int splits)
{
    return size_t(tokens) * size_t(heads) * (size_t(valueDim) + 2) * size_t(splits);
}

// Causal multi-head attention (llama; grouped-query heads): for token t < tokens and head h,
// with g = h / (heads / kvHeads),
//   y[t][h] = sum_j softmax_j(scale * q[t][h] . keys[j][g]) values[j][g],  j <= firstPosition + t.
// q, y: tokens rows of heads * headDim floats; keys, values: F16 cache rows of kvHeads * headDim.
// headDim <= 512.
cudaError_t attention(const float* q, const uint16_t* keys, const uint16_t* values, float* y, int tokens, int heads,
                      int kvHeads, int headDim, int firstPosition, float scale, cudaStream_t stream,
                      float* scratch = nullptr, size_t scratchFloats = 0);

// Multi-head latent attention's middle step (DeepSeek-V2/V3, absorbed form): for token t and head
// h (pair p = t * heads + h),
//   score_j = scale * (absorbed[p] . latents[j] + qRope[t][h] . ropeKeys[j]),  j <= firstPosition + t
//   y[p] = sum_j softmax(score)_j latents[j]
// absorbed, y: pairs rows of latentDim floats (W_UK folded into the query; W_UV is applied after);
// q: tokens rows of heads * (nopeDim + ropeDim) floats, whose last ropeDim values per head are
// qRope; latents: F16 rows of latentDim; ropeKeys: F16 rows of ropeDim. latentDim <= 512, and
// ropeDim small enough that 4 heads' queries fit beside the block's buffers (64 does).
cudaError_t mlaAttention(const float* absorbed, const float* q, const uint16_t* latents, const uint16_t* ropeKeys,
                         float* y, int tokens, int heads, int nopeDim, int ropeDim, int latentDim, int firstPosition,
                         float scale, cudaStream_t stream, float* scratch = nullptr, size_t scratchFloats = 0);

} // namespace latent::cuda
