#include "cli/arg_parser.h"

#include <sstream>

#include "util/parse.h"

namespace llmdrop::cli {

ArgParser::ArgParser(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

void ArgParser::add_option(const std::string& name, const std::string& value_name, const std::string& help,
                           std::optional<std::string> default_value) {
  options_[name] = Option{value_name, help, std::move(default_value), false};
  order_.push_back(name);
}

void ArgParser::add_flag(const std::string& name, const std::string& help) {
  options_[name] = Option{"", help, std::nullopt, true};
  order_.push_back(name);
}

void ArgParser::add_positional(const std::string& name, const std::string& help) {
  positionals_.emplace_back(name, help);
}

void ArgParser::parse(const std::vector<std::string>& args) {
  size_t next_positional = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      continue;
    }
    if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2), value;
      const size_t eq = name.find('=');
      const bool inline_value = eq != std::string::npos;
      if (inline_value) value = name.substr(eq + 1), name = name.substr(0, eq);
      auto it = options_.find(name);
      if (it == options_.end()) throw UsageError("unknown option --" + name + " for '" + command_ + "'");
      if (it->second.is_flag) {
        if (inline_value) throw UsageError("--" + name + " takes no value");
        values_[name] = "1";
        continue;
      }
      if (!inline_value) {
        if (i + 1 >= args.size())
          throw UsageError("--" + name + " needs a value (" + it->second.value_name + ")");
        value = args[++i];
      }
      values_[name] = value;
      repeated_[name].push_back(value);
      continue;
    }
    if (next_positional >= positionals_.size()) throw UsageError("unexpected argument '" + arg + "'");
    positional_values_[positionals_[next_positional++].first] = arg;
  }
}

std::string ArgParser::help() const {
  std::ostringstream out;
  out << "usage: llmdrop " << command_;
  for (const auto& [name, help] : positionals_) out << " [" << name << "]";
  out << " [options]\n\n" << summary_ << "\n";
  if (!positionals_.empty()) {
    out << "\narguments:\n";
    for (const auto& [name, help] : positionals_) out << "  " << name << "\n      " << help << "\n";
  }
  out << "\noptions:\n";
  for (const auto& name : order_) {
    const Option& o = options_.at(name);
    out << "  --" << name << (o.is_flag ? "" : " " + o.value_name) << "\n      " << o.help;
    if (o.default_value) out << " (default: " << *o.default_value << ")";
    out << "\n";
  }
  out << "  --help\n      show this help\n";
  return out.str();
}

bool ArgParser::has(const std::string& name) const {
  return values_.count(name) != 0;
}

std::string ArgParser::value(const std::string& name) const {
  if (auto it = values_.find(name); it != values_.end()) return it->second;
  const auto& o = options_.at(name);
  if (o.default_value) return *o.default_value;
  throw UsageError("--" + name + " is required");
}

std::vector<std::string> ArgParser::values(const std::string& name) const {
  if (auto it = repeated_.find(name); it != repeated_.end()) return it->second;
  return {};
}

long long ArgParser::integer(const std::string& name) const {
  const std::string text = value(name);
  const auto v = parse_int(text);
  if (!v) throw UsageError("--" + name + " expects an integer, got '" + text + "'");
  return *v;
}

long long ArgParser::integer(const std::string& name, long long min, long long max) const {
  const long long v = integer(name);
  if (v < min || v > max)
    throw UsageError("--" + name + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     ", got " + std::to_string(v));
  return v;
}

double ArgParser::number(const std::string& name) const {
  const std::string text = value(name);
  const auto v = parse_double(text);
  if (!v) throw UsageError("--" + name + " expects a number, got '" + text + "'");
  return *v;
}

bool ArgParser::flag(const std::string& name) const {
  return values_.count(name) != 0;
}

std::optional<std::string> ArgParser::positional(const std::string& name) const {
  if (auto it = positional_values_.find(name); it != positional_values_.end()) return it->second;
  return std::nullopt;
}

}  // namespace llmdrop::cli
