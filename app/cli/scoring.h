#pragma once
// Importance scores for score and drop: the calibration options, and scores reused or computed.
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/score_file.h"
#include "analysis/scores.h"
#include "checkpoint/checkpoint.h"
#include "cli/arg_parser.h"
#include "cli/options.h"
#include "cli/ranks.h"
#include "session/jobs.h"

namespace llmdrop::cli {

// --data, --samples, --seq-len, --batch-size, --metric, --no-norm, --no-cache, --stream-layers, --devices and
// --parallel.
void add_calibration_options(ArgParser& p);

struct ScoredModel {
  ImportanceScores scores;
  ScoreRequest request;
  bool reused = false;
  bool lead = true;  // false on a launched rank other than 0, which prints and writes nothing
};

// Scores for the request these options describe: reused from `out_file` or the cache when they match, else
// computed in a session opened for them (and written to both).
ScoredModel score_model(const ArgParser& p, const Checkpoint& ckpt, const RunOptions& run, bool consecutive,
                        const std::string& out_file);

// `request` scored on the ranks (or on `run`'s device without), each on a session `open` makes for it: with
// data parallelism each rank scores its share of the blocks; progress as "[score]".
ImportanceScores score_on_ranks(
    const Ranks& ranks, const RunOptions& run, const ScoreJob& request,
    const std::function<std::unique_ptr<Session>(const SessionOptions&, JobContext&)>& open);

// {"similarity": [...], "importance": [...]} of one module kind, per layer.
nlohmann::json target_json(const ModuleScores& m, Metric metric);

}  // namespace llmdrop::cli
