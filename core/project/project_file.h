#pragma once
// A workbench session as a file (JSON, "llmdrop-project/1"): the model folder, the drop plan, the importance
// scores and the metric shown, and the evaluation results table, so that reopening it restores what was on
// screen without recomputing.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analysis/scores.h"
#include "checkpoint/drop_plan.h"

namespace llmdrop {

struct ResultsColumn {
  std::string label;                                       // "full", "attn 3,5 dropped"
  std::vector<std::pair<std::string, std::string>> cells;  // row ("arc_easy · acc") → shown text
  bool operator==(const ResultsColumn&) const = default;
};

struct Project {
  std::string model_dir;
  DropPlan plan;
  Metric metric = Metric::Cosine;
  std::optional<ImportanceScores> scores;
  std::vector<ResultsColumn> results;
};

nlohmann::json project_to_json(const Project& project);
// Throws BadInput naming the field that is missing or malformed.
Project project_from_json(const nlohmann::json& j);
void save_project(const Project& project, const std::filesystem::path& path);  // atomic
Project load_project(const std::filesystem::path& path);  // BadInput for a missing or malformed file

}  // namespace llmdrop
