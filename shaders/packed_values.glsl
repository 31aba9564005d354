// Values of GGUF's tensor types read from a buffer of 32-bit words named `words`, by byte offset:
// quantized blocks are 18 (Q4_0) or 34 (Q8_0) bytes, so they do not align to words, and reading
// bytes out of words needs no 8- or 16-bit storage feature. The including shader declares
// `words` and the type constants below match GGUF's type ids.

const uint TYPE_F32 = 0;
const uint TYPE_F16 = 1;
const uint TYPE_Q4_0 = 2;
const uint TYPE_Q8_0 = 8;

uint byteAt(uint offset)
{
    return (words[offset >> 2] >> ((offset & 3u) * 8u)) & 0xFFu;
}

int signedByteAt(uint offset)
{
    return int(byteAt(offset) << 24) >> 24;
}

// An F16 value at an even byte offset (never straddles two words).
float halfAt(uint offset)
{
    const uint word = words[offset >> 2];
    return unpackHalf2x16((offset & 2u) != 0u ? word >> 16 : word).x;
}

float floatAt(uint offset)
{
    return uintBitsToFloat(words[offset >> 2]);
}

// Bytes of a row of `cols` values of a type.
uint rowBytesOf(uint type, uint cols)
{
    if (type == TYPE_F32)
        return cols * 4u;
    if (type == TYPE_F16)
        return cols * 2u;
    return cols / 32u * (type == TYPE_Q8_0 ? 34u : 18u);
}

// Value i of the row starting at byte rowStart, dequantized.
float valueAt(uint type, uint rowStart, uint i)
{
    if (type == TYPE_F32)
        return floatAt(rowStart + i * 4u);
    if (type == TYPE_F16)
        return halfAt(rowStart + i * 2u);
    const uint j = i % 32u;
    if (type == TYPE_Q8_0) {
        const uint block = rowStart + i / 32u * 34u;
        return halfAt(block) * float(signedByteAt(block + 2u + j));
    }
    const uint block = rowStart + i / 32u * 18u; // Q4_0: byte j holds value j (low nibble) and j + 16
    const uint packed = byteAt(block + 2u + j % 16u);
    return halfAt(block) * float(int(j < 16u ? packed & 15u : packed >> 4) - 8);
}
