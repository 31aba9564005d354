// The Vulkan backend's matrix products: a matrix-vector product per token for decoding
// (matmul.comp), tiled products through shared memory for prompts (matmul_tiled.comp), the x they
// read quantized once per submission (and, once a producer learns which forms its output is read in,
// by RMSNorm or SwiGLU as they write it), and the mixture of experts' products per (token, expert)
// pair or grouped by expert.

#include "engine/vulkan/vulkan_backend.h"

#include "engine/vulkan/dispatch_helpers.h"
#include "engine/vulkan/quantized_activations.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace latent::vulkan {
namespace {

using gguf::TensorType;

// A matrix product's tile: weight rows by tokens (one token: the matrix-vector product), the
// workgroup's invocations split evenly between the rows (matmul.comp).
constexpr uint32_t kTileTokens = 8;
// Prompts' products (matmul_tiled.comp): a workgroup's tile of weight rows by tokens, staged in
// shared memory once for the whole tile; from kTiledMinTokens tokens on, where it beats matmul.comp
// (measured on lavapipe, 2048 x 2048 Q4_0: even at 16 tokens, 1.75x at 32, 2x at 64).
constexpr uint32_t kTiledRows = 64;
constexpr uint32_t kTiledTokens = 32;
constexpr uint32_t kTiledGroup = kTiledRows * kTiledTokens / 16; // a 4 x 4 register tile each
constexpr int64_t kTiledMinTokens = 16;
// The most experts moe_group.comp groups (its shared memory holds a word per expert); DeepSeek-V3
// has 256.
constexpr int64_t kMaxGroupedExperts = 1024;

// The blocks a product quantizes x in for a weight type (quantized_activations.h): Q8_0's 32 for
// the 32-value types, Q8_K's 256 for K-quants and IQ4_XS; 0 for the float types, which read F32 x.
uint32_t activationBlockValues(TensorType type)
{
    const uint32_t values = gguf::tensorTypeTraits(type).blockValues;
    return values == 1 ? 0 : values == 256 ? 256 : 32;
}

// A quantized form's bit in QUANTIZED_FORMS (rms_norm.comp, elementwise.comp): 1 Q8_0, 2 Q8_K.
uint32_t formBit(uint32_t blockValues)
{
    return blockValues == 256 ? 2 : 1;
}

// Weight rows per workgroup of a product of `tokens` tokens a tile. A float row takes 32
// invocations, the CPU's 32 running sums (float_sums.h); a quantized row 8 for one token (each
// reads its blocks once: more rows per workgroup share x's loads) or 16 for a tile of tokens, fewer
// where a row has fewer blocks (a K-quant row of 256 values is one block), each taking whole blocks.
uint32_t tileRows(TensorType type, int64_t cols, uint32_t tokens)
{
    const uint64_t blocks = uint64_t(cols) / gguf::tensorTypeTraits(type).blockValues;
    uint32_t lanes = activationBlockValues(type) == 0 ? 32 : tokens == 1 ? 8 : 16;
    while (lanes > 1 && lanes > blocks)
        lanes /= 2;
    return kReduceGroup / lanes;
}

[[noreturn]] void notDecoded(gguf::TensorType type)
{
    throw Error(fmt::format("vulkan: the shaders do not decode {} weights: use --backend cpu",
                            gguf::tensorTypeName(type)));
}

} // namespace

void VulkanBackend::matmul(Tensor& out, const Tensor& weight, const Tensor& x)
{
    require(matmulArgumentsFit(out, weight, x), "matmul", "shapes do not match");
    if (!decodedOnVulkan(weight.type))
        notDecoded(weight.type);
    // A batch of many tokens through the tiled product; one or a few tokens, a group of
    // invocations per weight row.
    const bool tiled = x.rows >= kTiledMinTokens;
    const uint32_t tokens = tiled ? kTiledTokens : x.rows == 1 ? 1 : kTileTokens;
    const uint32_t rowsPerGroup = tiled ? kTiledRows : tileRows(weight.type, weight.cols, tokens);
    const ComputePipeline& pipeline =
        pipelines_.get(tiled ? "matmul_tiled" : "matmul", 3, 9 * sizeof(uint32_t),
                       {tiled ? kTiledGroup : kReduceGroup, uint32_t(weight.type), rowsPerGroup, tokens});
    require((x.rows + tokens - 1) / tokens <= kMaxGroups, "matmul", "too many tokens in one batch");
    const ProductInput in = productInput(activation(x), x.cols, x.rows, x.cols, weight.type);
    const BufferSlice y = activation(out);
    forEachPart(weight, [&](BufferSlice part, int64_t firstRow, int64_t rows) {
        const uint32_t push[] = {uint32_t(weight.cols), uint32_t(rows),      uint32_t(x.rows),
                                 uint32_t(part.offset), floatsAt(in.slice),  in.blocks,
                                 floatsAt(y),           uint32_t(out.cols),  uint32_t(firstRow)};
        recorder_.dispatch(pipeline, {part.buffer, in.slice.buffer, y.buffer}, push, sizeof push,
                           groupsFor(uint64_t(rows), rowsPerGroup), uint32_t((x.rows + tokens - 1) / tokens));
    });
}

