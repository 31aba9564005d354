#version 450

// The last step of a mixture-of-experts layer: out[t] = sum_k weights[t][k] * expert[t * used + k],
// the expert outputs of token t's chosen experts (rows of matmul_experts) weighted by the router.
// Workgroups: (column groups, tokens).

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 128;

layout(std430, binding = 0) readonly buffer Experts { float experts[]; }; // (tokens * used, cols)
layout(std430, binding = 1) readonly buffer Weights { float weights[]; }; // (tokens, used)
layout(std430, binding = 2) writeonly buffer Output { float y[]; };      // (tokens, cols)

layout(push_constant) uniform Shape {
    uint cols, used;
    uint expertsOffset, weightsOffset, yOffset; // floats into each buffer
} shape;

void main()
{
    const uint t = gl_WorkGroupID.y;
    for (uint c = gl_WorkGroupID.x * WORKGROUP_SIZE + gl_LocalInvocationID.x; c < shape.cols;
         c += gl_NumWorkGroups.x * WORKGROUP_SIZE) {
        float sum = 0.0;
        for (uint k = 0; k < shape.used; ++k)
            sum += weights[shape.weightsOffset + t * shape.used + k] *
                   experts[shape.expertsOffset + (t * shape.used + k) * shape.cols + c];
        y[shape.yOffset + t * shape.cols + c] = sum;
    }
}
