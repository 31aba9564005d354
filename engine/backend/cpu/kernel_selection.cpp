#include "engine/backend/cpu/dot_kernels.h"

#include <cstdlib>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif
#if defined(__aarch64__) && defined(__APPLE__)
#include <sys/sysctl.h>
#endif
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
#ifndef LATENT_CPU_NEON
const DotKernels* neonKernels()
{
    return nullptr;
}

const DotKernels* neonDotprodKernels()
{
    return nullptr;
}

const DotKernels* neonI8mmKernels()
{
    return nullptr;
}
#endif

namespace {

#if defined(__x86_64__) || defined(__i386__)
// What the processor has and the operating system saves on a context switch, read with CPUID and
// XGETBV directly: compilers disagree on the names __builtin_cpu_supports accepts.
struct X86Features {
    bool avx2 = false;
    bool avx512 = false; // F, BW, VL and VNNI

    X86Features()
    {
        unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
        if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
            return;
        const bool fma = ecx & (1u << 12), osxsave = ecx & (1u << 27), avx = ecx & (1u << 28),
                   f16c = ecx & (1u << 29);
        if (!osxsave || !avx)
            return;
        unsigned xcr0Low = 0, xcr0High = 0;
        __asm__("xgetbv" : "=a"(xcr0Low), "=d"(xcr0High) : "c"(0));
        const bool avxState = (xcr0Low & 0x6) == 0x6;        // SSE and AVX registers
        const bool avx512State = (xcr0Low & 0xE6) == 0xE6;   // and the AVX-512 ones
        if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
            return;
        avx2 = avxState && fma && f16c && (ebx & (1u << 5));
        const bool avx512f = ebx & (1u << 16), avx512bw = ebx & (1u << 30), avx512vl = ebx & (1u << 31),
                   avx512vnni = ecx & (1u << 11);
        avx512 = avx2 && avx512State && avx512f && avx512bw && avx512vl && avx512vnni;
    }
};

const X86Features& x86Features()
{
    static const X86Features kFeatures;
    return kFeatures;
}

bool processorHasAvx2()
{
    return x86Features().avx2;
}

bool processorHasAvx512()
{
    return x86Features().avx512;
}
#else
bool processorHasAvx2()
{
    return false;
}

bool processorHasAvx512()
{
    return false;
}
#endif

// ARM64's dot-product (sdot) and 8-bit matrix multiply (smmla) extensions, as the operating system
// reports them. Windows on ARM gets the ARMv8.0 table.
#if defined(__aarch64__) && defined(__linux__)
// Older C libraries' headers lack the bit's name (the kernel's asm/hwcap.h gives it).
#ifndef HWCAP2_I8MM
#define HWCAP2_I8MM (1 << 13)
#endif

bool processorHasDotprod()
{
    return getauxval(AT_HWCAP) & HWCAP_ASIMDDP;
}

bool processorHasI8mm()
{
    return getauxval(AT_HWCAP2) & HWCAP2_I8MM;
}
#elif defined(__aarch64__) && defined(__APPLE__)
bool appleHas(const char* feature)
{
    int present = 0;
    size_t size = sizeof(present);
    return sysctlbyname(feature, &present, &size, nullptr, 0) == 0 && present != 0;
}

bool processorHasDotprod()
{
    return appleHas("hw.optional.arm.FEAT_DotProd");
}

bool processorHasI8mm()
{
    return appleHas("hw.optional.arm.FEAT_I8MM");
}
#else
bool processorHasDotprod()
{
    return false;
}

bool processorHasI8mm()
{
    return false;
}
#endif

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
    if (neonKernels())
        tables.push_back(neonKernels()); // every AArch64 processor
    if (neonDotprodKernels() && processorHasDotprod())
        tables.push_back(neonDotprodKernels());
    if (neonI8mmKernels() && processorHasDotprod() && processorHasI8mm()) // its other kernels are sdot's
        tables.push_back(neonI8mmKernels());
    return tables;
}

const DotKernels& bestKernels()
{
    static const DotKernels& kernels = select();
    return kernels;
}

} // namespace latent::cpu
