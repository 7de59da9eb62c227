#pragma once
// Runs one of our programs as a user runs it, bounded in time: a hang fails the test instead of blocking the
// suite.
#include <QString>
#include <QStringList>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace llmdrop::test {

struct ProcessRun {
  int code = -1;          // the exit code; -1 after a crash or a timeout
  bool finished = false;  // false: killed after the timeout
  std::string out, err;
  nlohmann::json json() const { return nlohmann::json::parse(out); }
};

struct ProcessOptions {
  std::vector<std::pair<QString, QString>> env;  // added to (or replacing in) the test's environment
  int timeout_ms = 300000;
};

// Whether `err` (a failed llmdrop's stderr) ends with its error: exactly one line starting "llmdrop: error:
// ", followed by nothing but that error's continuation lines (a hint, the places searched), each indented by
// two spaces. Progress lines may precede it.
bool ends_with_one_error(const std::string& err);

// `program_variable`: the environment variable CTest sets to the program (LLMDROP_CLI, LLMDROP_WORKBENCH).
ProcessRun run_program(const char* program_variable, const QStringList& args,
                       const ProcessOptions& options = {});

}  // namespace llmdrop::test
