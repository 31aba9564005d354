#include "engine/quant/quant_mix.h"

#include "engine/core/error.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace latent::quant {
namespace {

using gguf::TensorInfo;
using gguf::TensorType;

constexpr QuantMixInfo kMixes[] = {
    {QuantMix::F32, "F32", TensorType::F32},       {QuantMix::F16, "F16", TensorType::F16},
    {QuantMix::BF16, "BF16", TensorType::BF16},    {QuantMix::Q8_0, "Q8_0", TensorType::Q8_0},
    {QuantMix::Q4_0, "Q4_0", TensorType::Q4_0},    {QuantMix::Q4_1, "Q4_1", TensorType::Q4_1},
    {QuantMix::Q5_0, "Q5_0", TensorType::Q5_0},    {QuantMix::Q5_1, "Q5_1", TensorType::Q5_1},
    {QuantMix::Q2_K, "Q2_K", TensorType::Q2_K},    {QuantMix::Q3_K_S, "Q3_K_S", TensorType::Q3_K},
    {QuantMix::Q3_K_M, "Q3_K_M", TensorType::Q3_K}, {QuantMix::Q3_K_L, "Q3_K_L", TensorType::Q3_K},
    {QuantMix::Q4_K_S, "Q4_K_S", TensorType::Q4_K}, {QuantMix::Q4_K_M, "Q4_K_M", TensorType::Q4_K},
    {QuantMix::Q5_K_S, "Q5_K_S", TensorType::Q5_K}, {QuantMix::Q5_K_M, "Q5_K_M", TensorType::Q5_K},
    {QuantMix::Q6_K, "Q6_K", TensorType::Q6_K},    {QuantMix::IQ4_NL, "IQ4_NL", TensorType::IQ4_NL},
    {QuantMix::IQ4_XS, "IQ4_XS", TensorType::IQ4_XS},
};

struct MixAlias {
    std::string_view name;
    QuantMix mix;
};
constexpr MixAlias kAliases[] = {
    {"Q3_K", QuantMix::Q3_K_M},
    {"Q4_K", QuantMix::Q4_K_M},
    {"Q5_K", QuantMix::Q5_K_M},
};

// The parts of a network the rules tell apart.
enum class Role {
    Output,          // output.weight, and token_embd.weight where the model ties the two
    AttentionValue,  // attn_v, and attn_kv_b (the values of deepseek2's older files with the keys)
    AttentionKey,    // attn_k
    AttentionOutput, // attn_output
    FeedForwardDown, // ffn_down, ffn_down_exps, ffn_down_shexp
    Other,           // everything else: attn_q, attn_q_a/b, attn_kv_a_mqa, attn_k_b, attn_v_b, ffn_gate/up*, token_embd
};

// A tensor's place among its kind, which some rules depend on: for ffn_down its block out of the
// model's blocks; for the attention-value tensors its index in block order out of their number.
struct Place {
    int64_t index = 0;
    int64_t count = 0;
};

// What the rules read from the model.
struct ModelFacts {
    std::string architecture;
    uint32_t blockCount = 0;
    uint32_t expertCount = 0;
    uint32_t headCount = 0;
    uint32_t keyValueHeadCount = 0;
    bool tiedOutput = false; // no output.weight: token_embd.weight is the output head too
};

enum class When {
    Always,
    MoreBitsPlace, // the first and last eighths of the places, and every third place between them
    FirstEighth,
    FirstSixteenth,
    FirstTwo,
    FirstFour,
    // The rules spend bits on attention in models of exactly 8 experts (they were tuned on Mixtral;
    // llama.cpp applies them to any such model, the small DeepSeek fixtures included).
    EightExperts,
    NotEightExperts,
    GroupedQueryFour, // 4 or more query heads share each key/value head
    Llama70B,         // llama.cpp's 70B size class: 80 llama blocks with grouped queries
    RowsNotInBaseBlocks,
};

struct Rule {
    Role role;
    std::vector<QuantMix> mixes; // empty: every mix whose base type is quantized
    When when;
    TensorType type;
};

// llama.cpp's per-tensor choices for the mixes above. The first rule that matches a tensor's role,
// its mix and its condition gives its type; a tensor no rule matches gets the mix's base type.
const std::vector<Rule> kRules = {
    // The output head: the most sensitive matrix, Q6_K unless the mix is Q8_0 already.
    {Role::Output, {}, When::RowsNotInBaseBlocks, TensorType::Q8_0},
    {Role::Output, {QuantMix::Q8_0}, When::Always, TensorType::Q8_0},
    {Role::Output, {}, When::Always, TensorType::Q6_K},

    {Role::AttentionValue, {}, When::EightExperts, TensorType::Q8_0},
    {Role::AttentionValue, {QuantMix::Q4_K_M, QuantMix::Q5_K_M}, When::MoreBitsPlace, TensorType::Q6_K},
    // A 70B model's grouped attn_v is 8x smaller than its attn_q: more bits cost little there.
    {Role::AttentionValue, {QuantMix::Q2_K, QuantMix::Q3_K_S, QuantMix::Q3_K_M, QuantMix::Q4_K_S, QuantMix::Q4_K_M},
     When::Llama70B, TensorType::Q5_K},
    {Role::AttentionValue, {QuantMix::Q2_K}, When::GroupedQueryFour, TensorType::Q4_K},
    {Role::AttentionValue, {QuantMix::Q2_K}, When::Always, TensorType::Q3_K},
    {Role::AttentionValue, {QuantMix::Q3_K_M}, When::FirstTwo, TensorType::Q5_K},
    {Role::AttentionValue, {QuantMix::Q3_K_M}, When::Always, TensorType::Q4_K},
    {Role::AttentionValue, {QuantMix::Q3_K_L}, When::Always, TensorType::Q5_K},
    {Role::AttentionValue, {QuantMix::IQ4_NL, QuantMix::IQ4_XS}, When::GroupedQueryFour, TensorType::Q5_K},
    {Role::AttentionValue, {QuantMix::Q4_K_S}, When::FirstFour, TensorType::Q5_K},

    {Role::AttentionKey, {}, When::EightExperts, TensorType::Q8_0},

    {Role::AttentionOutput,
     {QuantMix::Q2_K, QuantMix::Q3_K_S, QuantMix::Q3_K_M, QuantMix::Q4_K_S, QuantMix::Q4_K_M, QuantMix::IQ4_NL,
      QuantMix::IQ4_XS},
     When::EightExperts, TensorType::Q5_K},
    {Role::AttentionOutput, {QuantMix::Q2_K}, When::NotEightExperts, TensorType::Q3_K},
    {Role::AttentionOutput, {QuantMix::Q3_K_M}, When::NotEightExperts, TensorType::Q4_K},
    {Role::AttentionOutput, {QuantMix::Q3_K_L}, When::NotEightExperts, TensorType::Q5_K},

    {Role::FeedForwardDown, {QuantMix::Q2_K}, When::Always, TensorType::Q3_K},
    {Role::FeedForwardDown, {QuantMix::Q3_K_M}, When::FirstSixteenth, TensorType::Q5_K},
    {Role::FeedForwardDown, {QuantMix::Q3_K_M}, When::Always, TensorType::Q4_K},
    {Role::FeedForwardDown, {QuantMix::Q3_K_L}, When::Always, TensorType::Q5_K},
    {Role::FeedForwardDown, {QuantMix::Q4_K_M, QuantMix::Q5_K_M}, When::MoreBitsPlace, TensorType::Q6_K},
    {Role::FeedForwardDown, {QuantMix::Q4_K_S, QuantMix::IQ4_NL, QuantMix::IQ4_XS}, When::FirstEighth,
     TensorType::Q5_K},
};

struct Fallback {
    TensorType from;
    TensorType to;
};
// The super-block types hold 256 values; rows they do not divide (DeepSeek's 128-wide attn_k_b,
// V2-Lite's 1408-wide expert ffn_down) take the nearest type of 32-value blocks instead.
constexpr Fallback kFallbacks[] = {
    {TensorType::Q2_K, TensorType::Q4_0}, {TensorType::Q3_K, TensorType::Q4_0},
    {TensorType::Q4_K, TensorType::Q5_0}, {TensorType::Q5_K, TensorType::Q5_1},
    {TensorType::Q6_K, TensorType::Q8_0}, {TensorType::IQ4_XS, TensorType::IQ4_NL},
};

uint32_t blockValues(TensorType type)
{
    return gguf::tensorTypeTraits(type).blockValues;
}

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

std::string upperCase(std::string_view text)
{
    std::string upper(text);
    std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return upper;
}

ModelFacts readModelFacts(const gguf::GgufFile& file)
{
    ModelFacts model;
    model.architecture = file.architecture();
    if (model.architecture != "llama" && model.architecture != "deepseek2")
        throw Error(fmt::format("{}: the architecture is '{}'; quantizing knows the rules of llama and deepseek2",
                                file.source(), model.architecture));
    const gguf::Metadata& metadata = file.metadata();
    const std::string prefix = model.architecture + ".";
    model.blockCount = metadata.getInteger<uint32_t>(prefix + "block_count");
    model.expertCount = metadata.getIntegerOptional<uint32_t>(prefix + "expert_count").value_or(0);
    model.headCount = metadata.getInteger<uint32_t>(prefix + "attention.head_count");
    model.keyValueHeadCount =
        metadata.getIntegerOptional<uint32_t>(prefix + "attention.head_count_kv").value_or(model.headCount);
    model.tiedOutput = file.findTensor("output.weight") == nullptr;
    return model;
}

// Vectors (norms, biases) and the MoE router stay as they are: they are small, and every value
// of them acts on every token. Dimensions of 1 at the end do not count.
bool isQuantizable(const TensorInfo& tensor)
{
    size_t dimensions = tensor.shape.size();
    while (dimensions > 1 && tensor.shape[dimensions - 1] == 1)
        --dimensions;
    const std::string_view name = tensor.name;
    return dimensions >= 2 && name.ends_with("weight") && !contains(name, "_norm.weight") &&
           !contains(name, "ffn_gate_inp.weight");
}

Role roleOf(std::string_view name, bool tiedOutput)
{
    if (name == "output.weight" || (tiedOutput && name == "token_embd.weight"))
        return Role::Output;
    if (contains(name, "attn_kv_b.weight") || contains(name, "attn_v.weight"))
        return Role::AttentionValue;
    if (contains(name, "attn_k.weight"))
        return Role::AttentionKey;
    if (contains(name, "attn_output.weight"))
        return Role::AttentionOutput;
    if (contains(name, "ffn_down"))
        return Role::FeedForwardDown;
    return Role::Other;
}

// The N of a "blk.N." name, or -1 for tensors outside the blocks.
int64_t blockOf(std::string_view name)
{
    if (!name.starts_with("blk."))
        return -1;
    int64_t block = -1;
    const char* nameEnd = name.data() + name.size();
    const auto [end, error] = std::from_chars(name.data() + 4, nameEnd, block);
    return error == std::errc() && end != nameEnd && *end == '.' ? block : -1;
}

std::vector<Place> placesOf(const std::vector<TensorInfo>& tensors, const std::vector<Role>& roles,
                            const ModelFacts& model)
{
    std::vector<Place> places(tensors.size());
    std::vector<size_t> values;
    for (size_t t : quantizedTensorOrder(tensors)) {
        if (roles[t] == Role::AttentionValue)
            values.push_back(t);
        if (roles[t] == Role::FeedForwardDown) {
            const int64_t block = blockOf(tensors[t].name);
            if (block < 0 || block >= int64_t(model.blockCount))
                throw Error(fmt::format("tensor '{}': an ffn_down tensor outside the model's {} blocks",
                                        tensors[t].name, model.blockCount));
            places[t] = {block, model.blockCount};
        }
    }
    for (size_t i = 0; i < values.size(); ++i)
        places[values[i]] = {int64_t(i), int64_t(values.size())};
    return places;
}

bool holds(When when, const ModelFacts& model, Place place, uint64_t rowLength, TensorType baseType)
{
    const int64_t i = place.index, n = place.count;
    switch (when) {
    case When::Always: return true;
    case When::MoreBitsPlace: return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
    case When::FirstEighth: return i < n / 8;
    case When::FirstSixteenth: return i < n / 16;
    case When::FirstTwo: return i < 2;
    case When::FirstFour: return i < 4;
    case When::EightExperts: return model.expertCount == 8;
    case When::NotEightExperts: return model.expertCount != 8;
    case When::GroupedQueryFour:
        return model.keyValueHeadCount > 0 && model.headCount / model.keyValueHeadCount >= 4;
    case When::Llama70B:
        return model.architecture == "llama" && model.blockCount == 80 && model.headCount != model.keyValueHeadCount;
    case When::RowsNotInBaseBlocks: return rowLength % blockValues(baseType) != 0;
    }
    return false;
}

TensorType ruleType(QuantMix mix, TensorType baseType, Role role, const ModelFacts& model, Place place,
                    uint64_t rowLength)
{
    for (const Rule& rule : kRules) {
        if (rule.role == role && (rule.mixes.empty() || std::ranges::find(rule.mixes, mix) != rule.mixes.end()) &&
            holds(rule.when, model, place, rowLength, baseType))
            return rule.type;
    }
    return baseType;
}

TensorTypeChoice fitRows(TensorType chosen, uint64_t rowLength)
{
    if (rowLength % blockValues(chosen) == 0)
        return {chosen, std::nullopt};
    TensorType fallback = chosen;
    for (const Fallback& f : kFallbacks) {
        if (f.from == chosen)
            fallback = f.to;
    }
    // Rows that not even 32-value blocks divide are rare; only a plain type holds them.
    if (rowLength % blockValues(fallback) != 0)
        fallback = TensorType::F16;
    return {fallback, chosen};
}

} // namespace

