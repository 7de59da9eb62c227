#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/scoring.h"

namespace llmdrop::cli {

namespace {

void run_score(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const std::string target = p.value("target");
  const Metric metric = parse_metric(p.value("metric"));
  if (target != "all") parse_module_kind(target);
  const std::string out_file = p.has("out") ? output_file(p, "out", &ckpt) : "";
  const ScoredModel scored =
      score_model(p, ckpt, run_options(p, ckpt.config), p.flag("consecutive"), out_file);
  const ImportanceScores& s = scored.scores;
  nlohmann::json out = {{"target", target},
                        {"metric", to_string(metric)},
                        {"tokens", s.tokens},
                        {"base_nll", s.base_nll},
                        {"reused", scored.reused}};
  if (target == "all") {
    out["attn"] = target_json(s.attn, metric);
    out["mlp"] = target_json(s.mlp, metric);
    out["block"] = target_json(s.block, metric);
  } else {
    out.update(target_json(s.of(parse_module_kind(target)), metric));
  }
  if (!s.consecutive.empty()) out["consecutive"] = scores_to_json(s, scored.request, 0)["consecutive"];
  if (p.flag("json")) return print_json(out);
  std::cout << "layer  similarity (" << to_string(metric) << "; higher = more redundant)\n"
            << "       block      attn       mlp\n";
  const auto block = s.block.similarity(metric), attn = s.attn.similarity(metric),
             mlp = s.mlp.similarity(metric);
  for (size_t i = 0; i < block.size(); ++i) {
    char line[96];
    std::snprintf(line, sizeof line, "%5zu  %9.6f  %9.6f  %9.6f\n", i, block[i], attn[i], mlp[i]);
    std::cout << line;
  }
}

}  // namespace

Command score_command() {
  return {"score", "Per-layer similarity / importance of blocks, attention and MLP on calibration text.",
          SharedOptions::Model,
          [](ArgParser& p) {
            p.add_option("target", "TARGET", "block, attn, mlp or all", "all");
            add_calibration_options(p);
            p.add_flag("consecutive", "also the matrix cos(h_i, h_{i+g}) for consecutive block drop");
            p.add_option("out", "FILE", "write the scores (with everything needed to reproduce them) here");
          },
          run_score};
}

}  // namespace llmdrop::cli