VulkanBackend::ProductInput VulkanBackend::productInput(BufferSlice x, int64_t cols, int64_t rows, int64_t xStride,
                                                       gguf::TensorType weightType)
{
    if (!decodedOnVulkan(weightType))
        notDecoded(weightType);
    const uint32_t blockValues = activationBlockValues(weightType);
    if (blockValues == 0)
        return {x, uint32_t(xStride), 0};
    require(cols % blockValues == 0, "matmul", "a quantized matrix's rows are not whole blocks");
    std::map<QuantizedFormKey, QuantizedForm>& made = quantizedForms();
    const QuantizedFormKey key{x.buffer->id(), x.offset, cols, rows, xStride, blockValues};
    const uint64_t written = recorder_.lastWrite(*x.buffer);
    if (const auto found = made.find(key); found != made.end() && found->second.written == written) {
        if (found->second.input)
            return *found->second.input;
        formsWanted_[found->second.producer] |= formBit(blockValues); // its producer makes it from now on
    }
    const QuantizedActivationsLayout layout{blockValues, uint64_t(rows * (cols / blockValues))};
    const BufferSlice quantized{scratchBuffer(layout.bytes()), 0};
    const uint32_t push[] = {uint32_t(cols), uint32_t(rows), floatsAt(x), uint32_t(xStride), 0};
    recorder_.dispatch(pipelines_.get("quantize_activations", 2, sizeof push, {kReduceGroup, uint32_t(blockValues == 256)}),
                       {x.buffer, quantized.buffer}, push, sizeof push, groupsFor(layout.blocks, kReduceGroup));
    const ProductInput input{quantized, 0, uint32_t(layout.blocks)};
    made[key] = {written, input, {}};
    return input;
}

std::map<VulkanBackend::QuantizedFormKey, VulkanBackend::QuantizedForm>& VulkanBackend::quantizedForms()
{
    if (quantizedFormsSubmission_ != recorder_.submissions()) { // their scratch buffers are gone
        quantizedForms_.clear();
        quantizedFormsSubmission_ = recorder_.submissions();
    }
    return quantizedForms_;
}

VulkanBackend::ProducedForms VulkanBackend::producedForms(const FormsProducer& producer)
{
    const auto wanted = formsWanted_.find(producer);
    ProducedForms forms;
    forms.bits = wanted == formsWanted_.end() ? 0 : wanted->second;
    if (forms.bits == 0)
        return forms;
    const uint64_t values = uint64_t(producer.cols * producer.rows);
    const QuantizedActivationsLayout q8_0{32, forms.bits & 1 ? values / 32 : 0}, q8K{256, forms.bits & 2 ? values / 256 : 0};
    forms.buffer = scratchBuffer(q8_0.bytes() + q8K.bytes());
    forms.q8KWord = uint32_t(q8_0.bytes() / 4);
    return forms;
}

void VulkanBackend::rememberForms(BufferSlice y, const FormsProducer& producer, const ProducedForms& forms)
{
    std::map<QuantizedFormKey, QuantizedForm>& made = quantizedForms();
    const uint64_t written = recorder_.lastWrite(*y.buffer);
    for (const uint32_t blockValues : {32u, 256u}) {
        if (producer.cols % blockValues != 0)
            continue;
        std::optional<ProductInput> input;
        if (forms.bits & formBit(blockValues)) {
            const uint32_t word = blockValues == 256 ? forms.q8KWord : forms.q8_0Word;
            input = ProductInput{{forms.buffer, uint64_t(word) * 4}, 0,
                                 uint32_t(producer.rows * (producer.cols / blockValues))};
        }
        made[{y.buffer->id(), y.offset, producer.cols, producer.rows, producer.cols, blockValues}] = {written, input,
                                                                                                      producer};
    }
}

VulkanBackend::ExpertGroups VulkanBackend::groupByExpert(BufferSlice ids, int64_t pairs, int64_t experts)
{
    // An expert's pairs fill whole tiles but for its last.
    const uint64_t tiles = (uint64_t(pairs) + kTiledTokens - 1) / kTiledTokens + uint64_t(std::min(pairs, experts));
    require(tiles <= kMaxGroups, "moe", "too many tokens in one batch");
    const ExpertGroups groups{scratchBuffer((4 * tiles + uint64_t(pairs)) * sizeof(uint32_t)), uint32_t(tiles),
                              uint32_t(4 * tiles)};
    const uint32_t push[] = {uint32_t(pairs), uint32_t(ids.offset / 4), groups.tiles, groups.orderWord};
    recorder_.dispatch(pipelines_.get("moe_group", 2, sizeof push, {kElementGroup, uint32_t(experts), kTiledTokens}),
                       {ids.buffer, groups.buffer}, push, sizeof push, 1);
    return groups;
}

