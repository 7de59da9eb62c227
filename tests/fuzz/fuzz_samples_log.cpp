// An evaluation's samples log (--samples-log with --resume). The input, as the log of a run on the llama
// fixture (arc_easy, boolq and gsm8k, two documents each): SamplesLog on it, looking records up, appending
// one; the file that leaves must open again with that record. Then the run itself resumed from the input:
// evaluate() takes the records it finds as done and aggregates them with the ones it computes.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "checkpoint/checkpoint.h"
#include "checkpoint/tokenizer.h"
#include "eval/evaluator.h"
#include "eval/samples_log.h"
#include "fuzz_support.h"
#include "model/model.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace {

struct Run {
  std::unique_ptr<llmdrop::Model> model;
  std::unique_ptr<llmdrop::Tokenizer> tokenizer;
  std::string log;        // the complete log of the run
  nlohmann::json header;  // its first line
  std::vector<std::string> records;

  llmdrop::EvalOptions options(const fs::path& samples_log) const {
    llmdrop::EvalOptions o;
    o.tasks = {"arc_easy", "boolq", "gsm8k"};
    o.data.data_dirs = {llmdrop::fuzz::source_dir() / "tests/data/eval/hf"};
    o.limit = 2;
    o.batch_size = 2;
    o.max_gen_toks = 4;
    o.samples_log = samples_log;
    o.resume = true;
    return o;
  }
};

const Run& run() {
  static const Run& r = *new Run([] {
    const auto checkpoint =
        llmdrop::Checkpoint::open(llmdrop::fuzz::source_dir() / "tests/data/models/llama");
    llmdrop::LoadOptions load;
    load.dtype = "float32";
    Run out;
    out.tokenizer =
        std::make_unique<llmdrop::Tokenizer>(llmdrop::Tokenizer::open(checkpoint.dir, checkpoint.config));
    out.model = llmdrop::Model::load(checkpoint, load);
    const fs::path log = llmdrop::fuzz::scratch_dir() / "reference.jsonl";
    llmdrop::evaluate(*out.model, *out.tokenizer, out.options(log));
    std::ifstream in(log, std::ios::binary);
    out.log.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    std::istringstream lines(out.log);
    std::string line;
    std::getline(lines, line);
    out.header = nlohmann::json::parse(line);
    while (std::getline(lines, line)) out.records.push_back(line);
    return out;
  }());
  return r;
}

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  const Run& r = run();
  const std::string head = r.header.dump() + "\n";
  const std::string first = r.records.at(0) + "\n", second = r.records.at(1) + "\n";
  auto changed = [&](const std::string& record, auto change) {
    nlohmann::json j = nlohmann::json::parse(record);
    change(j);
    return j.dump() + "\n";
  };
  llmdrop::fuzz::Seeds seeds = {
      {"header-only.jsonl", head},
      {"half.jsonl", head + first + second},
      {"partial-last.jsonl", r.log + r.records.back().substr(0, 20)},
      {"partial-header.jsonl", head.substr(0, head.size() / 2)},
      {"blank-lines.jsonl", "\n\n" + head + "\n  \n" + first + "\n\n\t\n"},
      {"other-run.jsonl", R"({"llmdrop_samples": {"model": "/other", "dtype": "bfloat16"}})"
                          "\n"},
      {"no-header.jsonl", first},
      {"header-not-object.jsonl", R"({"llmdrop_samples": [1, 2]})"
                                  "\n"},
      {"missing-task.jsonl",
       head + changed(r.records[0], [](nlohmann::json& j) { j.erase("task"); }) + second},
      {"wrong-types.jsonl", head + changed(r.records[0],
                                           [](nlohmann::json& j) {
                                             j["doc_id"] = "0";
                                             for (auto& [key, value] : j.items())
                                               if (key != "task" && key != "doc_id")
                                                 value = nlohmann::json::array({"x"});
                                           })},
      {"missing-fields.jsonl", head + changed(r.records[0],
                                              [](nlohmann::json& j) {
                                                for (auto it = j.begin(); it != j.end();)
                                                  it = it.key() == "task" || it.key() == "doc_id"
                                                           ? std::next(it)
                                                           : j.erase(it);
                                              })},
      {"huge-doc-id.jsonl",
       head + changed(r.records[0], [](nlohmann::json& j) { j["doc_id"] = 1099511627780; }) +
           changed(r.records[1], [](nlohmann::json& j) { j["doc_id"] = 1e12; }) +
           changed(r.records[2], [](nlohmann::json& j) { j["doc_id"] = -1; })},
      {"not-objects.jsonl", head + "1\n\"text\"\n[1, 2]\nnull\n"},
      {"damaged-middle.jsonl", head + "{\"task\": \n" + second},
      {"no-final-newline.jsonl", head + r.records.at(0)},
  };
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_variants("log.jsonl", r.log));
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_seeds());
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Run& r = run();
  const std::string_view input = llmdrop::fuzz::as_text(data, size);
  const auto path = llmdrop::fuzz::write_input("samples.jsonl", input);
  const nlohmann::json appended = {{"task", "arc_easy"}, {"doc_id", 7}, {"acc", 1.0}};
  bool opened = false;
  llmdrop::fuzz::expect_only_errors([&] {
    llmdrop::SamplesLog log(path, r.header, /*resume=*/true);
    opened = true;
    for (const char* task : {"arc_easy", "boolq", "gsm8k", ""})
      for (int64_t doc : {0, 1, 7}) log.find(task, doc);
    log.append(appended);
    log.flush();
  });
  if (opened) {
    // The log a resumed run left behind opens again, with the record it appended.
    try {
      llmdrop::SamplesLog again(path, r.header, /*resume=*/true);
      if (!again.find("arc_easy", 7)) {
        std::fprintf(stderr,
                     "FINDING: the record appended to a resumed log is not found when it is reopened\n");
        std::abort();
      }
    } catch (const llmdrop::Error& e) {
      std::fprintf(stderr, "FINDING: a log that opened and was appended to does not open again: %s\n",
                   e.what());
      std::abort();
    }
  }
  // The evaluation resumed from the input.
  const auto resumed = llmdrop::fuzz::write_input("resumed.jsonl", input);
  llmdrop::fuzz::expect_only_errors([&] { llmdrop::evaluate(*r.model, *r.tokenizer, r.options(resumed)); });
  return 0;
}
