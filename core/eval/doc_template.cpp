#include "eval/doc_template.h"

#include "util/error.h"

namespace llmdrop {

namespace {

std::vector<std::string> parse_path(std::string expr, const std::string& where) {
  for (char& c : expr)
    if (c == '[' || c == ']') c = '.';
  std::vector<std::string> path;
  size_t pos = 0;
  while (pos <= expr.size()) {
    const size_t dot = std::min(expr.find('.', pos), expr.size());
    if (dot > pos) path.push_back(expr.substr(pos, dot - pos));
    pos = dot + 1;
  }
  if (path.empty()) throw_bad_input(where + ": empty expression {{}}");
  return path;
}

std::string trim_ascii(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// A list index of at most 9 digits (a longer one is past any list's end, and stoul would overflow).
bool is_index(const std::string& key) {
  return !key.empty() && key.size() <= 9 && key.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::string value_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_number_unsigned()) return std::to_string(value.get<uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_null()) return "None";
  return value.dump();
}

DocTemplate DocTemplate::parse(const nlohmann::json& spec, const std::string& where,
                               const Pipelines& pipelines) {
  DocTemplate t;
  t.where_ = where;
  std::string text;
  if (spec.is_string()) {
    text = spec.get<std::string>();
  } else if (spec.is_object() && spec.contains("template") && spec["template"].is_string()) {
    text = spec["template"].get<std::string>();
    if (spec.contains("then")) {
      if (!spec["then"].is_string() || !pipelines.count(spec["then"].get<std::string>()))
        throw_bad_input(where + ".then: names no pipeline of this task's 'preprocess'");
      t.then_ = pipelines.at(spec["then"].get<std::string>());
    }
  } else {
    throw_bad_input(where + ": must be a template string or {\"template\": …, \"then\": …}");
  }
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("{{", pos);
    Part part;
    if (open == std::string::npos) {
      part.literal = text.substr(pos);
      if (!part.literal.empty() || t.parts_.empty()) t.parts_.push_back(part);
      break;
    }
    const size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) throw_bad_input(where + ": '{{' without a closing '}}'");
    part.literal = text.substr(pos, open - pos);
    const std::string expr = text.substr(open + 2, close - open - 2);
    // Split at '|'; the first piece is the path.
    std::vector<std::string> pieces;
    size_t p = 0;
    for (size_t bar; (bar = expr.find('|', p)) != std::string::npos; p = bar + 1)
      pieces.push_back(expr.substr(p, bar - p));
    pieces.push_back(expr.substr(p));
    part.path = parse_path(trim_ascii(pieces[0]), where);
    for (size_t i = 1; i < pieces.size(); ++i) {
      // Filter arguments keep their spaces ("before_last: "); a bare name may be one of the task's pipelines.
      const size_t begin = pieces[i].find_first_not_of(" \t");
      const std::string filter = begin == std::string::npos ? "" : pieces[i].substr(begin);
      if (filter.find(':') != std::string::npos) {
        part.filters.push_back({text::Step::parse_filter(filter, where)});
      } else if (pipelines.count(trim_ascii(filter))) {
        part.filters.push_back(pipelines.at(trim_ascii(filter)));
      } else {
        part.filters.push_back({text::Step::parse_filter(trim_ascii(filter), where)});
      }
    }
    t.parts_.push_back(std::move(part));
    pos = close + 2;
  }
  return t;
}

nlohmann::json DocTemplate::evaluate(const Part& part, const nlohmann::json& doc) const {
  const nlohmann::json* value = &doc;
  std::string walked;
  for (const auto& key : part.path) {
    walked += (walked.empty() ? "" : ".") + key;
    if (value->is_object() && value->contains(key)) {
      value = &(*value)[key];
    } else if (value->is_array() && is_index(key) && std::stoul(key) < value->size()) {
      value = &(*value)[std::stoul(key)];
    } else {
      throw_bad_input(where_ + ": the document has no field '" + walked + "'");
    }
  }
  nlohmann::json result = *value;
  for (const auto& filter : part.filters) {
    if (result.is_array()) {
      for (auto& element : result) element = text::apply(filter, value_text(element));
    } else {
      result = text::apply(filter, value_text(result));
    }
  }
  return result;
}

std::string DocTemplate::render(const nlohmann::json& doc) const {
  std::string out;
  for (const auto& part : parts_) {
    out += part.literal;
    if (part.path.empty()) continue;
    const nlohmann::json value = evaluate(part, doc);
    if (value.is_array() || value.is_object())
      throw_bad_input(where_ + ": '" + part.path[0] + "…' is a list or object where text is expected");
    out += value_text(value);
  }
  return text::apply(then_, out);
}

std::vector<std::string> DocTemplate::render_list(const nlohmann::json& doc) const {
  if (parts_.size() != 1 || !parts_[0].literal.empty() || parts_[0].path.empty())
    throw_bad_input(where_ + ": a list template must be a single {{expression}}");
  const nlohmann::json value = evaluate(parts_[0], doc);
  std::vector<std::string> out;
  if (value.is_null() || value.is_object())
    throw_bad_input(where_ + ": the document's '" + parts_[0].path.back() + "' is " +
                    (value.is_null() ? "null" : "an object") + ", not a list of texts");
  if (!value.is_array()) {
    out.push_back(text::apply(then_, value_text(value)));
    return out;
  }
  for (const auto& element : value) {
    if (element.is_array() || element.is_object())
      throw_bad_input(where_ + ": the list holds lists or objects, not text");
    out.push_back(text::apply(then_, value_text(element)));
  }
  return out;
}

}  // namespace llmdrop
