#pragma once

// How fast a backend runs a model, measured small: one of the model's own matrices (its first
// block's largest) multiplied as a chat turn multiplies it, a 512-token prompt in batches of 64
// and 128 tokens generated one at a time. The ratio of two backends' times on it stands for the
// ratio on the whole model, whose products are most of its work. Kept per device and model shape
// in a small text file, so that it is measured once.

#include "engine/backend/backend.h"

#include <filesystem>
#include <optional>
#include <string>

namespace latent::gguf {
class GgufFile;
struct TensorInfo;
}

namespace latent {

// The matrix the measurements use: the first block's largest, in both architectures a
// feed-forward weight of the kind the model is mostly made of (the first deepseek2 block is
// dense); nullptr where the file has none.
const gguf::TensorInfo* measuredMatrix(const gguf::GgufFile& file);

// Seconds a chat turn's products of the model's measured matrix take on backend.
double chatTurnSeconds(Backend& backend, const gguf::GgufFile& file);

struct SpeedRecord {
    double cpuSeconds = 0; // chatTurnSeconds on the CPU backend
    double gpuSeconds = 0; // and on the device
};

// What a record is kept under: the device (name and driver) and the shape of the model
// (architecture, blocks, widths, experts and the measured matrix's type), not its file.
std::string speedRecordKey(const gguf::GgufFile& file, const std::string& device);

// The records of one file, one per line: key, tab, CPU seconds, tab, device seconds. Lines that do
// not read so are ignored (and dropped at the next store).
class SpeedRecords {
public:
    explicit SpeedRecords(std::filesystem::path path);
    std::optional<SpeedRecord> find(const std::string& key) const;
    // Adds or replaces the record and writes the file (its folder made where missing). Returns
    // what went wrong, naming the file; empty when it was written.
    std::string store(const std::string& key, const SpeedRecord& record);

    // $XDG_CACHE_HOME/latent/backend-speed.tsv (else ~/.cache/..., or %LOCALAPPDATA%\latent\...).
    static std::filesystem::path defaultPath();

private:
    std::filesystem::path path_;
};

} // namespace latent
