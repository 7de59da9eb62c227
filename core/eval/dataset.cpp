#include "eval/dataset.h"

#include <regex>
#include <set>
#include <sstream>

#include "eval/doc_template.h"
#include "eval/text_ops.h"
#include "util/error.h"
#include "util/input.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {

// A file pattern: path components with '*' and at most one {placeholder} name.
struct Pattern {
  std::vector<std::string> components;
  std::string placeholder;  // empty: none
};

Pattern parse_pattern(const std::string& text) {
  Pattern p;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, '/');)
    if (!part.empty()) p.components.push_back(part);
  const std::regex ph(R"(\{([A-Za-z_][A-Za-z0-9_]*)\})");
  std::smatch m;
  if (std::regex_search(text, m, ph)) p.placeholder = m.str(1);
  return p;
}

// Regex of one component; the placeholder becomes a capture group.
std::regex component_regex(const std::string& component, const std::string& placeholder) {
  std::string re;
  for (size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c == '*') {
      re += "[^/]*";
    } else if (c == '{' && !placeholder.empty() &&
               component.compare(i, placeholder.size() + 2, "{" + placeholder + "}") == 0) {
      re += "(.+)";
      i += placeholder.size() + 1;
    } else {
      if (std::string("\\^$.|?+()[]{}").find(c) != std::string::npos) re += '\\';
      re += c;
    }
  }
  return std::regex(re);
}

struct Match {
  fs::path path;
  std::string value;  // the placeholder's value
};

void glob(const fs::path& dir, const Pattern& p, size_t index, const std::string& value,
          std::vector<Match>& out) {
  if (index == p.components.size()) {
    out.push_back({dir, value});
    return;
  }
  const std::regex re = component_regex(p.components[index], p.placeholder);
  const bool last = index + 1 == p.components.size();
  std::error_code ec;
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(dir, ec)) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& entry : entries) {
    std::smatch m;
    const std::string name = entry.filename().string();
    if (!std::regex_match(name, m, re)) continue;
    if (last ? !fs::is_regular_file(entry, ec) : !fs::is_directory(entry, ec)) continue;
    const std::string captured = m.size() > 1 ? m.str(1) : "";
    if (!captured.empty() && !value.empty() && captured != value) continue;
    glob(entry, p, index + 1, value.empty() ? captured : value, out);
  }
}

// The matches of the first pattern of `patterns` that finds anything under `dir`; with `value`, only files
// whose placeholder equals it.
std::vector<Match> find_files(const fs::path& dir, const std::vector<std::string>& patterns,
                              const std::string& value) {
  for (const auto& text : patterns) {
    const Pattern p = parse_pattern(text);
    std::vector<Match> matches;
    glob(dir, p, 0, p.placeholder.empty() ? "" : value, matches);
    if (!matches.empty()) return matches;
  }
  return {};
}

std::string join_patterns(const std::vector<std::string>& patterns) {
  std::string s;
  for (const auto& p : patterns) s += (s.empty() ? "" : " or ") + p;
  return s;
}

std::vector<nlohmann::json> read_all(const std::vector<Match>& matches, const std::string& placeholder,
                                     std::string& origin) {
  std::vector<nlohmann::json> docs;
  for (const auto& m : matches) {
    origin += (origin.empty() ? "" : ", ") + m.path.string();
    for (auto& record : read_records(m.path)) {
      if (!placeholder.empty() && record.is_object() && !record.contains(placeholder))
        record[placeholder] = m.value;
      docs.push_back(std::move(record));
    }
  }
  return docs;
}

}  // namespace

std::vector<std::string> wikitext_pages(const std::string& raw) {
  std::vector<std::string> pages, lines;
  auto join = [&] {
    std::string page;
    for (size_t i = 0; i < lines.size(); ++i) page += (i ? "\n" : "") + lines[i];
    return page;
  };
  size_t pos = 0;
  while (true) {  // Python's str.split("\n"): a final newline leaves an empty last line
    const size_t nl = raw.find('\n', pos);
    const std::string line = raw.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    const std::string heading =
        text::strip(text::replace_all(text::replace_all(line, "= = =", "==="), "= =", "=="));
    if (heading.rfind("= ", 0) == 0 && heading.size() >= 2 &&
        heading.compare(heading.size() - 2, 2, " =") == 0) {
      const std::string page = join();
      if (!text::strip(page).empty()) pages.push_back(page);
      lines.clear();
    }
    lines.push_back(line);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  pages.push_back(join());
  return pages;
}

std::vector<nlohmann::json> read_records(const fs::path& file) {
  const std::string content = read_file(file, kMaxDataBytes);
  std::vector<nlohmann::json> records;
  const std::string ext = file.extension().string();
  if (ext == ".raw") {
    for (auto& page : wikitext_pages(content)) records.push_back({{"page", page}});
    return records;
  }
  if (ext == ".json") {
    nlohmann::json all = parse_json(content, file.string());
    if (!all.is_array()) throw_bad_input(file.string() + ": expected a JSON array of records");
    for (auto& r : all) records.push_back(std::move(r));
    return records;
  }
  std::istringstream in(std::string(strip_bom(content)));
  int64_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (text::strip(line).empty()) continue;
    records.push_back(parse_json(line, file.string() + ":" + std::to_string(line_no)));
  }
  return records;
}

