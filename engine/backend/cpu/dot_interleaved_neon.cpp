// The interleaved groups' kernels (dot_interleaved_neon_groups.h) on sdot (FEAT_DotProd: DotSums),
// for the neon-dotprod table. Compiled for that extension; the table holding these kernels is
// chosen only where the processor has it.

#include "engine/backend/cpu/dot_blocks_neon.h"
#include "engine/backend/cpu/dot_interleaved_neon_groups.h"

namespace latent::cpu::neon {

void addDotprodInterleavedKernels(DotKernels& table)
{
    setInterleavedKernels<DotSums>(table);
}

} // namespace latent::cpu::neon
