#pragma once
// The llmdrop subcommands. Each registers its options, then runs on the parsed arguments.
#include <functional>
#include <string>
#include <vector>

#include "cli/arg_parser.h"

namespace llmdrop::cli {

struct Command {
  std::string name;
  std::string summary;
  std::function<void(ArgParser&)> add_options;
  std::function<void(const ArgParser&)> run;  // throws llmdrop::Error / UsageError
};

const std::vector<Command>& commands();

}  // namespace llmdrop::cli
