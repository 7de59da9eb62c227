#pragma once
// Importance scores as a file: everything needed to reproduce them, and reuse when the same request comes
// again.
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "analysis/importance.h"

namespace llmdrop {

// What was asked: identifies a score file (batch size is not part of it: it does not change the numbers).
struct ScoreRequest {
  std::string model_dir, model_fingerprint;
  std::string data_path, data_sha256;
  int64_t samples = 0, seq_len = 0;
  std::string dtype, device;
  bool layer_drop_norm = true, consecutive = false, nll_delta = false, divergence = false;
  DropPlan plan;
  // Metric task:NAME: each task's definition and data (eval/evaluator.h task_inputs_json) by name, and the
  // documents per subtask (0: all).
  nlohmann::json tasks = nlohmann::json::object();
  int64_t task_limit = 0;

  nlohmann::json to_json() const;
  // What makes scores the same: to_json() without the paths where a content hash stands for them, so the
  // same calibration text (or model) reached by another path finds its scores.
  nlohmann::json identity() const;
};

// Per-layer values for JSON: NaN (a dropped module) becomes null.
nlohmann::json layer_values_json(const std::vector<double>& values);
nlohmann::json scores_to_json(const ImportanceScores& scores, const ScoreRequest& request, double elapsed_s);
// Throws BadInput naming what is missing or malformed; every per-layer list must have `layers` entries
// (default: as many as the block scores have) and the consecutive matrix row i L−i entries.
ImportanceScores scores_from_json(const nlohmann::json& j, std::optional<int64_t> layers = std::nullopt);
// Scores in `path` made for a request of the same identity (model fingerprint, data hash, n, seq_len, dtype,
// device, flags, plan) for a model of `layers` layers; nullopt for anything else, including a damaged file.
std::optional<ImportanceScores> load_matching_scores(const std::filesystem::path& path,
                                                     const ScoreRequest& request, int64_t layers);
// $XDG_CACHE_HOME/llmdrop/scores/<hash of the request's identity>.json (or ~/.cache/...).
std::filesystem::path score_cache_path(const ScoreRequest& request);

}  // namespace llmdrop
