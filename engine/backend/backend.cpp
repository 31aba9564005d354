#include "engine/backend/backend.h"

#include "engine/core/error.h"

#include <fmt/format.h>

namespace latent {

size_t Tensor::rowBytes() const
{
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
    return size_t(cols) / traits.blockValues * traits.blockBytes;
}

Tensor Tensor::rowsView(int64_t first, int64_t count) const
{
    // An interleaved matrix is stored in whole groups of rows.
    if (layout == TensorLayout::Interleaved16 && (first % 16 != 0 || count % 16 != 0))
        throw Error(fmt::format("rows {}..{} of an interleaved matrix do not start and end on a group of 16",
                                first, first + count));
    Tensor view = *this;
    view.offset += size_t(first) * rowBytes();
    view.rows = count;
    return view;
}

} // namespace latent
