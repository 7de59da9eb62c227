#include <iostream>

#include "checkpoint/tokenizer.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "util/parse.h"

namespace llmdrop::cli {

namespace {

void run_tokenize(const ArgParser& p) {
  if (p.has("text") == p.has("decode"))
    throw UsageError("give --text TEXT (text to ids) or --decode IDS (ids to text)");
  const Checkpoint ckpt = open_checkpoint(p);
  const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
  if (p.has("decode")) {
    const auto ids = parse_int_list(p.value("decode"));
    if (!ids)
      throw UsageError("--decode: '" + p.value("decode") + "' is not a comma-separated list of token ids");
    const std::string text = tok.decode(*ids);
    if (p.flag("json")) return print_json({{"text", text}});
    std::cout << text << "\n";
    return;
  }
  const auto ids = tok.encode(p.value("text"));
  if (p.flag("json")) return print_json({{"ids", ids}});
  for (size_t i = 0; i < ids.size(); ++i) std::cout << (i ? "," : "") << ids[i];
  std::cout << "\n";
}

}  // namespace

Command tokenize_command() {
  return {"tokenize", "Token ids of a text (no BOS added), or with --decode the text of token ids.",
          SharedOptions::Model,
          [](ArgParser& p) {
            p.add_option("text", "TEXT", "the text to tokenize");
            p.add_option("decode", "IDS", "comma-separated token ids to turn into text instead");
          },
          run_tokenize};
}

}  // namespace llmdrop::cli
