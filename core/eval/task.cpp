#include "eval/task.h"

#include <cstdlib>
#include <fstream>
#include <set>

#include "checkpoint/default_model.h"
#include "util/error.h"
#include "util/input.h"
#include "util/parse.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {

// Reads one task file's fields, naming the file and the field in every error.
class Reader {
 public:
  Reader(const nlohmann::json& spec, std::string where) : spec_(spec), where_(std::move(where)) {
    if (!spec_.is_object()) throw_bad_input(where_ + " must be a JSON object");
  }

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw_bad_input(where_ + ": field '" + field + "' " + problem);
  }
  bool has(const std::string& key) const { return spec_.contains(key) && !spec_[key].is_null(); }
  const nlohmann::json& at(const std::string& key) const {
    if (!has(key)) fail(key, "is missing");
    return spec_[key];
  }
  std::string string(const std::string& key, std::optional<std::string> fallback = std::nullopt) const {
    if (!has(key)) {
      if (fallback) return *fallback;
      fail(key, "is missing");
    }
    if (!spec_[key].is_string()) fail(key, "must be a string");
    return spec_[key].get<std::string>();
  }
  int64_t integer(const std::string& key, int64_t fallback) const {
    if (!has(key)) return fallback;
    return json_int(spec_[key], field(key));
  }
  bool boolean(const std::string& key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!spec_[key].is_boolean()) fail(key, "must be true or false");
    return spec_[key].get<bool>();
  }
  std::vector<std::string> strings(const std::string& key, bool required) const {
    if (!has(key)) {
      if (required) fail(key, "is missing");
      return {};
    }
    const auto& v = spec_[key];
    if (v.is_string()) return {v.get<std::string>()};
    if (!v.is_array()) fail(key, "must be a string or a list of strings");
    std::vector<std::string> out;
    for (const auto& e : v) {
      if (!e.is_string()) fail(key, "must be a list of strings");
      out.push_back(e.get<std::string>());
    }
    if (required && out.empty()) fail(key, "must not be an empty list");
    return out;
  }
  std::string field(const std::string& key) const { return where_ + ": " + key; }
  const std::string& where() const { return where_; }

 private:
  const nlohmann::json& spec_;
  std::string where_;
};

TextList parse_text_list(const nlohmann::json& spec, const std::string& where, const Pipelines& pipelines) {
  TextList list;
  if (spec.is_array()) {
    for (size_t i = 0; i < spec.size(); ++i)
      list.items.push_back(DocTemplate::parse(spec[i], where + "[" + std::to_string(i) + "]", pipelines));
    if (list.items.empty()) throw_bad_input(where + ": the list of choices is empty");
  } else {
    list.list = DocTemplate::parse(spec, where, pipelines);
  }
  return list;
}

IndexSpec parse_index(const nlohmann::json& spec, const std::string& where, const Pipelines& pipelines) {
  IndexSpec index;
  if (spec.is_object() && spec.contains("index_of")) {
    if (!spec.contains("in"))
      throw_bad_input(where + ": field 'in' is missing (the list to look 'index_of' up in)");
    index.value = DocTemplate::parse(spec["index_of"], where + ".index_of", pipelines);
    index.in = parse_text_list(spec["in"], where + ".in", pipelines);
  } else {
    index.direct = DocTemplate::parse(spec, where, pipelines);
  }
  return index;
}

OutputType parse_output_type(const std::string& s, const Reader& r) {
  if (s == "multiple_choice") return OutputType::MultipleChoice;
  if (s == "loglikelihood") return OutputType::Loglikelihood;
  if (s == "loglikelihood_rolling") return OutputType::LoglikelihoodRolling;
  if (s == "generate_until") return OutputType::GenerateUntil;
  r.fail("output_type",
         "must be multiple_choice, loglikelihood, loglikelihood_rolling or generate_until, not '" + s + "'");
}

const std::set<std::string>& metrics_for(OutputType type) {
  static const std::map<OutputType, std::set<std::string>> table = {
      {OutputType::MultipleChoice, {"acc", "acc_norm", "acc_bytes"}},
      {OutputType::Loglikelihood, {"acc", "perplexity"}},
      {OutputType::LoglikelihoodRolling, {"word_perplexity", "byte_perplexity", "bits_per_byte"}},
      {OutputType::GenerateUntil, {"exact_match"}},
  };
  return table.at(type);
}

