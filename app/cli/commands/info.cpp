#include <iostream>

#include "checkpoint/summary.h"
#include "checkpoint/tokenizer.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "model/device.h"
#include "util/error.h"

namespace llmdrop::cli {

namespace {

void run_info(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const RunOptions run = run_options(p, ckpt.config);
  const ModelSummary s = summarize(ckpt, run.drops, dtype_name(run.dtype));
  // The tokenizer and its special tokens; a folder without a usable one still shows its weights.
  nlohmann::json tokenizer;
  std::string tokenizer_line;
  try {
    const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
    tokenizer = {{"kind", tok.kind()}, {"vocab_size", tok.vocab_size()}};
    tokenizer_line = tok.kind() + ", " + std::to_string(tok.vocab_size()) + " ids";
    for (const auto& [name, id] : {std::pair{"bos", tok.bos_id()}, std::pair{"eos", tok.eos_id()}}) {
      if (!id || *id >= tok.vocab_size()) continue;
      tokenizer[name] = {{"id", *id}, {"token", tok.piece(*id)}};
      tokenizer_line += std::string("; ") + (name == std::string("bos") ? "BOS " : "EOS ") + tok.piece(*id) +
                        " (" + std::to_string(*id) + ")";
    }
  } catch (const Error& e) {
    tokenizer = {{"error", e.what()}};
    tokenizer_line = std::string("none usable: ") + e.what();
  }
  if (p.flag("json")) {
    nlohmann::json out = to_json(s);
    out["tokenizer"] = tokenizer;
    return print_json(out);
  }
  std::cout << "path:               " << s.path << "\n"
            << "family:             " << s.family << "\n"
            << "layers:             " << s.layers << "\n"
            << "hidden size:        " << s.hidden_size << " (intermediate " << s.intermediate_size << ")\n"
            << "heads / kv-heads:   " << s.heads << " / " << s.kv_heads << " (head dim " << s.head_dim
            << ")\n"
            << "vocabulary:         " << s.vocab_size << "\n"
            << "tokenizer:          " << tokenizer_line << "\n"
            << "computation:        " << s.architecture << "\n"
            << "rope:               " << s.rope << "\n"
            << "sliding window:     "
            << (s.sliding_window
                    ? std::to_string(s.sliding_window) + " (" + std::to_string(s.sliding_layers) + " of " +
                          std::to_string(s.layers) + " layers)"
                    : "none")
            << "\n"
            << "tied embeddings:    " << (s.tied_embeddings ? "yes" : "no") << "\n"
            << "parameters:         " << s.parameters << " (" << s.active_parameters
            << " without dropped modules)\n"
            << "stored dtype:       " << s.stored_dtype << "\n"
            << "drop_attn_list:     [" << format_indices(s.drops.attn) << "]\n"
            << "drop_mlp_list:      [" << format_indices(s.drops.mlp) << "]\n"
            << "KV cache per token: " << s.kv_bytes_per_token << " bytes in " << s.runtime_dtype << " ("
            << s.kv_bytes_per_token_full << " without drops)\n";
}

}  // namespace

Command info_command() {
  return {"info",
          "Show a checkpoint's family, shape, parameters, drop lists and KV-cache bytes per token.",
          SharedOptions::Model,
          {},
          run_info};
}

}  // namespace llmdrop::cli
