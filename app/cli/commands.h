#pragma once
// The llmdrop subcommands. Each registers its options, then runs on the parsed arguments.
#include <functional>
#include <string>
#include <vector>

#include "cli/arg_parser.h"

namespace llmdrop::cli {

// The options a command shares with others, declared before its own.
enum class SharedOptions { None, Model };  // Model: MODEL, --device, --dtype, the drops and --json

struct Command {
  std::string name;
  std::string summary;
  SharedOptions shared;
  std::function<void(ArgParser&)> add_options;  // the command's own; may be empty
  std::function<void(const ArgParser&)> run;    // throws llmdrop::Error / UsageError
};

// In the order of the overview.
const std::vector<Command>& commands();
// Declares the command's shared options, then its own.
void add_options(const Command& command, ArgParser& p);

// One per file in cli/commands/.
Command info_command();
Command tokenize_command();
Command logprobs_command();
Command generate_command();
Command perplexity_command();
Command score_command();
Command drop_command();
Command eval_command();
Command bench_command();
Command quantize_command();
Command dequantize_command();
Command tasks_command();
Command lens_command();
Command heal_command();

}  // namespace llmdrop::cli
