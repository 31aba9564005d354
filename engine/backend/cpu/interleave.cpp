#include "engine/backend/cpu/interleave.h"

#include "engine/quant/blocks.h"

namespace latent::cpu {
namespace {

constexpr size_t kQ4GroupBlockBytes = 32 + 4 * 64;
constexpr size_t kQ8GroupBlockBytes = 32 + 8 * 64;

uint8_t nibble(const quant::BlockQ4_0& block, int position)
{
    return position < 16 ? block.q[position] & 0x0F : block.q[position - 16] >> 4;
}

} // namespace

bool canInterleave(gguf::TensorType type, int64_t cols, int64_t rows)
{
    return (type == gguf::TensorType::Q4_0 || type == gguf::TensorType::Q8_0) && rows % kInterleavedRows == 0 &&
           cols % 32 == 0 && rows > 0;
}

size_t interleavedGroupBlockBytes(gguf::TensorType type)
{
    return type == gguf::TensorType::Q4_0 ? kQ4GroupBlockBytes : kQ8GroupBlockBytes;
}

size_t interleavedBytes(gguf::TensorType type, int64_t cols, int64_t rows)
{
    return size_t(rows / kInterleavedRows) * size_t(cols / 32) * interleavedGroupBlockBytes(type);
}

void interleave(gguf::TensorType type, const uint8_t* rows, int64_t cols, int64_t firstGroup, int64_t endGroup,
                uint8_t* out)
{
    const auto blocks = size_t(cols / 32);
    const size_t groupBlockBytes = interleavedGroupBlockBytes(type);
    for (int64_t group = firstGroup; group < endGroup; ++group) {
        for (size_t b = 0; b < blocks; ++b) {
            uint8_t* dst = out + (size_t(group) * blocks + b) * groupBlockBytes;
            auto* scales = reinterpret_cast<uint16_t*>(dst);
            for (int r = 0; r < kInterleavedRows; ++r) {
                const int64_t row = group * kInterleavedRows + r;
                if (type == gguf::TensorType::Q4_0) {
                    const auto& block = reinterpret_cast<const quant::BlockQ4_0*>(rows + size_t(row) * blocks * 18)[b];
                    scales[r] = block.d;
                    for (int j = 0; j < 4; ++j) {
                        for (int i = 0; i < 4; ++i)
                            dst[32 + 64 * j + 4 * r + i] =
                                uint8_t(nibble(block, 8 * j + i) | (nibble(block, 8 * j + 4 + i) << 4));
                    }
                } else {
                    const auto& block = reinterpret_cast<const quant::BlockQ8_0*>(rows + size_t(row) * blocks * 34)[b];
                    scales[r] = block.d;
                    for (int k = 0; k < 8; ++k) {
                        for (int i = 0; i < 4; ++i)
                            dst[32 + 64 * k + 4 * r + i] = uint8_t(block.q[4 * k + i] ^ 0x80); // q + 128
                    }
                }
            }
        }
    }
}

} // namespace latent::cpu
