#pragma once

#include "engine/quant/blocks.h"

// One block of each quantized type to floats and back, for quantize.cpp to run over rows.
// quantizeBlock reads the block's 32 (legacy_quants.cpp) or 256 (k_quants.cpp) values;
// dequantizeBlock writes them.

namespace latent::quant {

void quantizeBlock(const float* values, BlockQ4_0& block);
void quantizeBlock(const float* values, BlockQ4_1& block);
void quantizeBlock(const float* values, BlockQ5_0& block);
void quantizeBlock(const float* values, BlockQ5_1& block);
void quantizeBlock(const float* values, BlockQ8_0& block);
void quantizeBlock(const float* values, BlockIq4Nl& block);
void quantizeBlock(const float* values, BlockQ2_K& block);
void quantizeBlock(const float* values, BlockQ3_K& block);
void quantizeBlock(const float* values, BlockQ4_K& block);
void quantizeBlock(const float* values, BlockQ5_K& block);
void quantizeBlock(const float* values, BlockQ6_K& block);
void quantizeBlock(const float* values, BlockIq4Xs& block);

void dequantizeBlock(const BlockQ4_0& block, float* values);
void dequantizeBlock(const BlockQ4_1& block, float* values);
void dequantizeBlock(const BlockQ5_0& block, float* values);
void dequantizeBlock(const BlockQ5_1& block, float* values);
void dequantizeBlock(const BlockQ8_0& block, float* values);
void dequantizeBlock(const BlockIq4Nl& block, float* values);
void dequantizeBlock(const BlockQ2_K& block, float* values);
void dequantizeBlock(const BlockQ3_K& block, float* values);
void dequantizeBlock(const BlockQ4_K& block, float* values);
void dequantizeBlock(const BlockQ5_K& block, float* values);
void dequantizeBlock(const BlockQ6_K& block, float* values);
void dequantizeBlock(const BlockIq4Xs& block, float* values);

} // namespace latent::quant
