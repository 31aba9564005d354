// The ARMv8.0 NEON kernels of the quantized block types (dot_blocks_neon_rows.h): 8-bit products
// by widening multiplies (smull, smlal2: int16 pairs, exact for |w| <= 128, |x| <= 127), added
// into int32 lanes pairwise (sadalp).

#include "engine/backend/cpu/dot_blocks_neon.h"
#include "engine/backend/cpu/dot_blocks_neon_rows.h"

namespace latent::cpu::neon {
namespace {

struct WideningProducts {
    static int32x4_t dot16(int32x4_t acc, int8x16_t w, int8x16_t x)
    {
        const int16x8_t pairs = vmlal_high_s8(vmull_s8(vget_low_s8(w), vget_low_s8(x)), w, x);
        return vpadalq_s16(acc, pairs);
    }
};

} // namespace

void addBlockKernels(DotKernels& table)
{
    setBlockKernels<KernelsOf<WideningProducts>::Rows>(table);
}

} // namespace latent::cpu::neon
