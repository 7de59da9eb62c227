#pragma once
// An evaluation task defined by data: a JSON file (resources/tasks/*.json, or the user's tasks folder) with
// the dataset's files and record layouts, lm-eval's doc_to_text / doc_to_choice / doc_to_target templates,
// few-shot settings, delimiters, metrics and preprocessing pipelines. See docs/evaluation.md and
// resources/tasks/README.md.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eval/doc_template.h"
#include "util/regex.h"

namespace llmdrop {

enum class OutputType { MultipleChoice, Loglikelihood, LoglikelihoodRolling, GenerateUntil };

// A list of texts from a document: one list template ("{{choices.text}}") or one template per item.
struct TextList {
  DocTemplate list;
  std::vector<DocTemplate> items;
  std::vector<std::string> render(const nlohmann::json& doc) const;
};

// An index from a document: a template giving the number ("{{gold}}"; true/false count as 1/0), or the
// position of a value in a list ({"index_of": "{{answerKey}}", "in": "{{choices.label}}"}).
struct IndexSpec {
  DocTemplate direct;
  DocTemplate value;
  TextList in;
  int64_t render(const nlohmann::json& doc) const;
};

// How one record layout maps to prompts; chosen when a record has every field in `fields`.
struct Layout {
  std::string name;
  std::vector<std::string> fields;
  DocTemplate doc_to_text;  // the question (multiple choice, generation) or the context (loglikelihood)
  TextList doc_to_choice;   // multiple choice: the answers; multiple input: the contexts
  IndexSpec doc_to_target;  // multiple choice: the gold index
  DocTemplate target_text;  // loglikelihood / rolling / generation / multiple input: the target text
  DocTemplate count_text;   // rolling: the text whose words and bytes normalise perplexity
};

struct RegexFilter {
  std::string name;  // "strict-match"
  std::string pattern;
  Regex regex;
  int64_t group_select = 0;  // which match (negative: from the end)
  std::string fallback = "[invalid]";
  std::string apply(const std::string& response) const;
};

struct ExactMatch {
  bool ignore_case = false;
  std::vector<Regex> ignore;  // removed from prediction and reference
  bool matches(const std::string& prediction, const std::string& reference) const;
};

struct TaskSpec {
  std::string name;
  std::string about;
  std::filesystem::path source;  // the task file
  OutputType output_type = OutputType::MultipleChoice;
  bool multiple_input = false;       // the choices are contexts and the target is a shared continuation
  std::vector<std::string> folders;  // where the data lives under a data folder, first found wins
  std::string test_split;
  std::map<std::string, std::vector<std::string>> splits;  // split → file patterns ('*', '{subtask}')
  int64_t num_fewshot = 0;
  std::string fewshot_split;  // empty: sample from the evaluation documents (excluding the current one)
  std::string fewshot_sampler = "random";  // "random" (seeded by document index) or "first_n"
  uint64_t fewshot_seed = 1234;
  DocTemplate description;
  std::string target_delimiter = " ";
  std::string fewshot_delimiter = "\n\n";
  std::vector<std::string> metrics;
  std::vector<Layout> layouts;
  std::vector<std::string> until;  // generation stops
  int64_t max_gen_toks = 256;
  std::vector<RegexFilter> filters;
  ExactMatch exact_match;

  bool has_metric(const std::string& metric) const;
  // The layout whose fields the record has; a clear error listing what each layout needs otherwise.
  const Layout& layout_for(const nlohmann::json& record, const std::string& file) const;
};

// Parses a task definition; every error names the file and the field.
TaskSpec parse_task(const nlohmann::json& spec, const std::filesystem::path& source);
TaskSpec load_task_file(const std::filesystem::path& file);

// Folders searched for <name>.json, first match wins: $LLMDROP_TASKS_DIR, ~/.config/llmdrop/tasks (the
// user's), then the built-in tasks (installed share/llmdrop/tasks, or the source tree's resources/tasks).
std::vector<std::filesystem::path> task_folders();
TaskSpec find_task(const std::string& name);
std::vector<std::string> available_tasks();

}  // namespace llmdrop
