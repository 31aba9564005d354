#pragma once

#include "engine/backend/profiling_backend.h"

#include <optional>
#include <string>
#include <vector>

namespace latent::cli {

// One line of `bench --profile`'s table: an operation kind's share of a forward pass, per token.
struct ProfileRow {
    std::string operation;
    double callsPerToken = 0;
    double msPerToken = 0;
    double percent = 0;     // of the passes' wall time
    double gbPerSecond = 0; // weight bytes read over the operation's time; 0 where it reads no weights
    // On a GPU: the CPU's time recording the operation's commands (msPerToken is the device's time).
    std::optional<double> recordMsPerToken{};
};

// The rows of passes over tokens tokens that took wallSeconds in all, slowest first, with the time
// spent outside the backend's operations (the session, sampling) as its own last row, so the
// percentages add up to the whole pass. On a GPU, profile holds the device's times and recording
// the CPU's time in each kind of call (ProfilingBackend's), which also gives the weight bytes.
std::vector<ProfileRow> profileRows(const OperationProfile& profile, double wallSeconds, double tokens,
                                    const OperationProfile* recording = nullptr);

// A titled table for people, and a JSON array for scripts.
std::string profileTable(const std::string& title, const std::vector<ProfileRow>& rows);
std::string profileJson(const std::vector<ProfileRow>& rows);

} // namespace latent::cli
