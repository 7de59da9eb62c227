// A workbench project file: load_project on the input, then a save and reload of what it read (the round trip
// must give the same project).
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "project/project_file.h"

namespace {

llmdrop::Project example() {
  llmdrop::Project p;
  p.model_dir = "/models/llama";
  p.plan.attn = {1, 3};
  p.plan.mlp = {2};
  p.metric = llmdrop::Metric::Angular;
  llmdrop::ImportanceScores s;
  for (auto* m : {&s.block, &s.attn, &s.mlp})
    for (int i = 0; i < 4; ++i) {
      m->cosine.push_back(0.5 + 0.1 * i);
      m->angular.push_back(0.1 * i);
    }
  s.attn.cosine[1] = std::nan("");
  s.plan = p.plan;
  p.scores = s;
  p.results = {{"full", {{"arc_easy · acc", "0.25"}}}, {"attn 1,3 dropped", {{"arc_easy · acc", "0.24"}}}};
  return p;
}

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  const nlohmann::json valid = llmdrop::project_to_json(example());
  llmdrop::fuzz::Seeds seeds = llmdrop::fuzz::json_variants("project.json", valid.dump(1));
  llmdrop::Project bare;
  bare.model_dir = "m";
  seeds.emplace_back("bare.json", llmdrop::project_to_json(bare).dump());
  auto variant = [&](const std::string& name, auto change) {
    nlohmann::json j = valid;
    change(j);
    seeds.emplace_back(name, j.dump());
  };
  variant("missing-model.json", [](nlohmann::json& j) { j.erase("model"); });
  variant("missing-format.json", [](nlohmann::json& j) { j.erase("format"); });
  variant("wrong-types.json", [](nlohmann::json& j) {
    j["model"] = 7;
    j["metric"] = {"cosine"};
    j["results"] = {{"label", 1}};
    j["drop_attn_list"] = "1,3";
  });
  variant("huge-numbers.json", [](nlohmann::json& j) {
    j["drop_attn_list"] = {1099511627780, 1e12, -1};
    j["scores"]["tokens"] = 1099511627780;
  });
  variant("bad-cells.json", [](nlohmann::json& j) { j["results"][0]["cells"] = {{"row"}, {1, 2}, "x"}; });
  variant("bad-scores.json", [](nlohmann::json& j) { j["scores"]["block"] = nullptr; });
  variant("null-scores.json", [](nlohmann::json& j) { j["scores"] = nullptr; });
  variant("unknown-metric.json", [](nlohmann::json& j) { j["metric"] = "perplexity"; });
  for (const auto& seed : llmdrop::fuzz::json_seeds()) seeds.push_back(seed);
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = llmdrop::fuzz::write_input("project.llmdrop", llmdrop::fuzz::as_text(data, size));
  llmdrop::fuzz::expect_only_errors([&] {
    const llmdrop::Project project = llmdrop::load_project(path);
    const auto saved = llmdrop::fuzz::scratch_dir() / "saved.llmdrop";
    llmdrop::save_project(project, saved);
    const llmdrop::Project again = llmdrop::load_project(saved);
    if (again.model_dir != project.model_dir || again.plan.attn != project.plan.attn ||
        again.plan.mlp != project.plan.mlp || again.metric != project.metric ||
        again.results != project.results || again.scores.has_value() != project.scores.has_value()) {
      std::fprintf(stderr, "FINDING: the project read back differs from the one saved\n");
      std::abort();
    }
  });
  return 0;
}
