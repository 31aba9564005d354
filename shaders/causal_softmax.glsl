// The softmax of causal attention over keys 0 .. visible - 1, shared by attention.comp and
// mla_attention.comp, which differ only in how a key's score and the values are read. Two passes,
// so any length fits and the softmax is stable: softmaxTotals finds the maximum score and the sum
// of exponentials (each invocation online over its keys, then combined); chunkWeights then gives
// the weights of WORKGROUP_SIZE keys at a time. Weights (and queries) are rounded to F16 before
// they meet the F16 cache, as the CPU backend (and llama.cpp) compute it. The including shader
// includes workgroup_reduce.glsl first and defines keyScore.

float keyScore(uint j); // the scaled score of key j

shared float chunkWeight[WORKGROUP_SIZE];

#include "half_float.glsl"

// Value `index` of a row of F16 values packed two to a word (word: the one holding it). The
// hardware's conversion, held to a bar: it is exact but where a driver flushes a subnormal F16
// (below 6.1e-5), too small to move a score or a weighted sum.
float halfOf(uint word, uint index)
{
    return unpackHalf2x16((index & 1u) != 0u ? word >> 16 : word).x;
}

// Every invocation gets the maximum score and sum of exp(score - maximum) over the visible keys.
void softmaxTotals(uint visible, out float maxScore, out float sum)
{
    float localMax = -1.0 / 0.0, localSum = 0.0;
    for (uint j = gl_LocalInvocationID.x; j < visible; j += WORKGROUP_SIZE) {
        const float score = keyScore(j);
        if (score > localMax) {
            localSum = localSum * exp(localMax - score) + 1.0;
            localMax = score;
        } else {
            localSum += exp(score - localMax);
        }
    }
    maxScore = workgroupMax(localMax);
    sum = workgroupSum(localSum == 0.0 ? 0.0 : localSum * exp(localMax - maxScore));
}

// chunkWeight[i] = the softmax weight of key j0 + i, for the chunk of keys from j0; returns how
// many keys the chunk holds. Every invocation must call it.
uint chunkWeights(uint j0, uint visible, float maxScore, float sum)
{
    barrier(); // the previous chunk's weights have been read
    const uint j = j0 + gl_LocalInvocationID.x;
    if (j < visible)
        chunkWeight[gl_LocalInvocationID.x] = roundedToHalf(exp(keyScore(j) - maxScore) / sum);
    barrier();
    return min(WORKGROUP_SIZE, visible - j0);
}
