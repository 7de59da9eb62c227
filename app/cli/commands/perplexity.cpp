#include <iostream>

#include "checkpoint/tokenizer.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/ranks.h"
#include "eval/perplexity.h"
#include "model/model.h"
#include "util/input.h"

namespace llmdrop::cli {

namespace {

void run_perplexity(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
  const auto tokens = tok.encode(read_file(p.value("data")));
  const RunOptions run = run_options(p, ckpt.config);
  const Ranks ranks = open_ranks(p, run);
  const auto r = on_one_model<PerplexityResult>(
      ranks, ckpt, run, "perplexity", [&](const Model& model, JobContext& job) {
        return perplexity(model, tokens, tok.bos_id(), p.integer("seq-len", 1, kMaxLength),
                          p.integer("max-windows", 0, kMaxCount), job);
      });
  if (!ranks.lead()) return;
  if (p.flag("json"))
    return print_json(
        {{"ppl", r.ppl}, {"tokens", r.tokens}, {"windows", r.windows}, {"mean_nll", r.mean_nll}});
  std::cout << "perplexity " << r.ppl << " over " << r.tokens << " tokens (" << r.windows << " windows)\n";
}

}  // namespace

Command perplexity_command() {
  return {"perplexity", "Perplexity of a text file in non-overlapping windows, each starting with BOS.",
          SharedOptions::Model,
          [](ArgParser& p) {
            p.add_option("data", "FILE", "plain text file");
            p.add_option("seq-len", "N", "window length including BOS", "256");
            p.add_option("max-windows", "N", "score at most N windows (0 = all)", "0");
            add_stream_layers_flag(p);
            add_devices_options(p);
          },
          run_perplexity};
}

}  // namespace llmdrop::cli