Layout parse_layout(const nlohmann::json& spec, const std::string& where, const TaskSpec& task,
                    const Pipelines& pipelines) {
  if (!spec.is_object()) throw_bad_input(where + ": a layout must be an object");
  Reader r(spec, where);
  Layout layout;
  layout.name = r.string("name", "layout");
  layout.fields = r.strings("fields", true);
  if (layout.fields.empty()) r.fail("fields", "must name at least one field that identifies the layout");
  auto tmpl = [&](const std::string& key) { return DocTemplate::parse(r.at(key), r.field(key), pipelines); };
  switch (task.output_type) {
    case OutputType::MultipleChoice:
      layout.doc_to_choice = parse_text_list(r.at("doc_to_choice"), r.field("doc_to_choice"), pipelines);
      if (task.multiple_input) {
        layout.target_text = tmpl("doc_to_target");
        layout.doc_to_target = parse_index(r.at("doc_to_gold"), r.field("doc_to_gold"), pipelines);
      } else {
        layout.doc_to_text = tmpl("doc_to_text");
        layout.doc_to_target = parse_index(r.at("doc_to_target"), r.field("doc_to_target"), pipelines);
      }
      break;
    case OutputType::Loglikelihood:
    case OutputType::GenerateUntil:
      layout.doc_to_text = tmpl("doc_to_text");
      layout.target_text = tmpl("doc_to_target");
      break;
    case OutputType::LoglikelihoodRolling:
      layout.target_text = tmpl("doc_to_target");
      layout.count_text = r.has("count_text") ? tmpl("count_text") : layout.target_text;
      break;
  }
  return layout;
}

}  // namespace

std::vector<std::string> TextList::render(const nlohmann::json& doc) const {
  if (items.empty()) return list.render_list(doc);
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.render(doc));
  return out;
}

int64_t IndexSpec::render(const nlohmann::json& doc) const {
  if (value.defined()) {
    const std::string wanted = value.render(doc);
    const auto options = in.render(doc);
    for (size_t i = 0; i < options.size(); ++i)
      if (options[i] == wanted) return static_cast<int64_t>(i);
    throw_bad_input("the answer '" + wanted + "' is not among the listed labels");
  }
  const std::string text = direct.render(doc);
  if (text == "True" || text == "true") return 1;
  if (text == "False" || text == "false") return 0;
  const auto index = parse_int(text);
  if (!index) throw_bad_input("the gold index '" + text + "' is not an integer");
  return *index;
}

std::string RegexFilter::apply(const std::string& response) const {
  // Python's re.findall: the whole match without groups, group 1 with one group, else the groups of the
  // match.
  std::vector<std::optional<std::string>> found;
  for (const auto& m : regex.find_all(response)) {
    if (m.groups.size() <= 2) {
      found.emplace_back(m.groups.back().value_or(""));
      continue;
    }
    std::optional<std::string> first_nonempty;
    for (size_t g = 1; g < m.groups.size() && !first_nonempty; ++g)
      if (m.groups[g] && !m.groups[g]->empty()) first_nonempty = m.groups[g];
    found.push_back(first_nonempty);
  }
  int64_t i = group_select < 0 ? static_cast<int64_t>(found.size()) + group_select : group_select;
  if (i < 0 || i >= static_cast<int64_t>(found.size()) || !found[i]) return fallback;
  return text::strip(*found[i]);
}

bool ExactMatch::matches(const std::string& prediction, const std::string& reference) const {
  std::string p = prediction, r = reference;
  const Regex::Replacement nothing;
  for (const auto& re : ignore) {
    p = re.replace_all(p, nothing);
    r = re.replace_all(r, nothing);
  }
  if (ignore_case) p = text::lower(p), r = text::lower(r);
  return p == r;
}

bool TaskSpec::has_metric(const std::string& metric) const {
  return std::find(metrics.begin(), metrics.end(), metric) != metrics.end();
}

const Layout& TaskSpec::layout_for(const nlohmann::json& record, const std::string& file) const {
  if (record.is_object())
    for (const auto& layout : layouts) {
      bool all = true;
      for (const auto& f : layout.fields) all = all && record.contains(f);
      if (all) return layout;
    }
  std::string have, want;
  if (record.is_object())
    for (const auto& [key, value] : record.items()) have += (have.empty() ? "" : ", ") + key;
  for (const auto& layout : layouts) {
    std::string fields;
    for (const auto& f : layout.fields) fields += (fields.empty() ? "" : ", ") + f;
    want += "\n  " + layout.name + ": " + fields;
  }
  throw_bad_input(file + ": records have the fields [" + have + "], but task '" + name +
                  "' reads one of these layouts:" + want);
}

