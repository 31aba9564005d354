// Writes the GGUF reader fuzzer's seed corpus into the folder given as the only argument.

#include "engine/gguf/gguf_format.h"
#include "engine/gguf/gguf_writer.h"

#include <fmt/format.h>

#include <filesystem>
#include <vector>

using namespace latent::gguf;

int main(int argc, char** argv)
{
    if (argc != 2) {
        fmt::print(stderr, "usage: gguf_fuzz_seeds FOLDER\n");
        return 2;
    }
    const std::filesystem::path folder = argv[1];
    std::filesystem::create_directories(folder);

    const std::vector<uint8_t> bytes(8192, 0x5A); // enough for every tensor below
    auto data = [&](TensorType type, uint64_t values) {
        const TensorTypeTraits& traits = tensorTypeTraits(type);
        return std::span<const uint8_t>(bytes.data(), values / traits.blockValues * traits.blockBytes);
    };

    GgufWriter everyValue;
    Metadata& meta = everyValue.metadata();
    meta.set("general.architecture", std::string("llama"));
    meta.set("u8", uint8_t{1});
    meta.set("i8", int8_t{-1});
    meta.set("u16", uint16_t{2});
    meta.set("i16", int16_t{-2});
    meta.set("u32", uint32_t{3});
    meta.set("i32", int32_t{-3});
    meta.set("f32", 0.5f);
    meta.set("bool", true);
    meta.set("u64", uint64_t{4});
    meta.set("i64", int64_t{-4});
    meta.set("f64", 0.25);
    meta.set("tokens", Array{ValueType::String, {std::string("<s>"), std::string("Ġthe")}});
    meta.set("nested", Array{ValueType::Array, {Array{ValueType::Int32, {int32_t{1}}}}});
    everyValue.addTensor("token_embd.weight", TensorType::F32, {4, 2}, data(TensorType::F32, 8));
    everyValue.write(folder / "every_value.gguf");

    GgufWriter quantized;
    quantized.metadata().set("general.architecture", std::string("deepseek2"));
    quantized.metadata().set(kAlignmentKey, uint32_t{64});
    quantized.addTensor("q8", TensorType::Q8_0, {64, 2}, data(TensorType::Q8_0, 128));
    quantized.addTensor("q4k", TensorType::Q4_K, {256}, data(TensorType::Q4_K, 256));
    quantized.addTensor("q6k", TensorType::Q6_K, {256, 1, 2}, data(TensorType::Q6_K, 512));
    quantized.addTensor("f16", TensorType::F16, {3, 1, 1, 2}, data(TensorType::F16, 6));
    quantized.write(folder / "quantized.gguf");

    GgufWriter empty;
    empty.write(folder / "empty.gguf");
    return 0;
}
