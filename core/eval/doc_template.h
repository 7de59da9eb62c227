#pragma once
// Prompt templates of a task file: literal text with {{ path | filter | … }} expressions over a document's
// fields, e.g. "Question: {{question|strip}}\nAnswer:" or "{{choices.text}}" (a list). A path walks objects
// by key and arrays by index ("choices.0", "choices[0]"); filters are text steps ("capitalize", "before:_")
// or the names of the task's own pipelines; on a list they apply to every element.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "eval/text_ops.h"

namespace llmdrop {

using Pipelines = std::map<std::string, text::Pipeline>;

class DocTemplate {
 public:
  DocTemplate() = default;
  // spec: a template string, or {"template": "...", "then": "<pipeline>"} to post-process the whole text.
  static DocTemplate parse(const nlohmann::json& spec, const std::string& where, const Pipelines& pipelines);

  bool defined() const { return !parts_.empty() || !then_.empty(); }
  std::string render(const nlohmann::json& doc) const;
  // The template is one expression naming a list (or a scalar, giving a one-element list).
  std::vector<std::string> render_list(const nlohmann::json& doc) const;

 private:
  struct Part {
    std::string literal;            // text before the expression
    std::vector<std::string> path;  // empty: no expression
    std::vector<text::Pipeline> filters;
  };
  nlohmann::json evaluate(const Part& part, const nlohmann::json& doc) const;

  std::vector<Part> parts_;
  text::Pipeline then_;
  std::string where_;
};

// A document value as text, the way Python's str() would print it (numbers, booleans, strings).
std::string value_text(const nlohmann::json& value);

}  // namespace llmdrop
