// llmdrop: the command-line tool. Exit codes: 0 success, 1 failure on valid input, 2 bad input, 130 cancelled
// (Ctrl-C).
#include <c10/util/Exception.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <iostream>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "cli/version.h"
#include "util/error.h"

namespace {

void print_overview() {
  std::cout << "usage: llmdrop COMMAND [MODEL] [options]   (llmdrop COMMAND --help for details)\n"
               "       llmdrop --version\n\ncommands:\n";
  for (const auto& c : llmdrop::cli::commands())
    std::cout << "  " << c.name << std::string(12 - c.name.size(), ' ') << c.summary << "\n";
}

// The first line of the message after "llmdrop: error: ", each further line (a hint, the places searched)
// indented by two spaces, so that the error stays one block that scripts can find by its prefix.
int fail(int code, const std::string& message) {
  std::istringstream lines(message);
  std::string line;
  std::getline(lines, line);
  std::cerr << "llmdrop: error: " << line << "\n";
  while (std::getline(lines, line)) {
    line.erase(0, line.find_first_not_of(" \t"));
    if (!line.empty()) std::cerr << "  " << line << "\n";
  }
  std::cerr << std::flush;
  return code;
}

// Keeps the CPU temporaries that libtorch allocates and frees layer after layer (up to 32 MB each, and 1 GB
// freed at the heap's top) for reuse: glibc would hand them back and fault them in again each time. Measured
// on `dequantize` of a 111M-parameter RTN checkpoint on this project's CI machine: 12.6 s → 3.0 s, peak
// memory 328 → 339 MB.
void keep_freed_memory_for_reuse() {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory_for_reuse();
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    print_overview();
    return argc < 2 ? 2 : 0;
  }
  const std::string name = argv[1];
  if (name == "--version" || name == "-V") {
    std::cout << llmdrop::cli::version_text();
    return 0;
  }
  for (const auto& command : llmdrop::cli::commands()) {
    if (command.name != name) continue;
    llmdrop::cli::ArgParser parser(command.name, command.summary);
    llmdrop::cli::add_options(command, parser);
    try {
      parser.parse(std::vector<std::string>(argv + 2, argv + argc));
      if (parser.help_requested()) {
        std::cout << parser.help();
        return 0;
      }
      command.run(parser);
      return 0;
    } catch (const llmdrop::cli::UsageError& e) {
      return fail(2, std::string(e.what()) + " (see llmdrop " + name + " --help)");
    } catch (const llmdrop::Error& e) {
      if (e.kind() == llmdrop::Error::Kind::Cancelled) return fail(130, "cancelled (Ctrl-C)");
      return fail(e.kind() == llmdrop::Error::Kind::BadInput ? 2 : 1, e.what());
    } catch (const c10::Error& e) {
      const std::string what = e.what_without_backtrace();
      if (what.find("out of memory") != std::string::npos)
        return fail(1, "out of memory on the device: " + what);
      return fail(1, "libtorch: " + what);
    } catch (const std::exception& e) {
      return fail(1, e.what());
    }
  }
  std::cerr << "llmdrop: error: unknown command '" << name << "'\n";
  print_overview();
  return 2;
}
