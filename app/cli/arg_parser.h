#pragma once
// A small subcommand argument parser: --name VALUE, --name=VALUE, --flag, and positionals.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmdrop::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ArgParser {
 public:
  ArgParser(std::string command, std::string summary);

  void add_option(const std::string& name, const std::string& value_name, const std::string& help,
                  std::optional<std::string> default_value = std::nullopt);
  void add_flag(const std::string& name, const std::string& help);
  void add_positional(const std::string& name, const std::string& help);

  // Throws UsageError for unknown options, missing values, or a wrong number of positionals.
  void parse(const std::vector<std::string>& args);

  bool help_requested() const { return help_; }
  std::string help() const;

  bool has(const std::string& name) const;
  std::string value(const std::string& name) const;  // throws UsageError when absent and without default
  std::vector<std::string> values(const std::string& name) const;  // every value of a repeated option
  long long integer(const std::string& name) const;
  // An integer in [min, max]: counts and lengths are bounded so that products of them cannot overflow.
  long long integer(const std::string& name, long long min, long long max) const;
  double number(const std::string& name) const;
  bool flag(const std::string& name) const;
  std::optional<std::string> positional(const std::string& name) const;

 private:
  struct Option {
    std::string value_name, help;
    std::optional<std::string> default_value;
    bool is_flag = false;
  };
  std::string command_, summary_;
  std::vector<std::string> order_;
  std::map<std::string, Option> options_;
  std::vector<std::pair<std::string, std::string>> positionals_;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> repeated_;
  std::map<std::string, std::string> positional_values_;
  bool help_ = false;
};

}  // namespace llmdrop::cli
