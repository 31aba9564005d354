#include "engine/model/model_weights.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace latent {
namespace {

std::string shapeText(const std::vector<uint64_t>& shape)
{
    return fmt::format("[{}]", fmt::join(shape, ", "));
}

} // namespace

bool isComputableWeightType(gguf::TensorType type)
{
    using gguf::TensorType;
    return type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16 ||
           type == TensorType::Q8_0 || type == TensorType::Q4_0;
}

Tensor WeightLoader::matrix(const std::string& name, int64_t cols, int64_t rows, WeightUse use)
{
    const gguf::TensorInfo* info = file_.findTensor(name);
    if (!info)
        throw Error(fmt::format("{}: tensor '{}' is missing; the file is incomplete or not this architecture",
                                file_.source(), name));
    const bool shapeOk = info->shape.size() == 2 && int64_t(info->shape[0]) == cols &&
                         (rows < 0 || int64_t(info->shape[1]) == rows);
    if (!shapeOk)
        throw Error(fmt::format("{}: tensor '{}' has shape {}, expected [{}, {}]", file_.source(), name,
                                shapeText(info->shape), cols, rows < 0 ? std::string("n") : std::to_string(rows)));
    if (!isComputableWeightType(info->type))
        throw Error(fmt::format("{}: tensor '{}' is stored as {}, which this version cannot compute yet (F32, F16, "
                                "BF16, Q8_0 and Q4_0 run); use a file quantized to one of those",
                                file_.source(), name, gguf::tensorTypeName(info->type)));
    return backend_.weight(file_, *info, use);
}

Tensor WeightLoader::vector(const std::string& name, int64_t n)
{
    const gguf::TensorInfo* info = file_.findTensor(name);
    if (!info)
        throw Error(fmt::format("{}: tensor '{}' is missing; the file is incomplete or not this architecture",
                                file_.source(), name));
    if (info->shape.size() != 1 || int64_t(info->shape[0]) != n)
        throw Error(fmt::format("{}: tensor '{}' has shape {}, expected [{}]", file_.source(), name,
                                shapeText(info->shape), n));
    if (info->type != gguf::TensorType::F32)
        throw Error(fmt::format("{}: tensor '{}' is stored as {}, expected F32", file_.source(), name,
                                gguf::tensorTypeName(info->type)));
    return backend_.weight(file_, *info, WeightUse::Lookup);
}

} // namespace latent
