#include "engine/backend/backend.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"

#include <fmt/format.h>

namespace latent {

const char* storageKindName(TensorStorage::Kind kind)
{
    switch (kind) {
    case TensorStorage::Kind::Host: return "cpu";
    case TensorStorage::Kind::Vulkan: return "vulkan";
    case TensorStorage::Kind::Cuda: return "cuda";
    }
    return "unknown";
}

void wrongStorage(const Tensor& tensor, TensorStorage::Kind expected)
{
    if (!tensor.storage)
        throw Error(fmt::format("{} backend: a tensor without storage (one never allocated or loaded) was handed to it",
                                storageKindName(expected)));
    throw Error(fmt::format("{} backend: a tensor of the {} backend was handed to it; tensors stay on the backend "
                            "that made them (load the model and its caches on one backend)",
                            storageKindName(expected), storageKindName(tensor.storage->kind())));
}

size_t Tensor::rowBytes() const
{
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
    return size_t(cols) / traits.blockValues * traits.blockBytes;
}

Tensor Tensor::rowsView(int64_t first, int64_t count) const
{
    // A head-major cache's rows are not one range of bytes.
    if (layout == TensorLayout::HeadMajor)
        throw Error("a key/value cache arranged by head has no view of some rows");
    // An interleaved matrix is stored in whole groups of rows.
    if (layout == TensorLayout::Interleaved16 && (first % 16 != 0 || count % 16 != 0))
        throw Error(fmt::format("rows {}..{} of an interleaved matrix do not start and end on a group of 16",
                                first, first + count));
    Tensor view = *this;
    view.offset += size_t(first) * rowBytes();
    view.rows = count;
    return view;
}

std::string getRowsArgumentsProblem(const Tensor& out, const Tensor& table, std::span<const int32_t> ids)
{
    if (!(out.cols == table.cols && out.rows >= int64_t(ids.size()) && out.type == gguf::TensorType::F32))
        return "shapes do not match";
    for (int32_t id : ids) {
        if (id < 0 || id >= table.rows)
            return "a token id is outside the table";
    }
    return {};
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

std::string unsupportedOnGpu(const gguf::GgufFile& file, std::string_view backend,
                             const std::function<bool(gguf::TensorType)>& decodes, std::string_view decodedTypes)
{
    const std::string& architecture = file.architecture();
    if (architecture != "llama" && architecture != "deepseek2")
        return fmt::format("{}: architecture '{}' is not supported on {} yet ({} runs llama and deepseek2)",
                           file.source(), architecture, backend, backend);
    for (const gguf::TensorInfo& info : file.tensors()) {
        if (!decodes(info.type))
            return fmt::format("{}: tensor '{}' is stored as {}, which is not supported on {} yet ({} runs {})",
                               file.source(), info.name, gguf::tensorTypeName(info.type), backend, backend,
                               decodedTypes);
    }
    return {};
}

bool ropeArgumentsFit(const Tensor& x, size_t positions, const RopeParams& p)
{
    return x.type == gguf::TensorType::F32 && x.rows == int64_t(positions) && p.headDim > 0 && x.cols % p.headDim == 0 &&
           p.firstDim >= 0 && p.ropeDims >= 0 && p.firstDim + p.ropeDims <= p.headDim && p.ropeDims % 2 == 0;
}

bool storeArgumentsFit(const Tensor& cache, const Tensor& x, int64_t firstPosition)
{
    return cache.cols == x.cols && cache.type == gguf::TensorType::F16 && x.type == gguf::TensorType::F32 &&
           firstPosition >= 0 && firstPosition + x.rows <= cache.rows;
}

bool matmulArgumentsFit(const Tensor& out, const Tensor& weight, const Tensor& x)
{
    return x.type == gguf::TensorType::F32 && out.type == gguf::TensorType::F32 && weight.cols == x.cols &&
           out.cols == weight.rows && out.rows == x.rows;
}

bool attentionArgumentsFit(const Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                           const AttentionParams& p)
{
    using gguf::TensorType;
    return p.kvHeads > 0 && p.heads % p.kvHeads == 0 && q.type == TensorType::F32 && out.type == TensorType::F32 &&
           q.cols == int64_t(p.heads) * p.headDim && keys.cols == int64_t(p.kvHeads) * p.headDim &&
           values.cols == keys.cols && keys.type == TensorType::F16 && values.type == TensorType::F16 &&
           out.cols == q.cols && out.rows == q.rows && p.firstPosition >= 0 && p.firstPosition + q.rows <= keys.rows &&
           values.rows == keys.rows;
}

bool mlaArgumentsFit(const Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                     const Tensor& keyUp, const Tensor& valueUp, const MlaParams& p)
{
    using gguf::TensorType;
    const int64_t queryWidth = p.nopeDim + p.ropeDim;
    return p.heads > 0 && q.type == TensorType::F32 && q.cols == p.heads * queryWidth && out.type == TensorType::F32 &&
           out.cols == int64_t(p.heads) * p.valueDim && out.rows == q.rows && latent.type == TensorType::F16 &&
           latent.cols == p.latentDim && ropeKeys.type == TensorType::F16 && ropeKeys.cols == p.ropeDim &&
           ropeKeys.rows == latent.rows && p.firstPosition >= 0 && p.firstPosition + q.rows <= latent.rows &&
           keyUp.cols == p.nopeDim && keyUp.rows == int64_t(p.heads) * p.latentDim && valueUp.cols == p.latentDim &&
           valueUp.rows == int64_t(p.heads) * p.valueDim;
}

bool moeArgumentsFit(const Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                     const Tensor& weights)
{
    using gguf::TensorType;
    const int64_t count = experts.count, width = experts.feedForward();
    return count > 0 && experts.gate.rows == count * width && experts.up.rows == count * width &&
           experts.down.rows == count * out.cols && x.type == TensorType::F32 && out.type == TensorType::F32 &&
           out.rows == x.rows && experts.gate.cols == x.cols && experts.up.cols == x.cols &&
           experts.down.cols == width && ids.type == TensorType::I32 && ids.rows == x.rows &&
           weights.type == TensorType::F32 && weights.rows == x.rows && weights.cols == ids.cols;
}

void Backend::addAndNorm(Tensor& x, const Tensor& addend, Tensor& out, const Tensor& weight, float eps)
{
    add(x, x, addend);
    rmsNorm(out, x, weight, eps);
}

void Backend::matmuls(std::span<const Product> products, const Tensor& x)
{
    for (const Product& product : products)
        matmul(*product.out, *product.weight, x);
}

Tensor Backend::allocateCache(int64_t heads, int64_t headDim, int64_t capacity)
{
    return allocate(gguf::TensorType::F16, heads * headDim, capacity);
}

void Backend::ropeAndStore(Tensor& cache, Tensor& x, std::span<const int32_t> positions, const RopeParams& params,
                           int64_t firstPosition)
{
    rope(x, positions, params);
    store(cache, x, firstPosition);
}

void Backend::moeWithShared(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                            const Tensor& weights, const SharedExperts& shared, SharedExpertsScratch scratch)
{
    moe(out, x, experts, ids, weights);
    const Product gateAndUp[] = {{&scratch.gate, &shared.gate}, {&scratch.up, &shared.up}};
    matmuls(gateAndUp, x);
    swiglu(scratch.gate, scratch.gate, scratch.up);
    matmul(scratch.out, shared.down, scratch.gate);
    add(out, out, scratch.out);
}

} // namespace latent
