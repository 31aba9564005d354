#include "engine/model/model_weights.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

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
    switch (type) {
    case TensorType::F32:
    case TensorType::F16:
    case TensorType::BF16:
    case TensorType::Q8_0:
    case TensorType::Q4_0:
    case TensorType::Q4_1:
    case TensorType::Q5_0:
    case TensorType::Q5_1:
    case TensorType::Q2_K:
    case TensorType::Q3_K:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K:
    case TensorType::IQ4_NL:
    case TensorType::IQ4_XS: return true;
    default: return false;
    }
}

WeightLoader::WeightLoader(const gguf::GgufFile& file, Backend& backend, LoadProgress progress)
    : file_(file), backend_(backend), progress_(std::move(progress))
{
    for (const gguf::TensorInfo& info : file_.tensors())
        totalBytes_ += info.byteSize;
}

Tensor WeightLoader::loaded(const gguf::TensorInfo& info, WeightUse use)
{
    Tensor tensor = backend_.weight(file_, info, use);
    loadedBytes_ += info.byteSize;
    const double fraction = totalBytes_ ? std::min(1.0, double(loadedBytes_) / double(totalBytes_)) : 1.0;
    if (progress_ && !progress_(fraction))
        throw LoadCancelled(fmt::format("{}: loading was cancelled", file_.source()));
    return tensor;
}

const gguf::TensorInfo& WeightLoader::find(const std::string& name) const
{
    const gguf::TensorInfo* info = file_.findTensor(name);
    if (!info)
        throw Error(fmt::format("{}: tensor '{}' is missing; the file is incomplete or not this architecture",
                                file_.source(), name),
                    ErrorKind::ModelDataInvalid);
    return *info;
}

bool WeightLoader::contains(const std::string& name) const
{
    return file_.findTensor(name) != nullptr;
}

Tensor WeightLoader::checked(const gguf::TensorInfo& info, const std::vector<int64_t>& expected, WeightUse use)
{
    bool shapeOk = info.shape.size() == expected.size();
    for (size_t d = 0; shapeOk && d < expected.size(); ++d)
        shapeOk = expected[d] < 0 || int64_t(info.shape[d]) == expected[d];
    if (!shapeOk) {
        std::vector<std::string> wanted;
        for (int64_t n : expected)
            wanted.push_back(n < 0 ? std::string("n") : std::to_string(n));
        throw Error(fmt::format("{}: tensor '{}' has shape {}, expected [{}]", file_.source(), info.name,
                                shapeText(info.shape), fmt::join(wanted, ", ")),
                    ErrorKind::ModelDataInvalid);
    }
    if (!isComputableWeightType(info.type))
        throw Error(fmt::format("{}: tensor '{}' is stored as {}, which this version cannot compute (F32, F16, BF16, "
                                "Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL and IQ4_XS run); "
                                "use a file quantized to one of those (for example Q4_K_M)",
                                file_.source(), info.name, gguf::tensorTypeName(info.type)),
                    ErrorKind::UnsupportedWeightType, std::string(gguf::tensorTypeName(info.type)));
    return loaded(info, use);
}

Tensor WeightLoader::matrix(const std::string& name, int64_t cols, int64_t rows, WeightUse use)
{
    return checked(find(name), {cols, rows}, use);
}

Tensor WeightLoader::matrices(const std::string& name, int64_t cols, int64_t rows, int64_t count, WeightUse use)
{
    return checked(find(name), {cols, rows, count}, use);
}

Tensor WeightLoader::vector(const std::string& name, int64_t n)
{
    const gguf::TensorInfo& info = find(name);
    if (info.shape.size() != 1 || int64_t(info.shape[0]) != n)
        throw Error(fmt::format("{}: tensor '{}' has shape {}, expected [{}]", file_.source(), name,
                                shapeText(info.shape), n),
                    ErrorKind::ModelDataInvalid);
    if (info.type != gguf::TensorType::F32)
        throw Error(fmt::format("{}: tensor '{}' is stored as {}, expected F32", file_.source(), name,
                                gguf::tensorTypeName(info.type)),
                    ErrorKind::ModelDataInvalid);
    return loaded(info, WeightUse::Lookup);
}

} // namespace latent