std::vector<TaskData> load_task_data(const TaskSpec& task, const DataSources& sources, int64_t num_fewshot) {
  const auto& test_patterns = task.splits.at(task.test_split);
  const std::string placeholder = parse_pattern(test_patterns.front()).placeholder;
  fs::path base;
  std::vector<Match> test_files;
  std::error_code ec;
  if (auto it = sources.files.find(task.name); it != sources.files.end()) {
    if (!fs::is_regular_file(it->second, ec))
      throw_bad_input("--data " + task.name + "=" + it->second.string() + ": no such file");
    base = it->second.parent_path();
    test_files.push_back({it->second, ""});
  } else {
    std::string looked;
    for (const auto& dir : sources.data_dirs)
      for (const auto& folder : task.folders) {
        if (!test_files.empty()) break;
        looked += "\n  " + (dir / folder / join_patterns(test_patterns)).string();
        test_files = find_files(dir / folder, test_patterns, "");
        if (!test_files.empty()) base = dir / folder;
      }
    if (test_files.empty())
      throw_bad_input("no data for task " + task.name + ": looked for" +
                      (looked.empty() ? std::string(" nothing (no --data-dir given)") : looked) +
                      "\n  give the folder holding " + task.folders.front() + "/ (llmdrop: --data-dir DIR; " +
                      "llmdrop eval also takes --data " + task.name + "=FILE)");
  }
  // Documents by subtask: the file's placeholder value, or (one file holding every subtask, like a Hugging
  // Face "all" split) the documents' own field of that name. Without a placeholder there is one group, in
  // file order.
  std::map<std::string, TaskData> groups;
  for (const auto& m : test_files) {
    std::string origin;
    for (auto& doc : read_all({m}, placeholder, origin)) {
      std::string key = m.value;
      if (key.empty() && !placeholder.empty()) {
        if (!doc.is_object() || !doc.contains(placeholder))
          throw_bad_input(m.path.string() + ": records have no field '" + placeholder + "' to group " +
                          task.name + "'s subtasks by");
        key = value_text(doc[placeholder]);
      }
      TaskData& data = groups[key];
      if (data.origin.find(m.path.string()) == std::string::npos) {
        data.origin += (data.origin.empty() ? "" : ", ") + m.path.string();
        data.files.push_back(m.path);
      }
      data.docs.push_back(std::move(doc));
    }
  }
  if (groups.empty()) {
    std::string files;
    for (const auto& m : test_files) files += (files.empty() ? "" : ", ") + m.path.string();
    throw_bad_input("task " + task.name + ": no documents in " + files);
  }
  std::vector<TaskData> out;
  for (auto& [value, data] : groups) {
    data.subtask = value;
    if (data.docs.empty()) throw_bad_input("no documents in " + data.origin);
    if (num_fewshot > 0 && !task.fewshot_split.empty()) {
      const auto& patterns = task.splits.at(task.fewshot_split);
      const auto shots = find_files(base, patterns, value);
      for (const auto& shot : shots) data.files.push_back(shot.path);
      std::string origin;
      for (auto& doc : read_all(shots, placeholder, origin))
        if (placeholder.empty() ||
            (doc.is_object() && doc.contains(placeholder) && value_text(doc[placeholder]) == value))
          data.fewshot.push_back(std::move(doc));
      if (data.fewshot.empty())
        throw_bad_input("task " + task.name + ": no few-shot data" + (value.empty() ? "" : " for " + value) +
                        " (" + task.fewshot_split + " split, " + join_patterns(patterns) + ") in " +
                        base.string());
    }
    out.push_back(std::move(data));
  }
  return out;
}

}  // namespace llmdrop
