#ifndef QUANTIZED_ACTIVATIONS_GLSL
#define QUANTIZED_ACTIVATIONS_GLSL

// Where a product's x, quantized once per product (quantize_activations.comp writes it, matmul.comp
// reads it), keeps each part, in 32-bit words from the form's start; the same layout as
// engine/vulkan/quantized_activations.h. x's rows, blocks of blockValues (32: Q8_0; 256: Q8_K)
// values each, row after row, numbered 0..blocks-1; three arrays one after the other:
//   quants (blocks, blockValues / 4): the int8 quants, 4 a word, the first in the low byte
//   scales (blocks): the F32 scale
//   sums   Q8_0 (blocks): blockSumScale's F32; Q8_K (blocks, 16): the int32 sums of 16 quants

uint quantsWordOf(uint block, uint blockValues)
{
    return block * (blockValues / 4u);
}

uint scaleWordOf(uint blocks, uint block, uint blockValues)
{
    return blocks * (blockValues / 4u) + block;
}

// Q8_0: the block's sum scale (group 0); Q8_K: the sum of the block's quants 16 * group.. + 15.
uint sumWordOf(uint blocks, uint block, uint blockValues, uint group)
{
    return blocks * (blockValues / 4u + 1u) + block * (blockValues == 256u ? 16u : 1u) + group;
}

#endif
