#include "engine/backend/cpu/dot_kernels.h"

#include <cstdlib>
#include <string_view>
#include <vector>

namespace latent::cpu {

#ifndef LATENT_CPU_AVX2
const DotKernels* avx2Kernels()
{
    return nullptr;
}
#endif
#ifndef LATENT_CPU_AVX512
const DotKernels* avx512Kernels()
{
    return nullptr;
}
#endif

namespace {

bool processorHasAvx2()
{
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#else
    return false;
#endif
}

bool processorHasAvx512()
{
#if defined(__x86_64__)
    return processorHasAvx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
#else
    return false;
#endif
}

const DotKernels& select()
{
    const char* forced = std::getenv("LATENT_CPU_KERNELS");
    const std::vector<const DotKernels*> supported = supportedKernels();
    if (forced) {
        for (const DotKernels* table : supported) {
            if (table->name == forced)
                return *table;
        }
    }
    return *supported.back();
}

} // namespace

std::vector<const DotKernels*> supportedKernels()
{
    std::vector<const DotKernels*> tables{&portableKernels()};
    if (avx2Kernels() && processorHasAvx2())
        tables.push_back(avx2Kernels());
    if (avx512Kernels() && processorHasAvx512())
        tables.push_back(avx512Kernels());
    return tables;
}

const DotKernels& bestKernels()
{
    static const DotKernels& kernels = select();
    return kernels;
}

} // namespace latent::cpu
