#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "model/generation.h"
#include "model/model.h"

namespace llmdrop::cli {

namespace {

void run_logprobs(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const std::vector<int64_t> ids = token_ids(p, ckpt.config.vocab_size);  // checked before the (long) load
  const auto session = open_session(ckpt, run_options(p, ckpt.config));
  const auto logprobs =
      session->run(JobContext::silent(), [&](const Model& model) { return next_token_logprobs(model, ids); });
  double sum = 0;
  for (double lp : logprobs) sum += lp;
  if (p.flag("json")) return print_json({{"logprobs", logprobs}, {"sum", sum}});
  for (size_t i = 0; i < logprobs.size(); ++i) std::cout << ids[i + 1] << "\t" << logprobs[i] << "\n";
  std::cout << "sum\t" << sum << "\n";
}

}  // namespace

Command logprobs_command() {
  return {"logprobs", "Log-probability of each next token of a sequence, from one forward pass.",
          SharedOptions::Model,
          [](ArgParser& p) { p.add_option("ids", "IDS", "comma-separated token ids, e.g. 1,450,4996"); },
          run_logprobs};
}

}  // namespace llmdrop::cli
