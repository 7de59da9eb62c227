// A task's data file: read_records on the input as .json and .raw, and load_task_data on it as .jsonl for
// every built-in task (--data TASK=FILE), its first documents rendered. Seeds: the fixture data files
// (CMakeLists.txt) and these.
#include "eval/dataset.h"
#include "fuzz_support.h"
#include "render_docs.h"

namespace fs = std::filesystem;

namespace {

const std::vector<llmdrop::TaskSpec>& builtin_tasks() {
  static const std::vector<llmdrop::TaskSpec>& tasks = *new std::vector<llmdrop::TaskSpec>([] {
    std::vector<llmdrop::TaskSpec> out;
    for (const auto& entry : fs::directory_iterator(llmdrop::fuzz::source_dir() / "resources/tasks"))
      if (entry.path().extension() == ".json") out.push_back(llmdrop::load_task_file(entry.path()));
    return out;
  }());
  return tasks;
}

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  const std::string arc =
      R"({"id": "1", "question": "Why?", "choices": {"text": ["a", "b"], "label": ["A", "B"]}, )"
      R"("answerKey": "B"})";
  llmdrop::fuzz::Seeds seeds = {
      {"array.json", "[" + arc + ", " + arc + "]"},
      {"blank-lines.jsonl", "\n\n" + arc + "\n\n  \n\t\n" + arc + "\n\n"},
      {"crlf.jsonl", arc + "\r\n" + arc + "\r\n"},
      {"missing-key.jsonl", R"({"question": "Why?", "choices": {"text": ["a", "b"]}, "answerKey": "B"})"},
      {"wrong-types.jsonl", R"({"question": 1, "choices": {"text": "ab", "label": 2}, "answerKey": ["B"]})"
                            "\n"
                            R"({"question": null, "choices": [1, 2], "answerKey": {"a": 1}, "label": "x"})"},
      {"huge-index.jsonl",
       R"({"sentence": "a _ b", "option1": "x", "option2": "y", "answer": "1099511627780"})"
       "\n"
       R"({"passage": "p", "question": "q", "label": 1e12})"
       "\n"
       R"({"ctx": "c", "endings": ["a"], "label": 1099511627780, "activity_label": "x"})"},
      {"negative-index.jsonl", R"({"premise": "p", "hypothesis": "h", "label": -1})"},
      {"not-objects.jsonl", "1\n\"text\"\n[1, 2]\nnull\n"},
      {"partial-last.jsonl", arc + "\n{\"question\": \"Wh"},
      {"wikitext.raw", " = Title = \n\n text \n = = Section = = \n more \n\n = Next = \n"},
  };
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_variants("arc.jsonl", arc + "\n" + arc + "\n"));
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_seeds());
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = llmdrop::fuzz::as_text(data, size);
  for (const char* name : {"data.json", "data.raw"}) {
    const auto path = llmdrop::fuzz::write_input(name, input);
    llmdrop::fuzz::expect_only_errors([&] { llmdrop::read_records(path); });
  }
  // As --data TASK=FILE: every built-in task's documents (and few-shot examples), rendered.
  const auto path = llmdrop::fuzz::write_input("data.jsonl", input);
  for (const auto& task : builtin_tasks()) {
    llmdrop::fuzz::expect_only_errors([&] {
      llmdrop::DataSources sources;
      sources.files[task.name] = path;
      for (const auto& group : llmdrop::load_task_data(task, sources, task.num_fewshot))
        for (size_t i = 0; i < group.docs.size() && i < 8; ++i)
          llmdrop::fuzz::render_doc(task, group.docs[i]);
    });
  }
  return 0;
}
