#include <cmath>
#include <iostream>
#include <optional>

#include "checkpoint/tokenizer.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/ranks.h"
#include "model/generation.h"
#include "model/model.h"

namespace llmdrop::cli {

namespace {

// The ids the tokenizer has pieces for. A model may predict ids past them (vocabularies padded to a round
// size, a tokenizer of another model): those stay in the ids printed and are left out of the text, with a
// note.
std::vector<int64_t> with_pieces(const std::vector<int64_t>& ids, const Tokenizer& tok,
                                 const std::string& what) {
  std::vector<int64_t> kept;
  for (int64_t id : ids)
    if (id >= 0 && id < tok.vocab_size()) kept.push_back(id);
  if (kept.size() < ids.size())
    std::cerr << "llmdrop: note: " << ids.size() - kept.size() << " " << what
              << " ids lie outside the tokenizer's " << tok.vocab_size() << " pieces: left out of the text\n";
  return kept;
}

void run_generate(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const std::optional<Tokenizer> tok = prompt_tokenizer(p, ckpt);
  const std::vector<int64_t> prompt = prompt_ids(p, ckpt, tok ? &*tok : nullptr);
  SamplingOptions options;
  options.max_new_tokens = p.integer("max-new-tokens", 0, kMaxLength);
  options.greedy = p.flag("greedy") || !(p.has("temperature") || p.has("top-p"));
  options.temperature = p.number("temperature");
  options.top_p = p.number("top-p");
  options.seed = static_cast<uint64_t>(p.integer("seed"));
  options.stop_token =
      tok ? tok->eos_id()
          : (ckpt.config.eos_token_ids.empty() ? std::nullopt
                                               : std::optional(ckpt.config.eos_token_ids.front()));
  options.cuda_graphs = !p.flag("no-cuda-graphs");
  if (!(options.top_p > 0 && options.top_p <= 1)) throw UsageError("--top-p must be in (0, 1]");
  if (!std::isfinite(options.temperature) || options.temperature < 0)
    throw UsageError("--temperature must be a finite number >= 0");
  const RunOptions run = run_options(p, ckpt.config);
  const Ranks ranks = open_ranks(p, run);
  // Every tensor-parallel rank decodes the same tokens (its share of every layer); the lead prints them.
  const auto new_ids = on_one_model<std::vector<int64_t>>(
      ranks, ckpt, run, "generate",
      [&](const Model& model, JobContext& job) { return generate(model, prompt, options, job); });
  if (!ranks.lead()) return;
  if (!tok) {
    if (p.flag("json")) return print_json({{"ids", prompt}, {"new_ids", new_ids}});
    for (size_t i = 0; i < new_ids.size(); ++i) std::cout << (i ? "," : "") << new_ids[i];
    std::cout << "\n";
    return;
  }
  const std::vector<int64_t> prompt_text = with_pieces(prompt, *tok, "prompt");
  const std::string text = tok->decode_continuation(prompt_text, with_pieces(new_ids, *tok, "generated"));
  if (p.flag("json")) return print_json({{"ids", prompt}, {"new_ids", new_ids}, {"text", text}});
  std::cout << (p.has("prompt") ? p.value("prompt") : tok->decode(prompt_text)) << text << "\n";
}

}  // namespace

Command generate_command() {
  return {"generate", "Continue a prompt (BOS is prepended when the model has one).", SharedOptions::Model,
          [](ArgParser& p) {
            add_prompt_options(p);
            p.add_option("max-new-tokens", "N", "tokens to generate at most", "32");
            p.add_flag("greedy",
                       "always take the most likely token (default unless sampling options are given)");
            p.add_option("temperature", "T", "sampling temperature", "1.0");
            p.add_option("top-p", "P", "nucleus sampling mass", "1.0");
            p.add_option("seed", "N", "random seed for sampling", "0");
            add_no_cuda_graphs_flag(p);
            add_devices_options(p);
          },
          run_generate};
}

}  // namespace llmdrop::cli
