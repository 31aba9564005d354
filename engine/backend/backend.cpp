#include "engine/backend/backend.h"

namespace latent {

size_t Tensor::rowBytes() const
{
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
    return size_t(cols) / traits.blockValues * traits.blockBytes;
}

Tensor Tensor::rowsView(int64_t first, int64_t count) const
{
    Tensor view = *this;
    view.offset += size_t(first) * rowBytes();
    view.rows = count;
    return view;
}

} // namespace latent
