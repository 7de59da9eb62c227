// A task definition: load_task_file on the input, then its templates rendered on the fixture documents and
// its filters applied to a few responses. Seeds: the built-in tasks (resources/tasks, CMakeLists.txt) and
// these.
#include "eval/task.h"
#include "fuzz_support.h"
#include "render_docs.h"

llmdrop::fuzz::Seeds fuzz_seeds() {
  const std::string head =
      R"("task": "t", "output_type": "multiple_choice", "folders": ["t"], "test_split": "test",
         "splits": {"test": ["test.jsonl"]}, "metrics": ["acc"], )";
  const std::string layout =
      R"("layouts": [{"fields": ["question", "choices", "answerKey"], "doc_to_text": "Q: {{question|strip}}",
          "doc_to_choice": "{{choices.text}}",
          "doc_to_target": {"index_of": "{{answerKey}}", "in": "{{choices.label}}"}}])";
  llmdrop::fuzz::Seeds seeds = {
      {"missing-layouts.json", "{" + head.substr(0, head.size() - 2) + "}"},
      {"missing-task.json", R"({"output_type": "loglikelihood", "layouts": []})"},
      {"wrong-types.json",
       R"({"task": 1, "output_type": ["multiple_choice"], "folders": {}, "test_split": null,
          "splits": [], "metrics": "acc", "layouts": {}, "num_fewshot": "5"})"},
      {"huge-fewshot.json", "{" + head + R"("num_fewshot": 1099511627780, "fewshot": {"seed": 1e12,
          "sampler": "first_n", "split": "test"}, )" +
                                layout + "}"},
      {"negative-fewshot.json", "{" + head + R"("num_fewshot": -1, )" + layout + "}"},
      {"templates.json", "{" + head +
                             R"("preprocess": {"p": [{"op": "replace", "args": [" [title]", ". "]},
          "strip", {"op": "regex_replace", "args": ["(a|b)*c", "x"]}]},
          "layouts": [{"fields": ["question"],
          "doc_to_text": {"template": "{{question|p|capitalize}}", "then": "p"},
          "doc_to_choice": ["{{choices[0]}}", "{{choices.99999999999}}", "{{ a.b.c | before:_ }}"],
          "doc_to_target": "{{label}}"}]})" +
                             "}"},
      {"unclosed-template.json", "{" + head + R"("layouts": [{"fields": ["q"], "doc_to_text": "{{q",
          "doc_to_choice": "{{}}", "doc_to_target": "{{|}}"}]})"},
      {"generate.json",
       R"j({"task": "g", "output_type": "generate_until", "folders": ["g"], "test_split": "test",
          "splits": {"test": "test.jsonl"}, "metrics": ["exact_match"],
          "generation": {"until": ["Q:"], "max_gen_toks": 1099511627780},
          "filters": [{"name": "f", "regex": "#### (-?[0-9.,]+)", "group_select": -1099511627780},
                      {"name": "g", "regex": "((((((a))))))|(b)", "group_select": 3}],
          "exact_match": {"ignore_case": true, "regexes_to_ignore": [",", "\\$", "["]},
          "layouts": [{"fields": ["question", "answer"], "doc_to_text": "{{question}}",
          "doc_to_target": "{{answer}}"}]})j"},
      {"rolling.json",
       R"({"task": "r", "output_type": "loglikelihood_rolling", "folders": ["r"], "test_split": "test",
          "splits": {"test": ["*.raw", "{subtask}.jsonl"]}, "metrics": ["word_perplexity", "bits_per_byte"],
          "layouts": [{"fields": ["page"], "doc_to_target": "{{page}}", "count_text": "{{page|strip}}"}]})"},
  };
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_variants("minimal-task.json", "{" + head + layout + "}"));
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_seeds());
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = llmdrop::fuzz::write_input("task.json", llmdrop::fuzz::as_text(data, size));
  llmdrop::fuzz::expect_only_errors([&] {
    const llmdrop::TaskSpec task = llmdrop::load_task_file(path);
    for (const auto& doc : llmdrop::fuzz::fixture_docs()) llmdrop::fuzz::render_doc(task, doc);
    llmdrop::fuzz::apply_filters(task);
  });
  return 0;
}
