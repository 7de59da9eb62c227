#pragma once
// Finding and reading a task's local data files: JSON Lines, JSON arrays, or raw WikiText (split into pages).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "eval/task.h"

namespace llmdrop {

struct DataSources {
  std::vector<std::filesystem::path> data_dirs;        // searched in order for <dir>/<task folder>/
  std::map<std::string, std::filesystem::path> files;  // task → its evaluation file (--data task=FILE)
};

struct TaskData {
  std::string subtask;               // the {placeholder} value of a file pattern (an MMLU subject); or empty
  std::vector<nlohmann::json> docs;  // evaluation documents, in file order
  std::vector<nlohmann::json> fewshot;       // the few-shot split; empty when the task samples from `docs`
  std::string origin;                        // the files read, for messages
  std::vector<std::filesystem::path> files;  // every file read (evaluation and few-shot), in reading order
};

// The task's documents by subtask, and its few-shot split when `num_fewshot` examples are asked for (none is
// read for 0). BadInput when no file or no document is found.
std::vector<TaskData> load_task_data(const TaskSpec& task, const DataSources& sources, int64_t num_fewshot);

// Records of one file: .jsonl (one object per line), .json (an array), .raw (WikiText: pages as {"page": …}).
std::vector<nlohmann::json> read_records(const std::filesystem::path& file);

// lm-eval's wikitext_document_level pages of a raw WikiText file.
std::vector<std::string> wikitext_pages(const std::string& raw);

}  // namespace llmdrop
