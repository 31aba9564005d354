#pragma once

// How every table's interleaved kernel walks one group of 16 rows (interleave.h) against its
// activation rows (QuantizedRows for Q4_0, Q5_0 and Q8_0, one ActivationRow per token for the K-quants):
// tiles of up to four tokens, each against the group's two halves of eight rows (a table's
// register holds eight rows' sums). The tables differ only in the kernel of one half and one tile,
// which they pass in.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/interleave.h"

#include <algorithm>
#include <cstddef>

namespace latent::cpu {

// The activation rows from token t0 on.
inline QuantizedRows tokensFrom(const QuantizedRows& x, size_t t0)
{
    return {x.quantsOf(t0, 0), x.scalesOf(t0, 0), x.stride, x.sums + t0 * x.stride};
}

inline const ActivationRow* tokensFrom(const ActivationRow* x, size_t t0)
{
    return x + t0;
}

// Calls halfTile.template operator()<T>(half, tile, out) for each tile of T tokens (1..4) of x
// (QuantizedRows or const ActivationRow*) and each half (rows 8 * half .. 8 * half + 7 of the
// group), out pointing at the tile's first token's results (outStride floats between tokens).
template <typename Activations, typename HalfTile>
void forEachHalfTile(const Activations& x, size_t tokens, float* out, size_t outStride, const HalfTile& halfTile)
{
    constexpr size_t kTile = 4;
    for (size_t t0 = 0; t0 < tokens; t0 += kTile) {
        const auto tile = tokensFrom(x, t0);
        float* target = out + t0 * outStride;
        for (size_t half = 0; half < size_t(kInterleavedRows) / 8; ++half) {
            switch (std::min(kTile, tokens - t0)) {
            case 1: halfTile.template operator()<1>(half, tile, target); break;
            case 2: halfTile.template operator()<2>(half, tile, target); break;
            case 3: halfTile.template operator()<3>(half, tile, target); break;
            default: halfTile.template operator()<4>(half, tile, target); break;
            }
        }
    }
}

} // namespace latent::cpu
