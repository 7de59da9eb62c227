// A task's data file, all the way through the evaluator: evaluate() on the llama fixture (64 wide, 6 layers)
// for every built-in task whose layout the file's first record fits, two documents each (--data TASK=FILE
// --limit 2). Reaches what fuzz_dataset does not: request building, few-shot contexts, generation, metrics.
// Seeds: the fixture data files (CMakeLists.txt) and fuzz_dataset's.
#include <memory>

#include "checkpoint/checkpoint.h"
#include "checkpoint/tokenizer.h"
#include "eval/dataset.h"
#include "eval/evaluator.h"
#include "fuzz_support.h"
#include "model/model.h"

namespace fs = std::filesystem;

namespace {

struct Loaded {
  std::unique_ptr<llmdrop::Model> model;
  std::unique_ptr<llmdrop::Tokenizer> tokenizer;
  std::vector<llmdrop::TaskSpec> tasks;
};

const Loaded& loaded() {
  static const Loaded& l = *new Loaded([] {
    const auto checkpoint =
        llmdrop::Checkpoint::open(llmdrop::fuzz::source_dir() / "tests/data/models/llama");
    llmdrop::LoadOptions options;
    options.dtype = "float32";
    Loaded out;
    out.tokenizer =
        std::make_unique<llmdrop::Tokenizer>(llmdrop::Tokenizer::open(checkpoint.dir, checkpoint.config));
    out.model = llmdrop::Model::load(checkpoint, options);
    for (const auto& name : llmdrop::available_tasks()) out.tasks.push_back(llmdrop::find_task(name));
    return out;
  }());
  return l;
}

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  const std::string arc =
      R"({"id": "1", "question": "Why?", "choices": {"text": ["a", "b"], "label": ["A", "B"]}, )"
      R"("answerKey": "B"})";
  return {
      {"arc.jsonl", arc + "\n" + arc + "\n"},
      {"arc-bad-gold.jsonl",
       R"({"question": "Why?", "choices": {"text": ["a"], "label": ["A"]}, "answerKey": "Z"})"},
      {"arc-empty-choices.jsonl",
       R"({"question": "Why?", "choices": {"text": [], "label": []}, "answerKey": "A"})"},
      {"boolq.jsonl", R"({"question": "is it", "passage": "it is", "label": 1099511627780})"},
      {"hellaswag.jsonl", R"({"ctx": "c", "activity_label": "a", "endings": ["x", "y"], "label": "-1"})"},
      {"winogrande.jsonl", R"({"sentence": "no blank here", "option1": "x", "option2": "y", "answer": "2"})"},
      {"gsm8k.jsonl", R"({"question": "1+1?", "answer": "#### 2"})"},
      {"lambada.jsonl", R"({"text": ""})"
                        "\n"
                        R"({"text": "word"})"},
      {"wikitext.jsonl", R"({"page": ""})"},
      {"mmlu.jsonl", R"({"question": "q", "subject": "", "choices": ["a"], "answer": 5})"},
      {"empty.jsonl", ""},
      {"blank-lines.jsonl", "\n\n  \n"},
  };
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = llmdrop::fuzz::write_input("data.jsonl", llmdrop::fuzz::as_text(data, size));
  const Loaded& l = loaded();
  std::vector<nlohmann::json> records;
  llmdrop::fuzz::expect_only_errors([&] { records = llmdrop::read_records(path); });
  if (records.empty()) return 0;
  for (const auto& task : l.tasks) {
    try {
      task.layout_for(records.front(), "data.jsonl");
    } catch (const llmdrop::Error&) {
      continue;  // another task's data
    }
    llmdrop::fuzz::expect_only_errors([&] {
      llmdrop::EvalOptions options;
      options.tasks = {task.name};
      options.data.files[task.name] = path;
      options.limit = 2;
      options.batch_size = 2;
      options.max_gen_toks = 4;
      llmdrop::evaluate(*l.model, *l.tokenizer, options);
    });
  }
  return 0;
}
