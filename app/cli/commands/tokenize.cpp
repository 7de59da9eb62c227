#include <iostream>

#include "checkpoint/tokenizer.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"

namespace llmdrop::cli {

namespace {

void run_tokenize(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
  const auto ids = tok.encode(p.value("text"));
  if (p.flag("json")) return print_json({{"ids", ids}});
  for (size_t i = 0; i < ids.size(); ++i) std::cout << (i ? "," : "") << ids[i];
  std::cout << "\n";
}

}  // namespace

Command tokenize_command() {
  return {"tokenize", "Token ids of a text (no BOS added).", SharedOptions::Model,
          [](ArgParser& p) { p.add_option("text", "TEXT", "the text to tokenize"); }, run_tokenize};
}

}  // namespace llmdrop::cli
