// Bytes, halves and floats read from a buffer of 32-bit words named `words`, by byte offset:
// quantized blocks are 18, 34 or 210 bytes and so on, so they do not align to words, and reading
// bytes out of words needs no 8- or 16-bit storage feature. The including shader declares `words`.

#include "half_float.glsl"

uint byteAt(uint offset)
{
    return (words[offset >> 2] >> ((offset & 3u) * 8u)) & 0xFFu;
}

int signedByteAt(uint offset)
{
    return int(byteAt(offset) << 24) >> 24;
}

// 16 bits at an even byte offset (never straddle two words).
uint shortAt(uint offset)
{
    const uint word = words[offset >> 2];
    return ((offset & 2u) != 0u ? word >> 16 : word) & 0xFFFFu;
}

// The 4 bytes at an even byte offset, the first in the low byte (every field of a quantized block
// starts on an even byte): one word, or the halves of two.
uint wordAt(uint offset)
{
    const uint word = words[offset >> 2];
    return (offset & 2u) == 0u ? word : (word >> 16) | (words[(offset >> 2) + 1u] << 16);
}

// Exact on every driver (half_float.glsl): a block's F16 scale may be subnormal, and a driver
// that flushed it in unpackHalf2x16 would zero the block.
float halfAt(uint offset)
{
    return halfBitsToFloat(shortAt(offset));
}

// BF16 is the top half of an F32.
float bf16At(uint offset)
{
    return uintBitsToFloat(shortAt(offset) << 16);
}

float floatAt(uint offset)
{
    return uintBitsToFloat(words[offset >> 2]);
}
