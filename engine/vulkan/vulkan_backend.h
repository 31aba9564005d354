#pragma once

#include "engine/backend/backend.h"
#include "engine/vulkan/command_recorder.h"

#include <compare>
#include <map>
#include <optional>

namespace latent::vulkan {

struct VulkanBackendOptions {
    std::optional<uint32_t> device; // unset: LATENT_VULKAN_DEVICE, else the best (see chooseDevice)
    // Largest buffer a weight is put in (0: the device's maxStorageBufferRange); larger weights are
    // split by rows. Tests set it small to run the split path. Activations always fit one buffer.
    uint64_t maxBufferBytes = 0;
    bool subgroups = true; // use subgroup arithmetic where the device has it (false: shared memory)
    // The most keys one workgroup of attention walks alone (0: the backend's choice, which splits
    // the keys only where a dispatch has too few workgroups for the device). Tests set it small to
    // run the split passes on short contexts.
    uint32_t attentionSplitKeys = 0;
    // Submit again the command buffer of an earlier submission with the same commands (a decoding
    // step's; see CommandRecorder); false records every submission afresh (tests compare the two).
    bool replaySubmissions = true;
};

// Why a model file cannot run on the Vulkan backend (an architecture other than llama and deepseek2,
// or a weight type the shaders do not decode), naming the architecture or tensor; empty when it can.
std::string unsupportedOnVulkan(const gguf::GgufFile& file);

// The Vulkan backend: weights uploaded once to device memory in their stored form, operations
// recorded into one command buffer and submitted by synchronize().
class VulkanBackend final : public Backend {
public:
    explicit VulkanBackend(const VulkanBackendOptions& options = {});
    ~VulkanBackend() override;

    std::string name() const override;
    size_t threads() const override { return 1; }
    const DeviceDescription& device() const { return device_->description(); }
    // Device memory this process may still use (see VulkanDevice::deviceLocalBudget).
    uint64_t freeDeviceMemory() const { return device_->deviceLocalBudget(); }
    // Submissions that reused an earlier one's command buffer (CommandRecorder::replays).
    uint64_t replayedSubmissions() const { return recorder_.replays(); }

    Tensor weight(const gguf::GgufFile& file, const gguf::TensorInfo& info, WeightUse use) override;
    Tensor allocate(gguf::TensorType type, int64_t cols, int64_t rows) override;
    void upload(Tensor& tensor, std::span<const float> values) override;

    void getRows(Tensor& out, const Tensor& table, std::span<const int32_t> ids) override;
    void rmsNorm(Tensor& out, const Tensor& x, const Tensor& weight, float eps) override;
    void matmul(Tensor& out, const Tensor& weight, const Tensor& x) override;
    void rope(Tensor& x, std::span<const int32_t> positions, const RopeParams& params) override;
    void store(Tensor& cache, const Tensor& x, int64_t firstPosition) override;
    void attention(Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                   const AttentionParams& params) override;
    void mlaAttention(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys, const Tensor& keyUp,
                      const Tensor& valueUp, const MlaParams& params) override;
    void route(Tensor& ids, Tensor& weights, const Tensor& logits, const Tensor* bias,
               const MoeRouting& routing) override;
    void moe(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
             const Tensor& weights) override;
    void swiglu(Tensor& out, const Tensor& gate, const Tensor& up) override;
    void add(Tensor& out, const Tensor& a, const Tensor& b) override;
    void addAndNorm(Tensor& x, const Tensor& addend, Tensor& out, const Tensor& weight, float eps) override;
    void ropeAndStore(Tensor& cache, Tensor& x, std::span<const int32_t> positions, const RopeParams& params,
                      int64_t firstPosition) override;

    void synchronize() override;
    void read(const Tensor& tensor, std::span<float> values) override;

    void beginOperation(const std::string& kind) override { recorder_.beginOperation(kind); }
    void endOperation() override { recorder_.endOperation(); }
    OperationProfile takeDeviceProfile() override { return recorder_.takeDeviceProfile(); }
    // Commands recorded in the submission being recorded (tests count what fused dispatches save).
    uint64_t commandsRecorded() const { return recorder_.commandsRecorded(); }

private:
    // Where row `row` of an activation (a tensor in one buffer) starts; the recorder keeps its
    // storage alive until the commands have run.
    BufferSlice activation(const Tensor& tensor, int64_t row = 0);
    // The tensor's rows part by part: fn(slice of the part's first row of the view, first view row, rows).
    template <typename Fn>
    void forEachPart(const Tensor& tensor, Fn fn);
    BufferSlice hostData(const void* data, uint64_t bytes);
    // A position the shaders read from a host-written word (its slice), not from push constants, so
    // that the commands of a decoding step stay the same from one step to the next.
    BufferSlice positionWord(int64_t position);
    void elementwise(uint32_t operation, Tensor& out, const Tensor& a, const Tensor& b);
    // rmsNorm(), and with an addend addAndNorm() (rms_norm.comp, rms_norm_add).
    void norm(Tensor& out, const Tensor& x, const Tensor& weight, float eps, const Tensor* addend);
    // store(), and with RoPE's parameters ropeAndStore() (store.comp, store_rotated).
    void storeRows(Tensor& cache, const Tensor& x, int64_t firstPosition, const RopeParams* rope,
                   std::span<const int32_t> positions);
    // A product's x as the products (matmul.comp, matmul_tiled.comp) read it: for a float weight
    // type the F32 rows themselves; for the others quantized once, to Q8_0 or Q8_K as the type
    // wants (quantized_activations.h).
    struct ProductInput {
        BufferSlice slice;
        uint32_t xStride = 0; // floats from one F32 row to the next
        uint32_t blocks = 0;  // blocks of the quantized form (0 for F32 rows)
    };
    // x's rows (cols values each, xStride floats apart) as products with weightType read them: a
    // quantized form made once per submission while x's buffer is not written again (quantizedForms_).
    ProductInput productInput(BufferSlice x, int64_t cols, int64_t rows, int64_t xStride, gguf::TensorType weightType);

