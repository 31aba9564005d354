// The engine's Windows code paths, checked without Qt (there is no Qt for MinGW to build the Qt Test
// suites with): tests/windows/run-under-wine.sh builds this with MinGW-w64 and runs it under wine.
//
//   engine_on_windows WORK_DIR PROMPT TOKENS SEED
//
// WORK_DIR holds "模型 ü/tiny.gguf", written by the Windows latent-cli's make-test-model. The checks:
// the file name with non-ASCII characters reaches the file system intact (mapped, read, and named
// in errors), processor features and physical cores are detected, the Vulkan loader's absence is an
// error that says so, and a generation on the CPU backend, printed on stdout in the form `latent-cli
// run` prints it, for the script to compare with the native Linux build's. Each failed check prints
// "FAIL: what" on stderr; the exit status is the number of failures.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/thread_pool.h"
#include "engine/core/error.h"
#include "engine/core/mapped_file.h"
#include "engine/core/utf8_path.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/loaded_model.h"
#include "engine/session/generator.h"
#include "engine/session/session.h"
#ifdef LATENT_HAS_VULKAN
#include "engine/vulkan/device_description.h"
#endif

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>
#include <thread>

namespace {

int failures = 0;

void check(bool passed, const std::string& what)
{
    if (!passed) {
        fmt::print(stderr, "FAIL: {}\n", what);
        ++failures;
    } else {
        fmt::print(stderr, "ok: {}\n", what);
    }
}

constexpr const char* kFolder = "模型 ü";

void checkNonAsciiPath(const std::filesystem::path& model)
{
    check(std::filesystem::is_regular_file(model), fmt::format("{} exists", latent::utf8FromPath(model)));
    check(latent::utf8FromPath(model).find(kFolder) != std::string::npos,
          "the path converts back to the same UTF-8 text");

    const latent::MappedFile mapped(model);
    check(mapped.bytes().size() == std::filesystem::file_size(model), "the mapping holds the whole file");
    check(mapped.bytes().size() >= 4 && std::memcmp(mapped.bytes().data(), "GGUF", 4) == 0,
          "the mapping starts with the GGUF magic");

    const latent::gguf::GgufFile file = latent::gguf::GgufFile::open(model);
    check(!file.tensors().empty(), "the GGUF file parses, with tensors");

    try {
        latent::MappedFile missing(model.parent_path() / latent::pathFromUtf8("缺少 ö.gguf"));
        check(false, "a missing file throws");
    } catch (const latent::Error& error) {
        fmt::print(stderr, "   (missing file: {})\n", error.what());
        check(std::string(error.what()).find("缺少 ö.gguf") != std::string::npos,
              "the error names the missing file in UTF-8");
    }
}

void checkProcessor()
{
    const size_t cores = latent::cpu::ThreadPool::physicalCores();
    const size_t threads = std::thread::hardware_concurrency();
    fmt::print(stderr, "   physical cores {}, hardware threads {}, CPU kernels {}\n", cores, threads,
               latent::cpu::bestKernels().name);
    check(cores >= 1 && (threads == 0 || cores <= threads), "the physical cores are counted");
    // The script compares this line with the native build's choice on the same processor.
    fmt::print("cpu kernels: {}\n", latent::cpu::bestKernels().name);
}

void checkVulkanAbsent()
{
#ifdef LATENT_HAS_VULKAN
    // Run with WINEDLLOVERRIDES=vulkan-1=d: no loader, so an error that says what to install.
    try {
        const auto devices = latent::vulkan::listDevices();
        check(false, fmt::format("without vulkan-1.dll no devices are listed (got {})", devices.size()));
    } catch (const latent::Error& error) {
        fmt::print(stderr, "   (vulkan: {})\n", error.what());
        check(std::string(error.what()).find("vulkan-1.dll is not installed") != std::string::npos,
              "a missing vulkan-1.dll is reported as such");
    }
#else
    check(false, "this build has the Vulkan backend (its Windows loader is what is checked)");
#endif
}

void generateOnCpu(const std::filesystem::path& model, const std::string& prompt, int tokens, uint64_t seed)
{
    latent::LoadOptions load{.contextLength = 4096};
    load.backend = "cpu";
    load.threads = 2; // as the native run the script compares with
    latent::LoadedModel loaded = latent::LoadedModel::open(model, load);
    latent::Session session(*loaded.model, latent::SessionOptions{std::min<int64_t>(4096, loaded.model->info().contextLength), 512});
    const latent::tokenizer::Tokenizer& tokenizer = *loaded.tokenizer;
    const std::vector<int32_t> promptIds =
        tokenizer.encode(prompt, {.addBos = tokenizer.spec().addBos, .parseSpecial = false});
    latent::GenerationOptions options;
    options.maxTokens = tokens;
    options.sampling.seed = seed;
    const latent::GenerationResult result =
        latent::generate(session, tokenizer, promptIds, options, [](std::string_view) {});
    check(int(result.tokens.size()) == tokens, fmt::format("{} tokens generated", tokens));
    fmt::print(stderr, "   ids: {}\n", fmt::join(result.tokens, ","));
    fmt::print("{}\n", result.text); // as `latent-cli run` ends its text
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 5) {
        fmt::print(stderr, "usage: engine_on_windows WORK_DIR PROMPT TOKENS SEED (WORK_DIR and PROMPT in ASCII)\n");
        return 2;
    }
    const std::filesystem::path model =
        latent::pathFromUtf8(argv[1]) / latent::pathFromUtf8(kFolder) / "tiny.gguf";
    try {
        checkNonAsciiPath(model);
        checkProcessor();
        checkVulkanAbsent();
        generateOnCpu(model, argv[2], std::stoi(argv[3]), std::stoull(argv[4]));
    } catch (const std::exception& error) {
        check(false, fmt::format("no exception escapes: {}", error.what()));
    }
    fmt::print(stderr, "{}\n", failures == 0 ? "all checks passed" : fmt::format("{} checks failed", failures));
    return failures;
}
