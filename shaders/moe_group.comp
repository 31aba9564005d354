#version 450

// A mixture-of-experts batch's (token, chosen expert) pairs grouped by expert, so that the experts'
// products run as tiled products over each expert's tokens (matmul_experts_tiled) and read each
// expert's weights once per tile of tokens rather than once per pair. One workgroup writes:
//   groups[4 t .. 4 t + 2]: tile t, (expert, first entry of order, pairs: 1 .. TILE_TOKENS), the
//     tiles of expert 0 first, then expert 1's, ...; tiles past the last hold 0 pairs (the host
//     dispatches the most a batch can need: pairs / TILE_TOKENS + experts, rounded up);
//   groups[orderOffset + i]: the pairs sorted by expert, in pair order within an expert, so the
//     grouping and the sums are the same whatever the device's timing.
// Each invocation owns experts e = local id + k * WORKGROUP_SIZE and scans the ids for them, a chunk
// of pairs staged in shared memory at a time: once to count, once to place.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 256;
layout(constant_id = 1) const uint EXPERTS = 64;
layout(constant_id = 2) const uint TILE_TOKENS = 32;

layout(std430, binding = 0) readonly buffer Ids { int ids[]; }; // (tokens, used): pair p is ids[p]
layout(std430, binding = 1) writeonly buffer Groups { uint groups[]; };

layout(push_constant) uniform Shape {
    uint pairs;
    uint idsOffset;   // ints into ids
    uint tiles;       // tiles written (the most a batch can need)
    uint orderOffset; // words into groups where the order starts
} shape;

const uint CHUNK = 2048;
shared uint chunk[CHUNK];
shared uint expertStart[EXPERTS]; // counts, then the first entry of order of each expert

// The ids of pairs first .. first + CHUNK - 1 into chunk (an id outside the experts matches none).
void stageChunk(uint first)
{
    barrier();
    for (uint i = gl_LocalInvocationID.x; i < CHUNK && first + i < shape.pairs; i += WORKGROUP_SIZE) {
        const int id = ids[shape.idsOffset + first + i];
        chunk[i] = id >= 0 && uint(id) < EXPERTS ? uint(id) : 0xFFFFFFFFu;
    }
    barrier();
}

void main()
{
    const uint lane = gl_LocalInvocationID.x;
    for (uint e = lane; e < EXPERTS; e += WORKGROUP_SIZE)
        expertStart[e] = 0;
    for (uint first = 0; first < shape.pairs; first += CHUNK) {
        stageChunk(first);
        const uint count = min(CHUNK, shape.pairs - first);
        for (uint e = lane; e < EXPERTS; e += WORKGROUP_SIZE)
            for (uint i = 0; i < count; ++i)
                expertStart[e] += chunk[i] == e ? 1u : 0u;
    }
    barrier();
    // Counts into starts, and the tiles, in expert order by one invocation (a few hundred steps).
    if (lane == 0) {
        uint start = 0, tile = 0;
        for (uint e = 0; e < EXPERTS; ++e) {
            const uint count = expertStart[e];
            expertStart[e] = start;
            for (uint done = 0; done < count; done += TILE_TOKENS, ++tile) {
                groups[4 * tile] = e;
                groups[4 * tile + 1] = start + done;
                groups[4 * tile + 2] = min(TILE_TOKENS, count - done);
                groups[4 * tile + 3] = 0;
            }
            start += count;
        }
        for (; tile < shape.tiles; ++tile) {
            groups[4 * tile] = 0;
            groups[4 * tile + 1] = 0;
            groups[4 * tile + 2] = 0;
            groups[4 * tile + 3] = 0;
        }
    }
    barrier();
    for (uint first = 0; first < shape.pairs; first += CHUNK) {
        stageChunk(first);
        const uint count = min(CHUNK, shape.pairs - first);
        for (uint e = lane; e < EXPERTS; e += WORKGROUP_SIZE) {
            uint next = expertStart[e];
            for (uint i = 0; i < count; ++i) {
                if (chunk[i] == e)
                    groups[shape.orderOffset + next++] = first + i;
            }
            expertStart[e] = next;
        }
    }
}