    // A dispatch that writes products' x and can write its quantized forms beside it: rmsNorm (by
    // its weight's buffer) or swiglu (0), at a shape.
    struct FormsProducer {
        uint64_t weightBuffer = 0;
        int64_t cols = 0, rows = 0;
        auto operator<=>(const FormsProducer&) const = default;
    };
    // Which form of which x: x's buffer id, offset, shape and the form's block size.
    struct QuantizedFormKey {
        uint64_t buffer = 0, offset = 0;
        int64_t cols = 0, rows = 0, xStride = 0;
        uint32_t blockValues = 0;
        auto operator<=>(const QuantizedFormKey&) const = default;
    };
    struct QuantizedForm {
        uint64_t written = 0;               // recorder_.lastWrite(x's buffer) when made
        std::optional<ProductInput> input;  // unset: x's producer left this form to the products
        FormsProducer producer;
    };
    // Where a producer writes its forms: one scratch buffer, Q8_0's form and Q8_K's at these words.
    struct ProducedForms {
        uint32_t bits = 0; // bit 0: Q8_0, bit 1: Q8_K (the shaders' QUANTIZED_FORMS)
        const Buffer* buffer = nullptr;
        uint32_t q8_0Word = 0, q8KWord = 0;
    };
    // The map of forms made in this submission (emptied when a new one began).
    std::map<QuantizedFormKey, QuantizedForm>& quantizedForms();
    // The forms products read of producer's output y last time (none the first time: they quantize
    // it themselves, and so the producer learns), with room for them.
    ProducedForms producedForms(const FormsProducer& producer);
    // After the producer's dispatch: its output's forms, made or left to the products, for productInput.
    void rememberForms(BufferSlice y, const FormsProducer& producer, const ProducedForms& forms);
    // A batch's (token, chosen expert) pairs grouped by expert (moe_group.comp): tiles of up to
    // kTiledTokens pairs of one expert, and the pairs in expert order, for groupedExpertMatmul.
    struct ExpertGroups {
        const Buffer* buffer = nullptr;
        uint32_t tiles = 0;     // the most the batch can need; those past the last hold no pairs
        uint32_t orderWord = 0; // where the order of the pairs starts in buffer
    };
    ExpertGroups groupByExpert(BufferSlice ids, int64_t pairs, int64_t experts);
    // expertMatmul for batches: each tile of an expert's pairs times the expert's matrix
    // (matmul_tiled.comp as matmul_experts_tiled), the weights read once per tile, not per pair.
    void groupedExpertMatmul(BufferSlice y, const Tensor& stack, int64_t matrixRows, const ProductInput& x,
                             int64_t pairsPerXRow, const ExpertGroups& groups, int64_t pairs);
    // y row p = matrix ids[p] of stack (matrices of matrixRows rows) times x row p / pairsPerXRow,
    // for pairs rows (matmul_experts).
    void expertMatmul(BufferSlice y, const Tensor& stack, int64_t matrixRows, const ProductInput& x,
                      int64_t pairsPerXRow, BufferSlice ids, int64_t pairs);
    void checkBudget(const gguf::GgufFile& file);
    // Uncleared device memory for a result written in full before anything reads it (moe's and MLA's
    // intermediates), unlike allocate(), which zero-fills: a fill and a barrier fewer on the hot path.
    Tensor workspace(gguf::TensorType type, int64_t cols, int64_t rows);
    // A workspace of `bytes`, kept alive until the commands being recorded have run (quantized
    // activations, attention's split passes).
    const Buffer* scratchBuffer(uint64_t bytes);

    // The cosines and sines of the last rope() of this submission: every layer rotates by the same
    // angles (queries and keys alike), so a pass computes and uploads them once.
    struct Rotations {
        std::vector<int32_t> positions;
        RopeParams params;
        BufferSlice table;
        uint64_t submission = ~uint64_t(0);
    };
    // rope()'s table of positions' rotations (nullptr where none rotate).
    const BufferSlice* rotationsTable(std::span<const int32_t> positions, const RopeParams& params);

    std::shared_ptr<VulkanInstance> instance_;
    std::shared_ptr<VulkanDevice> device_;
    uint64_t maxBufferBytes_;
    uint32_t attentionSplitKeys_; // VulkanBackendOptions::attentionSplitKeys
    ComputePipelines pipelines_;
    std::shared_ptr<BufferPool> pool_;
    CommandRecorder recorder_;
    bool budgetChecked_ = false;
    Rotations rotations_;
    std::map<QuantizedFormKey, QuantizedForm> quantizedForms_;
    uint64_t quantizedFormsSubmission_ = 0; // recorder_.submissions() when quantizedForms_ was filled
    std::map<FormsProducer, uint32_t> formsWanted_; // the forms' bits products read of its output
};

} // namespace latent::vulkan