std::span<const QuantMixInfo> quantMixes()
{
    return kMixes;
}

const QuantMixInfo& quantMixInfo(QuantMix mix)
{
    return *std::ranges::find(kMixes, mix, &QuantMixInfo::mix);
}

std::optional<QuantMix> quantMixFromName(std::string_view name)
{
    const std::string upper = upperCase(name);
    for (const QuantMixInfo& info : kMixes) {
        if (info.name == upper)
            return info.mix;
    }
    for (const MixAlias& alias : kAliases) {
        if (alias.name == upper)
            return alias.mix;
    }
    return std::nullopt;
}

std::string quantMixNames()
{
    std::vector<std::string_view> names;
    for (const QuantMixInfo& info : kMixes)
        names.push_back(info.name);
    std::vector<std::string_view> aliases;
    for (const MixAlias& alias : kAliases)
        aliases.push_back(alias.name);
    return fmt::format("{} ({}: the _M mixes)", fmt::join(names, ", "), fmt::join(aliases, ", "));
}

std::vector<size_t> quantizedTensorOrder(const std::vector<TensorInfo>& tensors)
{
    std::vector<size_t> order(tensors.size());
    for (size_t t = 0; t < order.size(); ++t)
        order[t] = t;
    std::ranges::sort(order, [&](size_t a, size_t b) {
        const int64_t blockA = blockOf(tensors[a].name), blockB = blockOf(tensors[b].name);
        return blockA != blockB ? blockA < blockB : tensors[a].name < tensors[b].name;
    });
    return order;
}

std::vector<TensorTypeChoice> chooseTensorTypes(const gguf::GgufFile& file, QuantMix mix, bool pure)
{
    const ModelFacts model = readModelFacts(file);
    const TensorType baseType = quantMixInfo(mix).baseType;
    const bool quantized = blockValues(baseType) > 1;
    const std::vector<TensorInfo>& tensors = file.tensors();
    std::vector<Role> roles;
    for (const TensorInfo& tensor : tensors)
        roles.push_back(roleOf(tensor.name, model.tiedOutput));
    const std::vector<Place> places = placesOf(tensors, roles, model);

    std::vector<TensorTypeChoice> choices;
    for (size_t t = 0; t < tensors.size(); ++t) {
        const TensorInfo& tensor = tensors[t];
        if (!isQuantizable(tensor))
            choices.push_back({tensor.type, std::nullopt});
        else if (!quantized)
            choices.push_back({baseType, std::nullopt});
        else if (pure)
            choices.push_back(fitRows(baseType, tensor.shape[0]));
        else
            choices.push_back(fitRows(ruleType(mix, baseType, roles[t], model, places[t], tensor.shape[0]),
                                      tensor.shape[0]));
    }
    return choices;
}

} // namespace latent::quant
