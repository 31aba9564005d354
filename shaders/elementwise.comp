#version 450
#extension GL_GOOGLE_include_directive : require

// out = a + b (OPERATION 0) or out = silu(a) * b (OPERATION 1), over count values. The tensors
// may be the same buffer (x = x + y), so nothing is declared restrict.
// SwiGLU before quantized products (the down projection) also writes out's quantized forms
// (QUANTIZED_FORMS), saving them a dispatch and a barrier: then an invocation takes a unit of
// values (a Q8_K block of 256 where that form is made, else a Q8_0 block of 32), writes them and
// quantizes them as it reads them back; being its own writes they need no barrier, and out may be a.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 256;
layout(constant_id = 1) const uint OPERATION = 0;
layout(constant_id = 2) const uint QUANTIZED_FORMS = 0; // bit 0: Q8_0, bit 1: Q8_K; count whole units

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) buffer Output { float y[]; };
layout(std430, binding = 3) writeonly buffer Quantized { uint quantized[]; }; // quantized_activations.glsl

layout(push_constant) uniform Shape {
    uint count;
    uint aOffset, bOffset, yOffset; // floats into each buffer
    uint q8_0Offset, q8KOffset;     // words into quantized where the forms start
} shape;

#define ACTIVATION_VALUE(i) y[i]
#include "quantize_block.glsl"

float result(uint i)
{
    const float x = a[shape.aOffset + i], z = b[shape.bOffset + i];
    return OPERATION == 0 ? x + z : x / (1.0 + exp(-x)) * z;
}

void main()
{
    const uint stride = gl_NumWorkGroups.x * WORKGROUP_SIZE;
    if (QUANTIZED_FORMS == 0u) {
        for (uint i = gl_GlobalInvocationID.x; i < shape.count; i += stride)
            y[shape.yOffset + i] = result(i);
        return;
    }
    const uint unit = (QUANTIZED_FORMS & 2u) != 0u ? 256u : 32u;
    for (uint u = gl_GlobalInvocationID.x; u < shape.count / unit; u += stride) {
        const uint first = u * unit;
        for (uint i = first; i < first + unit; ++i)
            y[shape.yOffset + i] = result(i);
        if ((QUANTIZED_FORMS & 1u) != 0u) {
            for (uint block = first / 32u; block < (first + unit) / 32u; ++block)
                quantizeBlock(shape.yOffset + 32u * block, block, shape.count / 32u, 32u, shape.q8_0Offset);
        }
        if ((QUANTIZED_FORMS & 2u) != 0u)
            quantizeBlock(shape.yOffset + first, u, shape.count / 256u, 256u, shape.q8KOffset);
    }
}
