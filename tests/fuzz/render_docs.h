#pragma once
// What the evaluator does with a task and a document before any model runs: pick the record's layout and
// render its prompt, choices, gold index and target; and the generation filters on a response. Shared by
// fuzz_task (fuzzed task, fixture documents) and fuzz_dataset (built-in tasks, fuzzed documents).
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "eval/task.h"
#include "fuzz_support.h"

namespace llmdrop::fuzz {

// Each rendering may refuse the document with llmdrop::Error; nothing else may escape.
inline void render_doc(const TaskSpec& task, const nlohmann::json& doc) {
  expect_only_errors([&] {
    const Layout& layout = task.layout_for(doc, "fuzzed document");
    task.description.render(doc);
    if (layout.doc_to_text.defined()) layout.doc_to_text.render(doc);
    if (layout.target_text.defined()) layout.target_text.render(doc);
    if (layout.count_text.defined()) layout.count_text.render(doc);
    layout.doc_to_choice.render(doc);
    layout.doc_to_target.render(doc);
  });
}

inline void apply_filters(const TaskSpec& task) {
  for (const std::string response : {"The answer is #### 1,234.5 so $12", "", "no number here\n\n#### "}) {
    expect_only_errors([&] {
      for (const auto& filter : task.filters) task.exact_match.matches(filter.apply(response), "1234.5");
    });
  }
}

// The first record of every fixture data file (tests/data/eval/hf): documents of every built-in layout.
inline const std::vector<nlohmann::json>& fixture_docs() {
  static const std::vector<nlohmann::json>& docs = *new std::vector<nlohmann::json>([] {
    std::vector<nlohmann::json> out;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(source_dir() / "tests/data/eval/hf")) {
      if (entry.path().extension() != ".jsonl") continue;
      std::ifstream in(entry.path());
      std::string line;
      if (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
    }
    return out;
  }());
  return docs;
}

}  // namespace llmdrop::fuzz
