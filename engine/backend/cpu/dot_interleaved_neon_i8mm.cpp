// The interleaved groups' kernels (dot_interleaved_neon_groups.h) on smmla (FEAT_I8MM), for the
// neon-i8mm table: smmla multiplies a 2x8 int8 tile by an 8x2 one into a 2x2 int32 tile, so one
// instruction takes two tokens' products with two rows, 32 of them where sdot takes 16. The
// interleaved layout (shared with the x86 and sdot kernels) is kept: zipping the 32-bit lanes of the
// 4 positions of 4 rows in `low` with the next 4 in `high` gives rows (0, 1) and (2, 3) with 8
// positions each, smmla's operand; two tokens' 8 quants side by side are the other. The sums are
// exact, so only the lanes differ from sdot's, and they are put back a row a lane before the float
// steps, which are the same. An odd last token (and a single one, decoding) stays on sdot.
// Compiled for FEAT_I8MM (and FEAT_DotProd); the table holding these kernels is chosen only where
// the processor has both.

#include "engine/backend/cpu/dot_blocks_neon.h"
#include "engine/backend/cpu/dot_interleaved_neon_groups.h"

namespace latent::cpu::neon {
namespace {

int8x16_t zip32Low(int8x16_t a, int8x16_t b)
{
    return vreinterpretq_s8_s32(vzip1q_s32(vreinterpretq_s32_s8(a), vreinterpretq_s32_s8(b)));
}

int8x16_t zip32High(int8x16_t a, int8x16_t b)
{
    return vreinterpretq_s8_s32(vzip2q_s32(vreinterpretq_s32_s8(a), vreinterpretq_s32_s8(b)));
}

// The Sums of dot_interleaved_neon_groups.h on smmla: tokens two at a time, and an odd last one
// on sdot (DotSums).
template <size_t T>
struct MatrixSums {
    static constexpr size_t kPairs = T / 2;
    // Tokens 2p, 2p + 1 against rows 4v + 2i, 4v + 2i + 1 in pairs[p][v][i], as smmla leaves them:
    // lanes (2p, 4v + 2i), (2p, 4v + 2i + 1), (2p + 1, 4v + 2i), (2p + 1, 4v + 2i + 1).
    std::array<std::array<std::array<int32x4_t, 2>, 2>, kPairs> pairs;
    DotSums<T % 2> last;

    template <typename StartOf>
    explicit MatrixSums(StartOf startOf) : last([&](size_t) { return startOf(T - 1); })
    {
        for (size_t p = 0; p < kPairs; ++p) {
            const int32x4_t start = vcombine_s32(vdup_n_s32(startOf(2 * p)), vdup_n_s32(startOf(2 * p + 1)));
            pairs[p][0][0] = pairs[p][0][1] = pairs[p][1][0] = pairs[p][1][1] = start;
        }
    }

    template <typename QuantsOf>
    void add(size_t v, int8x16_t low, int8x16_t high, QuantsOf quantsOf)
    {
        // Rows (0, 1) and (2, 3) of the four, 8 positions each: the right-hand 8x2 tiles.
        const int8x16_t rows[2] = {zip32Low(low, high), zip32High(low, high)};
        for (size_t p = 0; p < kPairs; ++p) {
            const int8x16_t tokens = vcombine_s8(vld1_s8(quantsOf(2 * p)), vld1_s8(quantsOf(2 * p + 1)));
            for (size_t i = 0; i < 2; ++i)
                pairs[p][v][i] = vmmlaq_s32(pairs[p][v][i], tokens, rows[i]);
        }
        last.add(v, low, high, [&](size_t) { return quantsOf(T - 1); });
    }

    void addScaled(const MatrixSums& sums, const int32x4_t scales[2])
    {
        for (size_t v = 0; v < 2; ++v) {
            // Rows 4v + 2i, 4v + 2i + 1's scales twice, as the pairs' lanes hold their rows.
            const int64x2_t rowScales = vreinterpretq_s64_s32(scales[v]);
            const int32x4_t pairScales[2] = {vreinterpretq_s32_s64(vdupq_laneq_s64(rowScales, 0)),
                                             vreinterpretq_s32_s64(vdupq_laneq_s64(rowScales, 1))};
            for (size_t p = 0; p < kPairs; ++p)
                for (size_t i = 0; i < 2; ++i)
                    pairs[p][v][i] = vmlaq_s32(pairs[p][v][i], sums.pairs[p][v][i], pairScales[i]);
        }
        last.addScaled(sums.last, scales);
    }

    int32x4_t rows(size_t t, size_t v) const
    {
        if constexpr (T % 2 == 1)
            if (t == T - 1)
                return last.rows(0, v);
        const int64x2_t rows01 = vreinterpretq_s64_s32(pairs[t / 2][v][0]);
        const int64x2_t rows23 = vreinterpretq_s64_s32(pairs[t / 2][v][1]);
        return vreinterpretq_s32_s64(t % 2 == 0 ? vzip1q_s64(rows01, rows23) : vzip2q_s64(rows01, rows23));
    }
};

} // namespace

void addI8mmInterleavedKernels(DotKernels& table)
{
    setInterleavedKernels<MatrixSums>(table);
}

} // namespace latent::cpu::neon
