// A score file: load_matching_scores (never throws: an unreadable cache entry is recomputed) and
// scores_from_json on the input, then what the CLI does with loaded scores: a round trip through
// scores_to_json and the discrete and consecutive selections.
#include <cmath>

#include "analysis/score_file.h"
#include "analysis/selection.h"
#include "fuzz_support.h"
#include "util/input.h"

namespace {

llmdrop::ScoreRequest request() {
  llmdrop::ScoreRequest r;
  r.model_dir = "/models/llama";
  r.model_fingerprint = "f00d";
  r.data_path = "/data/calib.jsonl";
  r.data_sha256 = "beef";
  r.samples = 8;
  r.seq_len = 16;
  r.dtype = "float32";
  r.device = "cpu";
  return r;
}

llmdrop::ImportanceScores example_scores(int64_t layers, bool consecutive) {
  llmdrop::ImportanceScores s;
  for (auto* m : {&s.block, &s.attn, &s.mlp})
    for (int64_t i = 0; i < layers; ++i) {
      m->cosine.push_back(0.5 + 0.1 * i);
      m->angular.push_back(0.1 * i);
    }
  if (layers > 0) s.attn.cosine[0] = std::nan("");  // a dropped module
  if (consecutive)
    for (int64_t i = 0; i < layers; ++i) s.consecutive.push_back(std::vector<double>(layers - i, 0.25));
  s.tokens = 128;
  s.base_nll = 2.5;
  return s;
}

void use(const llmdrop::ImportanceScores& scores) {
  llmdrop::fuzz::expect_only_errors(
      [&] { llmdrop::scores_from_json(llmdrop::scores_to_json(scores, request(), 1.0)); });
  for (const char* target : {"block", "attn", "mlp", "all"})
    for (const auto metric : {llmdrop::Metric::Cosine, llmdrop::Metric::Angular, llmdrop::Metric::NllDelta})
      for (int64_t n : {1, 3}) {
        llmdrop::SelectionOptions options;
        options.metric = metric;
        options.keep_first = n == 3;
        llmdrop::fuzz::expect_only_errors(
            [&] { llmdrop::select_discrete(scores, llmdrop::parse_drop_target(target), n, options); });
      }
  for (int64_t n : {1, 2})
    llmdrop::fuzz::expect_only_errors([&] { llmdrop::select_consecutive(scores, n, {}); });
}

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  auto file = [](const llmdrop::ImportanceScores& s) {
    return llmdrop::scores_to_json(s, request(), 12.5).dump(1);
  };
  llmdrop::fuzz::Seeds seeds = llmdrop::fuzz::json_variants("scores.json", file(example_scores(4, true)));
  seeds.emplace_back("scores-no-consecutive.json", file(example_scores(3, false)));
  seeds.emplace_back("scores-empty.json", file(example_scores(0, false)));
  nlohmann::json bad = nlohmann::json::parse(file(example_scores(4, true)));
  auto variant = [&](const std::string& name, auto change) {
    nlohmann::json j = bad;
    change(j);
    seeds.emplace_back(name, j.dump());
  };
  variant("missing-attn.json", [](nlohmann::json& j) { j.erase("attn"); });
  variant("missing-format.json", [](nlohmann::json& j) { j.erase("format"); });
  variant("short-list.json", [](nlohmann::json& j) { j["mlp"]["cosine"] = {1.0}; });
  variant("wrong-types.json", [](nlohmann::json& j) {
    j["tokens"] = "many";
    j["base_nll"] = nlohmann::json::array();
    j["block"]["angular"] = {"a", true, nullptr, 1};
  });
  variant("huge-numbers.json", [](nlohmann::json& j) {
    j["tokens"] = 1099511627780;
    j["base_nll"] = 1e12;
    j["request"]["drop_attn_list"] = {1099511627780, 3};
    j["request"]["drop_mlp_list"] = {-1};
  });
  variant("consecutive-ragged.json", [](nlohmann::json& j) { j["consecutive"][1] = {0.5}; });
  variant("consecutive-not-list.json", [](nlohmann::json& j) { j["consecutive"] = {{"0", 1}}; });
  variant("request-other.json", [](nlohmann::json& j) { j["request"]["samples"] = 9; });
  for (const auto& seed : llmdrop::fuzz::json_seeds()) seeds.push_back(seed);
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = llmdrop::fuzz::as_text(data, size);
  const auto path = llmdrop::fuzz::write_input("scores.json", input);
  llmdrop::fuzz::expect_only_errors([&] {
    if (const auto scores = llmdrop::load_matching_scores(path, request(), 4)) use(*scores);
  });
  llmdrop::fuzz::expect_only_errors([&] {
    const nlohmann::json j = llmdrop::parse_json(input, "scores.json");
    use(llmdrop::scores_from_json(j));
    use(llmdrop::scores_from_json(j, 4));
  });
  return 0;
}