void VulkanBackend::groupedExpertMatmul(BufferSlice y, const Tensor& stack, int64_t matrixRows, const ProductInput& x,
                                        int64_t pairsPerXRow, const ExpertGroups& groups, int64_t pairs)
{
    require(stack.rows % matrixRows == 0 && (x.xStride == 0 || x.xStride == stack.cols), "matmul_experts_tiled",
            "shapes do not match");
    const ComputePipeline& pipeline = pipelines_.get("matmul_experts_tiled", 4, 12 * sizeof(uint32_t),
                                                     {kTiledGroup, uint32_t(stack.type), kTiledRows, kTiledTokens});
    forEachPart(stack, [&](BufferSlice part, int64_t firstRow, int64_t rows) {
        const uint32_t push[] = {uint32_t(stack.cols),  uint32_t(rows),         uint32_t(pairs),
                                 uint32_t(part.offset), floatsAt(x.slice),      x.blocks,
                                 floatsAt(y),           uint32_t(matrixRows),   uint32_t(firstRow),
                                 uint32_t(matrixRows),  uint32_t(pairsPerXRow), groups.orderWord};
        recorder_.dispatch(pipeline, {part.buffer, x.slice.buffer, y.buffer, groups.buffer}, push, sizeof push,
                           groupsFor(uint64_t(matrixRows), kTiledRows), groups.tiles);
    });
}

void VulkanBackend::expertMatmul(BufferSlice y, const Tensor& stack, int64_t matrixRows, const ProductInput& x,
                                 int64_t pairsPerXRow, BufferSlice ids, int64_t pairs)
{
    require(pairs <= kMaxGroups && stack.rows % matrixRows == 0, "matmul_experts", "shapes do not match");
    const uint32_t rowsPerGroup = tileRows(stack.type, stack.cols, 1);
    const ComputePipeline& pipeline = pipelines_.get("matmul_experts", 4, 13 * sizeof(uint32_t),
                                                     {kReduceGroup, uint32_t(stack.type), rowsPerGroup, 1});
    forEachPart(stack, [&](BufferSlice part, int64_t firstRow, int64_t rows) {
        const uint32_t push[] = {uint32_t(stack.cols),  uint32_t(rows),         uint32_t(pairs),
                                 uint32_t(part.offset), floatsAt(x.slice),      x.blocks,
                                 floatsAt(y),           uint32_t(matrixRows),   uint32_t(firstRow),
                                 uint32_t(ids.offset / 4), uint32_t(matrixRows), uint32_t(pairsPerXRow),
                                 x.xStride};
        recorder_.dispatch(pipeline, {part.buffer, x.slice.buffer, y.buffer, ids.buffer}, push, sizeof push,
                           groupsFor(uint64_t(matrixRows), rowsPerGroup), uint32_t(pairs));
    });
}

void VulkanBackend::moe(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                        const Tensor& weights)
{
    require(moeArgumentsFit(out, x, experts, ids, weights), "moe", "shapes do not match");
    if (x.rows == 0)
        return;
    // One row per (token, chosen expert) pair: its expert's gate and up, then down, each picked
    // from the layer's stack by the id route() left on the device.
    const int64_t width = experts.feedForward(), used = ids.cols, pairs = x.rows * used;
    Tensor gate = workspace(TensorType::F32, width, pairs), up = workspace(TensorType::F32, width, pairs),
           down = workspace(TensorType::F32, out.cols, pairs);
    const BufferSlice chosen = activation(ids), in = activation(x);
    // A batch's pairs grouped by expert, so that an expert's rows are read once per tile of its
    // tokens; a few tokens' pairs read their expert's rows each (matmul_experts).
    const std::optional<ExpertGroups> groups =
        x.rows >= kTiledMinTokens && experts.count <= kMaxGroupedExperts
            ? std::optional(groupByExpert(chosen, pairs, experts.count))
            : std::nullopt;
    const auto product = [&](BufferSlice y, const Tensor& stack, int64_t matrixRows, const ProductInput& input,
                             int64_t pairsPerXRow) {
        if (groups)
            groupedExpertMatmul(y, stack, matrixRows, input, pairsPerXRow, *groups, pairs);
        else
            expertMatmul(y, stack, matrixRows, input, pairsPerXRow, chosen, pairs);
    };
    const ProductInput gateInput = productInput(in, x.cols, x.rows, x.cols, experts.gate.type);
    const ProductInput upInput = productInput(in, x.cols, x.rows, x.cols, experts.up.type); // gate's form, if the same
    product(activation(gate), experts.gate, width, gateInput, used);
    product(activation(up), experts.up, width, upInput, used);
    swiglu(gate, gate, up);
    const BufferSlice expertOutputs = activation(down), w = activation(weights), y = activation(out);
    product(expertOutputs, experts.down, out.cols, productInput(activation(gate), width, pairs, width, experts.down.type),
            1);
    const uint32_t push[] = {uint32_t(out.cols), uint32_t(used), floatsAt(expertOutputs), floatsAt(w), floatsAt(y)};
    recorder_.dispatch(pipelines_.get("moe_combine", 3, sizeof push, {kElementGroup}),
                       {expertOutputs.buffer, w.buffer, y.buffer}, push, sizeof push,
                       groupsFor(uint64_t(out.cols), kElementGroup), uint32_t(x.rows));
}

} // namespace latent::vulkan
