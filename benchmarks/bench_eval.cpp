// Loglikelihood scoring speed: hellaswag-shaped requests (tools/bench_eval_reference.py
// --make-requests), scored by llmdrop with batch 1 and 16, next to transformers scoring them one by one the
// way lm-eval's HF backend does (its --out file, measured in the same run by tools/gpu/run.sh bench_eval).
//   bench_eval MODEL --requests FILE [--reference FILE] [--docs N] [--device cuda] [--dtype bfloat16]
// Prints a table (requests/s, ratio to transformers) and how far our log-likelihoods are from theirs.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench_args.h"
#include "eval/loglikelihood.h"
#include "model/model.h"
#include "util/clock.h"

using namespace llmdrop;

int main(int argc, char** argv) {
  const auto args = bench::parse_bench_args(
      "bench_eval", argc, argv, {"", "cpu", "auto", {{"docs", 0}}, {{"requests", ""}, {"reference", ""}}});
  if (!args) return 2;
  if (args->strings.at("requests").empty())
    return std::fprintf(stderr, "bench_eval: --requests FILE is required\n"), 2;
  try {
    std::ifstream in(args->strings.at("requests"));
    const nlohmann::json spec = nlohmann::json::parse(in);
    auto docs = spec.at("docs");
    if (args->integers.at("docs") > 0 && static_cast<size_t>(args->integers.at("docs")) < docs.size())
      docs.erase(docs.begin() + args->integers.at("docs"), docs.end());
    std::vector<TokenRequest> requests;
    for (const auto& d : docs)
      for (const auto& c : d.at("continuations"))
        requests.push_back({d.at("context").get<std::vector<int64_t>>(), c.get<std::vector<int64_t>>()});

    LoadOptions options;
    options.device = args->device;
    options.dtype = args->dtype;
    const auto model = Model::load(Checkpoint::open(args->model), options);
    nlohmann::json reference;
    if (!args->strings.at("reference").empty())
      reference = nlohmann::json::parse(std::ifstream(args->strings.at("reference")));
    const double theirs = reference.is_object() ? reference.value("requests_per_second", 0.0) : 0.0;

    const std::vector<TokenRequest> warmup(requests.begin(),
                                           requests.begin() + std::min<size_t>(64, requests.size()));
    std::printf(
        "| engine | batch | requests | seconds | requests/s | vs transformers batch 1 "
        "|\n|---|---|---|---|---|---|\n");
    if (theirs > 0)
      std::printf("| transformers (lm-eval HF style) | 1 | %zu | | %.1f | 1.00 |\n", requests.size(), theirs);
    for (int64_t batch : {1, 16}) {
      ScoringOptions scoring;
      scoring.batch_size = batch;
      score_requests(*model, warmup, scoring);
      const auto start = Clock::now();
      const auto scores = score_requests(*model, requests, scoring);  // results are on the host: synchronized
      const double seconds = seconds_since(start);
      const double rate = double(requests.size()) / seconds;
      std::printf("| llmdrop | %ld | %zu | %.2f | %.1f | %s |\n", long(batch), requests.size(), seconds, rate,
                  theirs > 0 ? (std::to_string(rate / theirs).substr(0, 5) + "x").c_str() : "");
      if (reference.contains("lls")) {
        double max_diff = 0;
        size_t k = 0, same_pred = 0, n_docs = 0, same_greedy = 0;
        for (size_t d = 0; d < docs.size() && d < reference["lls"].size(); ++d, ++n_docs) {
          const auto ref = reference["lls"][d].get<std::vector<double>>();
          std::vector<double> ours;
          for (size_t c = 0; c < ref.size(); ++c, ++k) {
            ours.push_back(scores[k].loglikelihood);
            max_diff = std::max(max_diff, std::abs(scores[k].loglikelihood - ref[c]));
            same_greedy += scores[k].greedy == reference["is_greedy"][d][c].get<bool>();
          }
          same_pred += std::max_element(ours.begin(), ours.end()) - ours.begin() ==
                       std::max_element(ref.begin(), ref.end()) - ref.begin();
        }
        std::printf(
            "|   vs transformers | | | max |Δ ll| %.4f | same argmax %zu/%zu docs | same is_greedy %zu/%zu "
            "|\n",
            max_diff, same_pred, n_docs, same_greedy, k);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_eval: %s\n", e.what());
    return 1;
  }
  return 0;
}
