#pragma once
// Importance scores for score and drop: the calibration options, and scores reused or computed.
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/score_file.h"
#include "analysis/scores.h"
#include "checkpoint/checkpoint.h"
#include "cli/arg_parser.h"
#include "cli/options.h"

namespace llmdrop::cli {

// --data, --samples, --seq-len, --batch-size, --metric, --no-norm and --no-cache.
void add_calibration_options(ArgParser& p);

struct ScoredModel {
  ImportanceScores scores;
  ScoreRequest request;
  bool reused = false;
};

// Scores for the request these options describe: reused from `out_file` or the cache when they match, else
// computed in a session opened for them (and written to both).
ScoredModel score_model(const ArgParser& p, const Checkpoint& ckpt, const RunOptions& run, bool consecutive,
                        const std::string& out_file);

// {"similarity": [...], "importance": [...]} of one module kind, per layer.
nlohmann::json target_json(const ModuleScores& m, Metric metric);

}  // namespace llmdrop::cli
