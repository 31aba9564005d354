#pragma once

#include "engine/core/error.h"

#include <cstdint>
#include <string>

namespace latent::gguf {

// Constants of the GGUF container format, as llama.cpp reads and writes it.
inline constexpr uint32_t kMagic = 0x46554747;   // "GGUF" read as a little-endian uint32
inline constexpr uint32_t kVersionWritten = 3;
inline constexpr uint32_t kMinVersionRead = 2;  // version 1 used 32-bit counts and is long gone
inline constexpr uint32_t kMaxVersionRead = 3;
inline constexpr uint32_t kDefaultAlignment = 32;
inline constexpr const char* kAlignmentKey = "general.alignment";
inline constexpr uint32_t kMaxDims = 4;           // ggml tensors have at most 4 dimensions
inline constexpr size_t kMaxTensorNameBytes = 63; // ggml keeps names in 64-byte buffers with a NUL

// An error in a GGUF file: where (file and byte offset) and what is wrong.
class GgufError : public Error {
public:
    GgufError(std::string source, uint64_t offset, const std::string& what);

    const std::string& source() const { return source_; }
    uint64_t offset() const { return offset_; }

private:
    std::string source_;
    uint64_t offset_;
};

} // namespace latent::gguf
