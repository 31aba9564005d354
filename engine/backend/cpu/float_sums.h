#pragma once

// The float steps every kernel table takes, in one place (dot_kernels.h says why they are fixed).
// A kernel first sums integers exactly (any order, any grouping); then:
// - 32-value blocks: each block's term u = float(total) * (d_w * d_x), plus m_w * blockSum_x for
//   the types with a minimum (Q4_1, Q5_1); then blocks two at a time: sum = sum + (u_2k + u_2k+1),
//   pair after pair from sum = 0 (an odd last block alone). Pairs halve the chain of dependent
//   additions, which would otherwise bound a row's speed, in a vector's lanes or in a register.
// - super-blocks: sum = sum + term, super-block after super-block, term as each type's function
//   below computes it from the block's integer sums;
// - float rows (F32, F16, BF16) of n values: 32 running sums, lane i % 32 taking w[i] * x[i] for
//   the values before the last n % 32, then lanes 0..7 the next whole eights; the lanes combined
//   as floatLanesSum does, then the last n % 8 products added one by one;
// - y += a * x (axpy): y[i] = y[i] + a * x[i], a product then a sum, never fused.
// Each step is one IEEE operation with its own rounding, so a SIMD kernel that takes the same
// steps, lane by lane, gets the same bits.

#include <cstddef>
#include <cstdint>

namespace latent::cpu {

inline float blockTerm(int32_t total, float weightScale, float activationScale)
{
    return float(total) * (weightScale * activationScale);
}

inline float blockTerm(int32_t total, float weightScale, float activationScale, float weightMinimum,
                       float activationBlockSum)
{
    return blockTerm(total, weightScale, activationScale) + weightMinimum * activationBlockSum;
}

// The walk over a row's 32-value blocks that the pairs above take, for kernels whose running sums
// live in vectors: step(b, second) makes block b's terms, and with second (b completes a pair)
// adds the pair to the sums; lone() adds an odd last block's terms alone.
template <typename Step, typename Lone>
inline void forBlockPairs(size_t blocks, Step step, Lone lone)
{
    size_t b = 0;
    for (; b + 2 <= blocks; b += 2) {
        step(b, false);
        step(b + 1, true);
    }
    if (b < blocks) {
        step(b, false);
        lone();
    }
}

// Q2_K, Q4_K, Q5_K: scaled sums minus the minimums' share.
inline float superBlockWithMinimums(float activationScale, float d, float dmin, int32_t total, int32_t minimums)
{
    return activationScale * (d * float(total) - dmin * float(minimums));
}

// Q3_K, Q6_K, IQ4_XS: signed values, no minimums.
inline float superBlock(float d, float activationScale, int32_t total)
{
    return d * activationScale * float(total);
}

// Eight running sums combined as a tree: 0+4, 1+5, 2+6, 3+7; then (0+2) + (1+3) of those (what
// the x86 kernels' horizontal sum of a vector computes).
inline float eightLanesSum(const float lanes[8])
{
    float four[4];
    for (int i = 0; i < 4; ++i)
        four[i] = lanes[i] + lanes[i + 4];
    return (four[0] + four[2]) + (four[1] + four[3]);
}

// The 32 running sums of a float row product, combined: the four eights lane by lane, then the
// eight lanes as eightLanesSum does.
inline float floatLanesSum(const float lanes[32])
{
    float eight[8];
    for (int i = 0; i < 8; ++i)
        eight[i] = (lanes[i] + lanes[8 + i]) + (lanes[16 + i] + lanes[24 + i]);
    return eightLanesSum(eight);
}

} // namespace latent::cpu
