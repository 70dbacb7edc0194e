#pragma once
// The simulator's figure (PNG): per ground-truth model, the reliability diagram of the predicted pass
// probability and the mean true pass probability against cumulative study minutes for each policy.

#include <string>

#include <nlohmann/json.hpp>

namespace retain::sim {

// Renders the summary (see report.h) to a PNG file; false when it cannot be written.
bool writePlot(const nlohmann::json& summary, const std::string& path);

}  // namespace retain::sim
