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

std::string routeArgumentsProblem(const Tensor& ids, const Tensor& weights, const Tensor& logits, const Tensor* bias,
                                  const MoeRouting& r)
{
    if (!(r.experts > 0 && r.used > 0 && r.used <= r.experts && r.groups > 0 && r.experts % r.groups == 0 &&
          r.groupsUsed > 0 && r.groupsUsed <= r.groups && r.used <= r.experts / r.groups * r.groupsUsed))
        return "the routing parameters do not fit together";
    if (!(logits.type == gguf::TensorType::F32 && logits.cols == r.experts && ids.type == gguf::TensorType::I32 &&
          ids.cols == r.used && weights.type == gguf::TensorType::F32 && weights.cols == r.used &&
          ids.rows == logits.rows && weights.rows == logits.rows &&
          (!bias || (bias->type == gguf::TensorType::F32 && bias->cols == r.experts))))
        return "shapes do not match";
    return {};
}

bool moeArgumentsFit(const Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                     const Tensor& weights)
{
    using gguf::TensorType;
    const size_t count = experts.gate.size();
    return count > 0 && experts.up.size() == count && experts.down.size() == count && x.type == TensorType::F32 &&
           out.type == TensorType::F32 && out.rows == x.rows && out.cols == experts.down[0].rows &&
           experts.gate[0].cols == x.cols && experts.up[0].cols == x.cols &&
           experts.up[0].rows == experts.gate[0].rows && experts.down[0].cols == experts.gate[0].rows &&
           ids.type == TensorType::I32 && ids.rows == x.rows && weights.type == TensorType::F32 &&
           weights.rows == x.rows && weights.cols == ids.cols;
}

} // namespace latent
