#include "engine/model/model.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/deepseek2_model.h"
#include "engine/model/llama_model.h"

#include <fmt/format.h>

#include <algorithm>

namespace latent {

std::vector<const Tensor*> KvCache::tensors() const
{
    std::vector<const Tensor*> all;
    std::visit(
        [&](const auto& list) {
            for (const auto& layer : list) {
                if constexpr (requires { layer.keys; })
                    all.insert(all.end(), {&layer.keys, &layer.values});
                else
                    all.insert(all.end(), {&layer.latent, &layer.ropeKey});
            }
        },
        layers);
    return all;
}

template <typename Layer>
std::vector<Layer>& KvCache::layersOf()
{
    auto* list = std::get_if<std::vector<Layer>>(&layers);
    if (!list)
        throw Error("the key/value cache was made for another architecture than the model it is used with");
    return *list;
}

template std::vector<KeyValueCache>& KvCache::layersOf<KeyValueCache>();
template std::vector<LatentCache>& KvCache::layersOf<LatentCache>();

std::unique_ptr<Model> Model::load(std::shared_ptr<const gguf::GgufFile> file, Backend& backend,
                                   const LoadProgress& progress)
{
    const std::string& architecture = file->architecture();
    if (architecture == "llama")
        return loadLlamaModel(std::move(file), backend, progress);
    if (architecture == "deepseek2")
        return loadDeepSeek2Model(std::move(file), backend, progress);
    throw Error(fmt::format("{}: architecture '{}' is not supported (llama and deepseek2 run)",
                            file->source(), architecture),
                ErrorKind::UnsupportedArchitecture, architecture);
}

std::optional<uint64_t> cacheBytesPerToken(const gguf::GgufFile& file)
{
    const auto architecture = file.metadata().getOptional<std::string>("general.architecture");
    if (architecture == "llama")
        return llamaCacheBytesPerToken(LlamaHyperParameters::read(file.metadata()));
    if (architecture == "deepseek2")
        return deepSeek2CacheBytesPerToken(DeepSeek2HyperParameters::read(file.metadata()));
    return std::nullopt;
}

uint64_t weightBytesPerToken(const gguf::GgufFile& file)
{
    const gguf::Metadata& meta = file.metadata();
    const std::string architecture = meta.getOptional<std::string>("general.architecture").value_or("");
    const auto experts = meta.getIntegerOptional<uint64_t>(architecture + ".expert_count").value_or(0);
    const auto used = meta.getIntegerOptional<uint64_t>(architecture + ".expert_used_count").value_or(0);
    uint64_t bytes = 0;
    for (const gguf::TensorInfo& tensor : file.tensors()) {
        if (tensor.name == "token_embd.weight")
            bytes += tensor.byteSize / std::max<uint64_t>(tensor.rowCount(), 1);
        else if (experts > 0 && tensor.name.ends_with("_exps.weight"))
            bytes += tensor.byteSize / experts * used;
        else
            bytes += tensor.byteSize;
    }
    return bytes;
}

} // namespace latent
