#ifndef QUANTIZE_BLOCK_GLSL
#define QUANTIZE_BLOCK_GLSL

// One block of x quantized into the layout of quantized_activations.glsl, with the CPU's bits
// (activation_quantization.glsl): what quantize_activations.comp does for a product, and what
// rms_norm.comp and elementwise.comp's SwiGLU do for the products that read their output. The
// including shader declares `uint quantized[]`, and x as activation_quantization.glsl reads it.

#include "activation_quantization.glsl"
#include "quantized_activations.glsl"

// Block `block` of a form of `blocks` blocks of blockValues values (32: Q8_0, 256: Q8_K), x's
// values from xBase on, into the form that starts at word `to` of quantized.
void quantizeBlock(uint xBase, uint block, uint blocks, uint blockValues, uint to)
{
    const ActivationScale s = activationScale(xBase, blockValues == 256u);
    quantized[to + scaleWordOf(blocks, block, blockValues)] = floatBitsToUint(s.scale);
    int sum = 0;
    uint packed = 0u;
    for (uint i = 0; i < blockValues; ++i) {
        const int q = activationQuant(ACTIVATION_VALUE(xBase + i), s.inverse);
        packed |= (uint(q) & 0xFFu) << (8u * (i % 4u));
        sum += q;
        if (i % 4u == 3u) {
            quantized[to + quantsWordOf(block, blockValues) + i / 4u] = packed;
            packed = 0u;
        }
        if (blockValues == 256u && i % 16u == 15u) {
            quantized[to + sumWordOf(blocks, block, blockValues, i / 16u)] = uint(sum);
            sum = 0;
        }
    }
    if (blockValues == 32u)
        quantized[to + sumWordOf(blocks, block, blockValues, 0u)] = floatBitsToUint(blockSumScale(s, sum));
}

#endif
