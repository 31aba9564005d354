#include "app/cli/operation_profile_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace latent::cli {

std::vector<ProfileRow> profileRows(const OperationProfile& profile, double wallSeconds, double tokens,
                                    const OperationProfile* recording)
{
    std::vector<ProfileRow> rows;
    double operationSeconds = 0;
    const auto row = [&](const std::string& operation, double calls, double seconds, double weightBytes) {
        return ProfileRow{.operation = operation,
                          .callsPerToken = calls / tokens,
                          .msPerToken = 1e3 * seconds / tokens,
                          .percent = wallSeconds > 0 ? 100 * seconds / wallSeconds : 0,
                          .gbPerSecond = weightBytes > 0 && seconds > 0 ? weightBytes / seconds / 1e9 : 0};
    };
    for (const auto& [operation, cost] : profile) {
        if (!recording) {
            rows.push_back(row(operation, double(cost.calls), cost.seconds, cost.weightBytes));
        } else {
            const auto recorded = recording->find(operation);
            const OperationCost onCpu = recorded != recording->end() ? recorded->second : OperationCost{};
            rows.push_back(row(operation, double(cost.calls), cost.seconds, onCpu.weightBytes));
            rows.back().recordMsPerToken = 1e3 * onCpu.seconds / tokens;
        }
        operationSeconds += cost.seconds;
    }
    std::sort(rows.begin(), rows.end(), [](const ProfileRow& a, const ProfileRow& b) { return a.msPerToken > b.msPerToken; });
    rows.push_back(row("(outside operations)", 0, std::max(0.0, wallSeconds - operationSeconds), 0));
    return rows;
}

std::string profileTable(const std::string& title, const std::vector<ProfileRow>& rows)
{
    const bool recorded = std::any_of(rows.begin(), rows.end(), [](const ProfileRow& row) { return row.recordMsPerToken; });
    std::string table = fmt::format("{}\n{:<22} {:>11} {:>9} {:>6} {:>7}{}\n", title, "operation", "calls/token",
                                    "ms/token", "%", "GB/s", recorded ? "  record ms/token" : "");
    for (const ProfileRow& row : rows) {
        const std::string bandwidth = row.gbPerSecond > 0 ? fmt::format("{:.1f}", row.gbPerSecond) : "";
        const std::string record = row.recordMsPerToken ? fmt::format(" {:>16.3f}", *row.recordMsPerToken) : "";
        table += fmt::format("{:<22} {:>11.2f} {:>9.3f} {:>6.1f} {:>7}{}\n", row.operation, row.callsPerToken,
                             row.msPerToken, row.percent, bandwidth, record);
    }
    return table;
}

std::string profileJson(const std::vector<ProfileRow>& rows)
{
    std::string json = "[";
    for (const ProfileRow& row : rows) {
        const std::string record =
            row.recordMsPerToken ? fmt::format(", \"record_ms_per_token\": {:.5f}", *row.recordMsPerToken) : "";
        json += fmt::format("{}{{\"operation\": \"{}\", \"calls_per_token\": {:.4f}, \"ms_per_token\": {:.5f}, "
                            "\"percent\": {:.3f}, \"weight_gb_s\": {:.3f}{}}}",
                            json.size() > 1 ? ", " : "", row.operation, row.callsPerToken, row.msPerToken, row.percent,
                            row.gbPerSecond, record);
    }
    return json + "]";
}

} // namespace latent::cli