TaskSpec parse_task(const nlohmann::json& spec, const fs::path& source) {
  const std::string where = "task file " + source.string();
  if (!spec.is_object()) throw_bad_input(where + ": must hold a JSON object");
  Reader r(spec, where);
  TaskSpec task;
  task.source = source;
  task.name = r.string("task");
  task.about = r.string("about", "");
  task.output_type = parse_output_type(r.string("output_type"), r);
  task.multiple_input = r.boolean("multiple_input", false);
  if (task.multiple_input && task.output_type != OutputType::MultipleChoice)
    r.fail("multiple_input", "only applies to multiple_choice tasks");
  task.folders = r.strings("folders", true);
  task.test_split = r.string("test_split");
  const auto& splits = r.at("splits");
  if (!splits.is_object()) r.fail("splits", "must map split names to file patterns");
  for (const auto& [split, patterns] : splits.items())
    task.splits[split] = Reader(splits, where + ": splits").strings(split, true);
  if (!task.splits.count(task.test_split))
    r.fail("splits", "has no entry for the test split '" + task.test_split + "'");

  task.num_fewshot = r.integer("num_fewshot", 0);
  if (task.num_fewshot < 0) r.fail("num_fewshot", "must not be negative");
  if (r.has("fewshot")) {
    Reader f(r.at("fewshot"), where + ": fewshot");
    task.fewshot_split = f.string("split", "");
    task.fewshot_sampler = f.string("sampler", "random");
    if (task.fewshot_sampler != "random" && task.fewshot_sampler != "first_n")
      f.fail("sampler", "must be 'random' or 'first_n'");
    task.fewshot_seed = static_cast<uint64_t>(f.integer("seed", 1234));
    if (!task.fewshot_split.empty() && !task.splits.count(task.fewshot_split))
      f.fail("split", "names a split that 'splits' does not define: '" + task.fewshot_split + "'");
  }
  task.target_delimiter = r.string("target_delimiter", " ");
  task.fewshot_delimiter = r.string("fewshot_delimiter", "\n\n");

  Pipelines pipelines;
  if (r.has("preprocess")) {
    const auto& pre = r.at("preprocess");
    if (!pre.is_object()) r.fail("preprocess", "must map pipeline names to lists of steps");
    for (const auto& [name, steps] : pre.items()) {
      if (!steps.is_array()) r.fail("preprocess." + name, "must be a list of steps");
      for (size_t i = 0; i < steps.size(); ++i)
        pipelines[name].push_back(
            text::Step::parse(steps[i], where + ": preprocess." + name + "[" + std::to_string(i) + "]"));
    }
  }
  task.description = DocTemplate::parse(r.has("description") ? r.at("description") : nlohmann::json(""),
                                        r.field("description"), pipelines);

  task.metrics = r.strings("metrics", true);
  const auto& allowed = metrics_for(task.output_type);
  for (const auto& m : task.metrics)
    if (!allowed.count(m)) r.fail("metrics", "lists '" + m + "', which this output_type does not compute");
  if (task.multiple_input && (task.has_metric("acc_norm") || task.has_metric("acc_bytes")))
    r.fail("metrics", "acc_norm and acc_bytes are not defined for multiple_input tasks");

  const auto& layouts = r.at("layouts");
  if (!layouts.is_array() || layouts.empty()) r.fail("layouts", "must be a non-empty list");
  for (size_t i = 0; i < layouts.size(); ++i)
    task.layouts.push_back(
        parse_layout(layouts[i], where + ": layouts[" + std::to_string(i) + "]", task, pipelines));

  if (task.output_type == OutputType::GenerateUntil) {
    Reader g(r.at("generation"), where + ": generation");
    task.until = g.strings("until", false);
    task.max_gen_toks = g.integer("max_gen_toks", 256);
    if (task.max_gen_toks < 1) g.fail("max_gen_toks", "must be at least 1");
    const auto& filters = r.at("filters");
    if (!filters.is_array() || filters.empty()) r.fail("filters", "must be a non-empty list");
    for (size_t i = 0; i < filters.size(); ++i) {
      Reader fr(filters[i], where + ": filters[" + std::to_string(i) + "]");
      RegexFilter filter;
      filter.name = fr.string("name");
      filter.pattern = fr.string("regex");
      filter.regex = Regex::compile(filter.pattern, fr.field("regex"));
      filter.group_select = fr.integer("group_select", 0);
      filter.fallback = fr.string("fallback", "[invalid]");
      task.filters.push_back(std::move(filter));
    }
    if (r.has("exact_match")) {
      Reader em(r.at("exact_match"), where + ": exact_match");
      task.exact_match.ignore_case = em.boolean("ignore_case", false);
      for (const auto& pattern : em.strings("regexes_to_ignore", false))
        task.exact_match.ignore.push_back(Regex::compile(pattern, em.field("regexes_to_ignore")));
    }
  }
  return task;
}

TaskSpec load_task_file(const fs::path& file) {
  return parse_task(parse_json(read_file(file, kMaxMetadataBytes), "task file " + file.string()), file);
}

std::vector<fs::path> task_folders() {
  std::vector<fs::path> folders;
  if (const char* env = std::getenv("LLMDROP_TASKS_DIR"); env && *env) folders.emplace_back(env);
  if (const char* home = std::getenv("HOME"); home && *home)
    folders.push_back(fs::path(home) / ".config/llmdrop/tasks");
  if (auto builtin = find_builtin_tasks(executable_dir())) folders.push_back(*builtin);
  return folders;
}

TaskSpec find_task(const std::string& name) {
  std::error_code ec;
  for (const auto& folder : task_folders())
    if (fs::is_regular_file(folder / (name + ".json"), ec)) return load_task_file(folder / (name + ".json"));
  std::string known;
  for (const auto& t : available_tasks()) known += (known.empty() ? "" : ", ") + t;
  throw_bad_input("unknown task '" + name + "' (available: " + known + ")");
}

std::vector<std::string> available_tasks() {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& folder : task_folders())
    for (const auto& entry : fs::directory_iterator(folder, ec))
      if (entry.path().extension() == ".json") names.insert(entry.path().stem().string());
  return {names.begin(), names.end()};
}

}  // namespace llmdrop
