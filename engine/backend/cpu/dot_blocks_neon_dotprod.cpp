// The NEON kernels of the quantized block types (dot_blocks_neon_rows.h) on the dot-product
// extension (FEAT_DotProd: Apple M1 and later, Neoverse N1/Graviton2 and later, Cortex-A76 and
// later): four 8-bit products summed into each int32 lane by one sdot. Compiled for that
// extension alone; the table holding these kernels is chosen only where the processor has it.

#include "engine/backend/cpu/dot_blocks_neon.h"
#include "engine/backend/cpu/dot_blocks_neon_rows.h"

namespace latent::cpu::neon {
namespace {

struct DotProducts {
    static int32x4_t dot16(int32x4_t acc, int8x16_t w, int8x16_t x) { return vdotq_s32(acc, w, x); }
};

} // namespace

void addDotprodBlockKernels(DotKernels& table)
{
    setBlockKernels<KernelsOf<DotProducts>::Rows>(table);
}

} // namespace latent::cpu::neon
