#version 450

// Mixture-of-experts routing (Backend::route), one invocation per token, as the CPU backend
// computes it: each expert's probability (softmax or sigmoid of its logit) and its selection score
// (plus the selection bias); with groups, only the best groupsUsed groups stay (a group scores its
// best expert (V2, softmax) or the sum of its two best (V3, sigmoid)); then the `used` best
// experts, ties to the lower index, and their probabilities, normalized and scaled. The chosen ids
// stay on the device for matmul_experts.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64;
layout(constant_id = 1) const uint EXPERTS = 8;
layout(constant_id = 2) const uint GROUPS = 1;

layout(std430, binding = 0) readonly buffer Logits { float logits[]; };   // (tokens, EXPERTS)
layout(std430, binding = 1) readonly buffer Bias { float bias[]; };       // (EXPERTS), if hasBias
layout(std430, binding = 2) writeonly buffer Ids { int ids[]; };          // (tokens, used)
layout(std430, binding = 3) writeonly buffer Weights { float weights[]; }; // (tokens, used)

layout(push_constant) uniform Routing {
    uint tokens, used, groupsUsed;
    uint sigmoid;   // gating: 0 softmax, 1 sigmoid
    uint normalize; // 1: the chosen weights sum to 1 (before the scale)
    uint hasBias;
    float scale;
    uint logitsOffset, biasOffset, idsOffset, weightsOffset; // floats (ints) into each buffer
} routing;

const float NONE = -1.0 / 0.0;

float probability[EXPERTS], selection[EXPERTS];

// The index of the largest of values[0 .. count) (the first of equals); NONE is never chosen.
uint largest(float values[EXPERTS], uint count)
{
    uint result = 0;
    float best = NONE;
    for (uint i = 0; i < count; ++i) {
        if (values[i] > best) {
            best = values[i];
            result = i;
        }
    }
    return result;
}

void keepBestGroups()
{
    const uint perGroup = EXPERTS / GROUPS;
    float groupScore[EXPERTS]; // the first GROUPS
    for (uint g = 0; g < GROUPS; ++g) {
        float first = NONE, second = NONE;
        for (uint e = g * perGroup; e < (g + 1) * perGroup; ++e) {
            if (selection[e] > first) {
                second = first;
                first = selection[e];
            } else if (selection[e] > second) {
                second = selection[e];
            }
        }
        groupScore[g] = routing.sigmoid == 0 || perGroup < 2 ? first : first + second;
    }
    bool kept[GROUPS];
    for (uint g = 0; g < GROUPS; ++g)
        kept[g] = false;
    for (uint k = 0; k < routing.groupsUsed; ++k) {
        const uint g = largest(groupScore, GROUPS);
        kept[g] = true;
        groupScore[g] = NONE;
    }
    for (uint e = 0; e < EXPERTS; ++e) {
        if (!kept[e / perGroup])
            selection[e] = NONE;
    }
}

void main()
{
    const uint t = gl_GlobalInvocationID.x;
    if (t >= routing.tokens)
        return;
    const uint row = routing.logitsOffset + t * EXPERTS;
    if (routing.sigmoid == 0) {
        float maxLogit = logits[row];
        for (uint e = 1; e < EXPERTS; ++e)
            maxLogit = max(maxLogit, logits[row + e]);
        float sum = 0.0;
        for (uint e = 0; e < EXPERTS; ++e) {
            probability[e] = exp(logits[row + e] - maxLogit);
            sum += probability[e];
        }
        for (uint e = 0; e < EXPERTS; ++e)
            probability[e] /= sum;
    } else {
        for (uint e = 0; e < EXPERTS; ++e)
            probability[e] = 1.0 / (1.0 + exp(-logits[row + e]));
    }
    for (uint e = 0; e < EXPERTS; ++e)
        selection[e] = probability[e] + (routing.hasBias != 0 ? bias[routing.biasOffset + e] : 0.0);
    if (routing.groupsUsed < GROUPS)
        keepBestGroups();

    uint chosen[EXPERTS]; // the first `used`
    float sum = 0.0;
    for (uint k = 0; k < routing.used; ++k) {
        chosen[k] = largest(selection, EXPERTS);
        selection[chosen[k]] = NONE;
        sum += probability[chosen[k]];
    }
    for (uint k = 0; k < routing.used; ++k) {
        const float p = probability[chosen[k]];
        ids[routing.idsOffset + t * routing.used + k] = int(chosen[k]);
        weights[routing.weightsOffset + t * routing.used + k] = (routing.normalize != 0 ? p / sum : p) * routing.scale;
    }
}
