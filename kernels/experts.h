#pragma once

#include "kernels/expert_routing.cuh"

#include <cuda_runtime_api.h>

#include <cstdint>

namespace latent::cuda {

// DeepSeekMoE's routing, as the CPU backend's route(): per token t < tokens, from logits[t]
// (experts floats), the scores (softmax, or sigmoid for V3), plus bias (experts floats, or
// nullptr) for choosing only; experts form `groups` groups of which the best groupsUsed are chosen
// from (a group's score: its best member for softmax, its best two for sigmoid); the `used` best
// experts' ids (descending score, ties to the lower id) and their unbiased scores as weights,
// normalized to sum 1 where `normalize`, then times scale. ids, weights: tokens rows of used.
// Routing is declared in expert_routing.cuh, whose routeToken() the kernel runs, so that a test
// without CUDA can check it against the CPU backend. experts <= kMaxRoutedExperts.
cudaError_t route(const float* logits, const float* bias, int32_t* ids, float* weights, int tokens,
                  const Routing& routing, cudaStream_t stream);

// y[t] = sum_k weights[t][k] * expertOutputs[t * used + k], k < used, summed in ascending k;
// rows of cols floats.
cudaError_t combineExperts(const float* expertOutputs, const float* weights, float* y, int tokens, int used,
                           int cols, cudaStream_t stream);

} // namespace latent::cuda
