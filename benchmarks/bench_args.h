#pragma once
// Command line shared by the benchmark programs: [MODEL] [--device D] [--dtype T] and named integer, text and
// flag options.
// MODEL defaults to the bundled demo model.
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "checkpoint/default_model.h"
#include "util/parse.h"

namespace llmdrop::bench {

struct BenchArgs {
  std::string model, device = "cpu", dtype = "auto";
  std::map<std::string, int64_t> integers;  // name (without --) → value; defaults filled in by the caller
  std::map<std::string, std::string> strings;  // likewise, for text options
  std::map<std::string, bool> flags;           // likewise, for options without a value (set: true)
};

// Prints a one-line error naming `program` and returns nullopt on an unknown option or a malformed integer.
inline std::optional<BenchArgs> parse_bench_args(const char* program, int argc, char** argv, BenchArgs args) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const std::string value = i + 1 < argc ? argv[i + 1] : "";
    if (arg == "--device" || arg == "--dtype") {
      (arg == "--device" ? args.device : args.dtype) = value;
      ++i;
    } else if (arg.rfind("--", 0) == 0 && args.integers.count(arg.substr(2))) {
      const auto v = parse_int(value);
      if (!v) return std::fprintf(stderr, "%s: %s expects an integer\n", program, arg.c_str()), std::nullopt;
      args.integers[arg.substr(2)] = *v;
      ++i;
    } else if (arg.rfind("--", 0) == 0 && args.flags.count(arg.substr(2))) {
      args.flags[arg.substr(2)] = true;
    } else if (arg.rfind("--", 0) == 0 && args.strings.count(arg.substr(2))) {
      args.strings[arg.substr(2)] = value;
      ++i;
    } else if (arg.rfind("--", 0) != 0) {
      args.model = arg;
    } else {
      return std::fprintf(stderr, "%s: unknown option %s\n", program, arg.c_str()), std::nullopt;
    }
  }
  if (args.model.empty()) {
    const auto demo = find_demo_model(executable_dir());
    if (!demo) return std::fprintf(stderr, "%s: no MODEL and no demo model found\n", program), std::nullopt;
    args.model = demo->string();
  }
  return args;
}

}  // namespace llmdrop::bench
