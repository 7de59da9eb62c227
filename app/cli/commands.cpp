#include "cli/commands.h"

#include "cli/options.h"

namespace llmdrop::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      info_command(),       tokenize_command(), logprobs_command(), generate_command(), perplexity_command(),
      score_command(),      drop_command(),     eval_command(),     bench_command(),    quantize_command(),
      dequantize_command(), tasks_command(),    lens_command(),     heal_command(),
  };
  return all;
}

void add_options(const Command& command, ArgParser& p) {
  if (command.shared == SharedOptions::Model) add_model_options(p);
  if (command.add_options) command.add_options(p);
}

}  // namespace llmdrop::cli
