#include "analysis/selection.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/importance.h"
#include "model/model.h"
#include "util/error.h"

namespace llmdrop {

namespace {
struct Candidate {
  double similarity;
  ModuleKind kind;
  int64_t layer;
};

bool allowed(int64_t layer, int64_t layers, const SelectionOptions& options) {
  return !(options.keep_first && layer == 0) && !(options.keep_last && layer == layers - 1);
}

void drop(DropPlan& plan, ModuleKind kind, int64_t layer) {
  if (kind != ModuleKind::Mlp) plan.attn.insert(layer);
  if (kind != ModuleKind::Attn) plan.mlp.insert(layer);
}

// Candidates in the order LLM-Drop drops them: highest similarity first, ties by kind then layer.
std::vector<Candidate> ranked(const ImportanceScores& scores, const DropTarget& target,
                              const SelectionOptions& options) {
  std::vector<ModuleKind> kinds = target.joint ? std::vector<ModuleKind>{ModuleKind::Attn, ModuleKind::Mlp}
                                               : std::vector<ModuleKind>{target.kind};
  std::vector<Candidate> out;
  for (ModuleKind kind : kinds) {
    const auto similarity = scores.of(kind).similarity(options.metric);
    const auto layers = static_cast<int64_t>(similarity.size());
    for (int64_t i = 0; i < layers; ++i) {
      if (std::isnan(similarity[i]) || is_dropped(scores.plan, kind, i) || !allowed(i, layers, options))
        continue;
      out.push_back({similarity[i], kind, i});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Candidate& a, const Candidate& b) { return a.similarity > b.similarity; });
  return out;
}
}  // namespace

Strategy parse_strategy(const std::string& name) {
  if (name == "discrete") return Strategy::Discrete;
  if (name == "consecutive") return Strategy::Consecutive;
  if (name == "iterative") return Strategy::Iterative;
  throw_bad_input("strategy '" + name + "' is not discrete, consecutive or iterative");
}

DropTarget parse_drop_target(const std::string& name) {
  if (name == "all") return {true, ModuleKind::Attn};
  return {false, parse_module_kind(name)};
}

DropPlan select_discrete(const ImportanceScores& scores, const DropTarget& target, int64_t n,
                         const SelectionOptions& options) {
  if (n < 0) throw_bad_input("n must not be negative");
  const auto candidates = ranked(scores, target, options);
  if (static_cast<int64_t>(candidates.size()) < n)
    throw_bad_input("only " + std::to_string(candidates.size()) + " modules can still be dropped, " +
                    std::to_string(n) + " requested");
  DropPlan plan = scores.plan;
  for (int64_t k = 0; k < n; ++k) drop(plan, candidates[k].kind, candidates[k].layer);
  return plan;
}

namespace {
// The window [i, i+n) of the most similar ends: the highest `similarity(i)`; -1 when the guards leave none.
template <typename Similarity>
int64_t best_window(int64_t layers, int64_t n, const SelectionOptions& options, Similarity similarity) {
  int64_t best = -1;
  double best_similarity = -std::numeric_limits<double>::infinity();
  for (int64_t i = 0; i + n <= layers; ++i) {
    if (!allowed(i, layers, options) || !allowed(i + n - 1, layers, options)) continue;
    if (similarity(i) > best_similarity) best = i, best_similarity = similarity(i);
  }
  return best;
}
}  // namespace

std::vector<Span> closest_spans(const ImportanceScores& scores, const SelectionOptions& options) {
  const auto layers = static_cast<int64_t>(scores.last_token_angular.size());
  if (layers == 0)
    throw_bad_input(
        "angular-last needs the last-token matrix of the consecutive scores (score with --consecutive)");
  std::vector<Span> spans;
  for (int64_t n = 1; n <= layers; ++n) {
    const auto distance = [&](int64_t i) { return scores.last_token_angular[i][n - 1]; };
    const int64_t first = best_window(layers, n, options, [&](int64_t i) { return -distance(i); });
    if (first >= 0) spans.push_back({first, n, distance(first)});
  }
  return spans;
}

DropPlan select_consecutive(const ImportanceScores& scores, int64_t n, const SelectionOptions& options) {
  const auto layers = static_cast<int64_t>(scores.consecutive.size());
  if (layers == 0)
    throw_bad_input("consecutive selection needs the consecutive matrix (score with --consecutive)");
  if (n < 1 || n > layers) throw_bad_input("n must lie in [1, " + std::to_string(layers) + "]");
  int64_t best = -1;
  if (options.metric == Metric::AngularLast) {  // Gromov et al.'s span of this length
    for (const Span& span : closest_spans(scores, options))
      if (span.n == n) best = span.first;
  } else {
    best = best_window(layers, n, options, [&](int64_t i) { return scores.consecutive[i][n - 1]; });  // cos
  }
  if (best < 0) throw_bad_input("no window of " + std::to_string(n) + " blocks satisfies the keep guards");
  DropPlan plan = scores.plan;
  for (int64_t i = best; i < best + n; ++i) drop(plan, ModuleKind::Block, i);
  return plan;
}

DropPlan select_iterative(Model& model, const at::Tensor& blocks, const DropTarget& target, int64_t n,
                          const ScoreOptions& score_options, const SelectionOptions& options,
                          JobContext& job) {
  const DropPlan original = model.drops();
  DropPlan plan = original;
  try {
    for (int64_t step = 0; step < n; ++step) {
      JobContext step_job(job, [&](const Progress& p) {
        job.report(step * p.total + p.done, n * p.total,
                   "drop " + std::to_string(step + 1) + ": " + p.message);
      });
      model.set_drops(plan, job);
      plan = select_discrete(score_layers(model, blocks, score_options, step_job), target, 1, options);
    }
  } catch (...) {
    model.set_drops(original);
    throw;
  }
  model.set_drops(original);
  return plan;
}

}  // namespace llmdrop
