#ifndef BLOCK_TERM_GLSL
#define BLOCK_TERM_GLSL

// A quantized block's share of a product as the CPU computes it (engine/backend/cpu/float_sums.h),
// from the block's integer sums: dot, the sum of subScale * (levels . quants) over its sub-blocks;
// minimums, the sum of subMinimum * (sum of the sub-block's quants) (Q2_K, Q4_K, Q5_K); blockSum,
// blockSumScale's F16 sum of the block's x (Q4_1, Q5_1). d and minimum are the weight block's F16
// scale and minimum (weight_blocks.glsl), xScale the activation block's scale. Each operation is
// rounded alone: precise keeps a driver from fusing a product and a sum into one fma.
// Needs weight_blocks.glsl.
float blockTerm(uint type, float d, float minimum, float xScale, int dot, int minimums, float blockSum)
{
    precise float product;
    if (type == TYPE_Q3_K || type == TYPE_Q6_K || type == TYPE_IQ4_XS)
        product = d * xScale * float(dot); // signed values, no minimums
    else if (isSuperBlockType(type))
        product = xScale * (d * float(dot) - minimum * float(minimums));
    else if (hasBlockMinimum(type)) // the minimum times the block's sum, F16 as llama.cpp's Q8_1
        product = d * xScale * float(dot) + minimum * blockSum;
    else
        product = d * xScale * float(dot);
    return product;
}

#endif
