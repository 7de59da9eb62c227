#include <cstdio>
#include <iostream>
#include <optional>

#include "analysis/lens.h"
#include "checkpoint/tokenizer.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "model/model.h"

namespace llmdrop::cli {

namespace {

void run_lens(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const std::optional<Tokenizer> tok = prompt_tokenizer(p, ckpt);
  const std::vector<int64_t> prompt = prompt_ids(p, ckpt, tok ? &*tok : nullptr);
  const int64_t k = p.integer("top-k", 1, ckpt.config.vocab_size);
  const auto session = open_session(ckpt, run_options(p, ckpt.config));
  const std::vector<LensRow> rows =
      session->run(JobContext::silent(), [&](const Model& model) { return logit_lens(model, prompt, k); });
  auto text = [&](int64_t id) { return tok ? tok->decode(std::vector<int64_t>{id}) : std::to_string(id); };
  if (p.flag("json")) {
    nlohmann::json out = {
        {"ids", prompt}, {"tokens", nlohmann::json::array()}, {"rows", nlohmann::json::array()}};
    for (const int64_t id : prompt) out["tokens"].push_back(text(id));
    for (const LensRow& row : rows) {
      nlohmann::json positions = nlohmann::json::array();
      for (const LensPrediction& at : row.predictions) {
        nlohmann::json tokens = nlohmann::json::array();
        for (const int64_t id : at.ids) tokens.push_back(text(id));
        positions.push_back({{"ids", at.ids}, {"probs", at.probs}, {"tokens", tokens}});
      }
      out["rows"].push_back({{"layer", row.layer},
                             {"sublayer", row.after_mlp ? "mlp" : "attn"},
                             {"dropped", row.dropped},
                             {"positions", positions}});
    }
    return print_json(out);
  }
  // A grid: one row per sub-layer, one column per position, each cell the most probable next token.
  auto cell = [](const std::string& s) {
    std::string flat;
    for (const char c : s) flat += c == '\n' ? ' ' : c;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%-12.12s", flat.c_str());
    return std::string(buffer);
  };
  std::cout << cell("") << "  ";
  for (const int64_t id : prompt) std::cout << cell(text(id));
  std::cout << "\n";
  for (const LensRow& row : rows) {
    std::cout << cell(std::to_string(row.layer) + (row.after_mlp ? " mlp" : " attn") +
                      (row.dropped ? " (dropped)" : ""))
              << "  ";
    for (const LensPrediction& at : row.predictions) {
      char probability[16];
      std::snprintf(probability, sizeof probability, " %.0f%%", 100 * at.probs.front());
      std::cout << cell(text(at.ids.front()) + probability);
    }
    std::cout << "\n";
  }
}

}  // namespace

Command lens_command() {
  return {
      "lens",
      "Logit lens: the next-token predictions after every attention and MLP sub-layer (final norm and head "
      "applied), at every position of a prompt.",
      SharedOptions::Model,
      [](ArgParser& p) {
        add_prompt_options(p);
        p.add_option("top-k", "K", "predictions per cell (--json)", "5");
      },
      run_lens};
}

}  // namespace llmdrop::cli
