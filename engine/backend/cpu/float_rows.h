#pragma once

// DotKernels' float products (f32, f16, bf16: weight rows stored as floats, halves or bfloat16s,
// against activation rows) walked in tiles of rows and tokens. A tile multiplies each weight
// vector it loads by every token of the tile and each activation vector by every row, so a prompt's
// products with float weights stop loading two vectors for every product of two, as one row
// product after another did (a Coder-1.3B-shaped F16 model read prompts at a quarter of
// llama.cpp's speed so). Each table's file gives its tile (Tile::run<R, T, Values>: R rows by T
// tokens, at most Tile::kRows by Tile::kTokens), whose every product takes float_sums.h's steps,
// so any tiling gets the one-row product's bits.

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace latent::cpu {

// The stored float types, as the tiles name them (F16 and BF16 are both 16-bit words).
struct F32Values {
    using Stored = float;
};
struct F16Values {
    using Stored = uint16_t;
};
struct Bf16Values {
    using Stored = uint16_t;
};

namespace float_rows_detail {

// body.template operator()<C>() for C = count, 1 <= count <= Max.
template <size_t Max, typename Body, size_t... Counts>
void withCount(size_t count, const Body& body, std::index_sequence<Counts...>)
{
    ((count == Counts + 1 ? body.template operator()<Counts + 1>() : void()), ...);
}

} // namespace float_rows_detail

// out[t * outStride + r] = row r (at w + r * rowStride) times token t (at x + t * xStride), n
// values each, for r < rows and t < tokens. Tiles of tokens outside, so that a tile's activation
// rows stay in the first-level cache while the rows go past (the caller keeps them few enough for
// the second: floatRowsProduct() passes blocks of them); the last rows and tokens in smaller tiles.
template <typename Tile, typename Values>
void floatRowsInTiles(const typename Values::Stored* w, size_t rowStride, size_t rows, const float* x, size_t xStride,
                      size_t tokens, size_t n, float* out, size_t outStride)
{
    using float_rows_detail::withCount;
    using Stored = typename Values::Stored;
    constexpr size_t kRows = Tile::kRows, kTokens = Tile::kTokens;
    // Fewer tokens than a tile (decoding) read each row from memory once, and a row at a time is
    // one stream through the matrix: several rows at once are as many streams a row apart, which
    // the hardware prefetchers, staying within a page, do not follow (a Coder-1.3B-shaped F16 model
    // decoded 1.6x slower in tiles of three rows).
    const size_t rowsPerTile = tokens < kTokens ? 1 : kRows;
    for (size_t t0 = 0; t0 < tokens; t0 += kTokens) {
        const float* tileTokens[kTokens];
        const size_t tokenCount = tokens - t0 < kTokens ? tokens - t0 : kTokens;
        for (size_t t = 0; t < tokenCount; ++t)
            tileTokens[t] = x + (t0 + t) * xStride;
        for (size_t r0 = 0; r0 < rows; r0 += rowsPerTile) {
            const Stored* tileRows[kRows];
            const size_t rowCount = rows - r0 < rowsPerTile ? rows - r0 : rowsPerTile;
            for (size_t r = 0; r < rowCount; ++r)
                tileRows[r] = w + (r0 + r) * rowStride;
            float* target = out + t0 * outStride + r0;
            withCount<kRows>(rowCount, [&]<size_t R>() {
                withCount<kTokens>(tokenCount, [&]<size_t T>() {
                    Tile::template run<R, T, Values>(tileRows, tileTokens, n, target, outStride);
                }, std::make_index_sequence<kTokens>());
            }, std::make_index_sequence<kRows>());
        }
    }
}

// Tiles of one product, for the tables whose float products go one at a time (the portable one,
// the reference the others are held to, and NEON's).
template <float (*DotF32)(const float*, const float*, size_t), float (*DotF16)(const uint16_t*, const float*, size_t),
          float (*DotBf16)(const uint16_t*, const float*, size_t)>
struct OneProductTiles {
    static constexpr size_t kRows = 1, kTokens = 1;

    template <size_t R, size_t T, typename Values>
    static void run(const typename Values::Stored* const* rows, const float* const* tokens, size_t n, float* out,
                    size_t)
    {
        if constexpr (std::is_same_v<Values, F32Values>)
            out[0] = DotF32(rows[0], tokens[0], n);
        else if constexpr (std::is_same_v<Values, F16Values>)
            out[0] = DotF16(rows[0], tokens[0], n);
        else
            out[0] = DotBf16(rows[0], tokens[0], n);
    }
};

} // namespace latent::cpu
