#include "analysis/importance.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "distributed/communicator.h"
#include "model/model.h"
#include "util/error.h"

namespace llmdrop {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Running sums on the model's device, in float64; read back once at the end.
struct PairSums {
  std::vector<at::Tensor> cosine, angular;  // per layer, 0-d; undefined until the pair is seen
  void add(size_t layer, const at::Tensor& a, const at::Tensor& b) {
    // (B, T); b comes to a's device from a later layer's (layers placed over several devices)
    const at::Tensor cos = at::cosine_similarity(a.to(at::kFloat), b.to(a.device(), at::kFloat), -1);
    const at::Tensor ang = at::arccos(cos.clamp(-1.0, 1.0)) / M_PI;
    if (!cosine[layer].defined()) {
      cosine[layer] = cos.sum(at::kDouble);
      angular[layer] = ang.sum(at::kDouble);
    } else {
      cosine[layer] += cos.sum(at::kDouble);
      angular[layer] += ang.sum(at::kDouble);
    }
  }
  void resize(size_t n) { cosine.resize(n), angular.resize(n); }
  // The means over `tokens`, the ranks' sums merged first (then `device` is the ranks').
  void finish(int64_t tokens, ModuleScores& out, const Communicator* ranks, c10::Device device) const {
    const auto n = static_cast<int64_t>(cosine.size());
    at::Tensor sums =
        at::zeros({3, n}, at::TensorOptions().dtype(at::kDouble).device(device));  // cos, ang, seen
    for (int64_t i = 0; i < n; ++i)
      if (cosine[i].defined()) {
        sums[0][i].copy_(cosine[i]);
        sums[1][i].copy_(angular[i]);
        sums[2][i].fill_(1);
      }
    if (ranks) ranks->all_reduce_sum(sums);
    sums = sums.cpu();
    const auto s = sums.accessor<double, 2>();
    for (int64_t i = 0; i < n; ++i) {
      out.cosine.push_back(s[2][i] > 0 ? s[0][i] / tokens : kNaN);
      out.angular.push_back(s[2][i] > 0 ? s[1][i] / tokens : kNaN);
    }
  }
};

class SimilarityObserver : public HiddenStateObserver {
 public:
  SimilarityObserver(int64_t layers, bool norm, bool consecutive) : norm_(norm), consecutive_(consecutive) {
    block_.resize(layers), attn_.resize(layers), mlp_.resize(layers);
  }

  void on_layer(const LayerTrace& t) override {
    block_.add(t.layer, t.input, t.output);
    if (t.attn_output.defined()) {
      if (norm_)
        attn_.add(t.layer, t.input, t.mid);
      else
        attn_.add(t.layer, t.attn_input, t.attn_output);
    }
    if (t.mlp_output.defined()) {
      if (norm_)
        mlp_.add(t.layer, t.mid, t.output);
      else
        mlp_.add(t.layer, t.mlp_input, t.mlp_output);
    }
    if (consecutive_) {
      states_.push_back(t.input);
      if (t.layer + 1 == static_cast<int64_t>(block_.cosine.size())) states_.push_back(t.output);
    }
  }

  // After each batch: fold the batch's layer states into the consecutive matrices (every token, and each
  // block's last token), then let them go.
  void end_batch() {
    if (!consecutive_) return;
    const size_t n = states_.size();  // L + 1
    if (matrix_.empty()) matrix_.assign(n - 1, {}), last_.assign(n - 1, {});
    for (size_t i = 0; i + 1 < n; ++i) {
      if (matrix_[i].cosine.empty()) matrix_[i].resize(n - 1 - i), last_[i].resize(n - 1 - i);
      for (size_t j = i + 1; j < n; ++j) {
        matrix_[i].add(j - i - 1, states_[i], states_[j]);
        last_[i].add(j - i - 1, states_[i].select(1, -1), states_[j].select(1, -1));  // (B, hidden)
      }
    }
    states_.clear();
  }

  // tokens: of all the blocks; blocks: how many (the last-token matrix's count).
  void finish(int64_t tokens, int64_t blocks, ImportanceScores& out, const Communicator* ranks,
              c10::Device device) const {
    block_.finish(tokens, out.block, ranks, device);
    attn_.finish(tokens, out.attn, ranks, device);
    mlp_.finish(tokens, out.mlp, ranks, device);
    for (size_t i = 0; i < matrix_.size(); ++i) {
      ModuleScores all, last;
      matrix_[i].finish(tokens, all, ranks, device);
      last_[i].finish(blocks, last, ranks, device);
      out.consecutive.push_back(all.cosine);
      out.last_token_angular.push_back(last.angular);
      out.block.angular_last.push_back(last.angular.front());  // d(i, i+1)
    }
  }

 private:
  bool norm_, consecutive_;
  PairSums block_, attn_, mlp_;
  std::vector<at::Tensor> states_;  // (B, T, hidden) inputs of every layer of the current batch
  std::vector<PairSums> matrix_, last_;
};

// FinerCut's measure on one batch of blocks ids (B, T): for every module not yet dropped, the sums over
// tokens of KL(p ‖ q) and of the Jensen–Shannon divergence, p the next-token distribution with the model's
// drops and q the one without the module, added to sums (2 [kl, js], 3 [block, attn, mlp], L) in float64. One
// full pass keeps each layer's input h_i and mid-residual m_i; leaving a module of layer i out then runs only
// what follows it: the later layers from h_i (block), from m_i (MLP), or from layer i's MLP applied to h_i
// (attention).
void add_divergences(const Model& model, const at::Tensor& ids, at::Tensor& sums) {
  struct Capture : HiddenStateObserver {
    std::vector<at::Tensor> input, mid;
    void on_layer(const LayerTrace& t) override { input.push_back(t.input), mid.push_back(t.mid); }
  } capture;
  const at::Tensor log_p =
      at::log_softmax(model.forward(ids, nullptr, &capture).to(at::kFloat), -1);  // (B,T,V)
  const at::Tensor p = log_p.exp();
  const DropPlan& plan = model.drops();
  auto add = [&](int64_t kind, int64_t i, const at::Tensor& logits) {
    const at::Tensor log_q = at::log_softmax(logits.to(log_p.device(), at::kFloat), -1);
    const at::Tensor log_m = at::logaddexp(log_p, log_q) - std::log(2.0);
    sums[0][kind][i] += (p * (log_p - log_q)).sum(at::kDouble);
    sums[1][kind][i] +=
        0.5 * ((p * (log_p - log_m)).sum(at::kDouble) + (log_q.exp() * (log_q - log_m)).sum(at::kDouble));
  };
  for (int64_t i = 0; i < model.config().num_layers; ++i) {
    const auto at = static_cast<size_t>(i);
    const bool attn = !plan.attn_dropped(i), mlp = !plan.mlp_dropped(i);
    if (attn || mlp) add(0, i, model.forward_from(i + 1, capture.input[at]));
    if (attn) add(1, i, model.forward_from(i + 1, model.layer_forward(i, capture.input[at], nullptr, true)));
    if (mlp) add(2, i, model.forward_from(i + 1, capture.mid[at]));
  }
}

// Sum of next-token NLL over a batch of blocks: (B, T) → scalar float64 tensor; T-1 predictions per block.
at::Tensor nll_sum(const at::Tensor& logits, const at::Tensor& ids) {
  const int64_t t = ids.size(1);
  at::Tensor logp = at::log_softmax(logits.narrow(1, 0, t - 1).to(at::kFloat), -1);  // (B, T-1, V)
  at::Tensor target = ids.narrow(1, 1, t - 1).unsqueeze(-1).to(logp.device());       // (B, T-1, 1)
  return -logp.gather(-1, target).sum(at::kDouble);
}

// Mean NLL over all blocks with the model's current drops (layer by layer when the model streams), over every
// rank's blocks when there are ranks. Reports progress as steps [first_step, first_step + batches) of
// `total_steps`.
double mean_nll(const Model& model, const at::Tensor& blocks, int64_t batch_size, const Communicator* ranks,
                JobContext& job, int64_t first_step, int64_t total_steps, const std::string& what,
                HiddenStateObserver* observer = nullptr, SimilarityObserver* similarity = nullptr) {
  const int64_t n = blocks.size(0);
  std::vector<at::Tensor> batches;  // (≤ batch_size, seq_len) each
  for (int64_t start = 0; start < n; start += batch_size)
    batches.push_back(blocks.narrow(0, start, std::min(batch_size, n - start)).to(model.device()));
  const auto steps = static_cast<int64_t>(batches.size());
  JobContext pass(job, [&](const Progress& p) {
    job.report(first_step + (p.total > 0 ? p.done * steps / p.total : 0), total_steps, what);
  });
  // NLL sum and predictions, in float64: (2)
  at::Tensor total = at::zeros({2}, at::TensorOptions().dtype(at::kDouble).device(model.output_device()));
  total[1].fill_(static_cast<double>(n * (blocks.size(1) - 1)));
  model.forward_batches(
      batches, observer,
      [&](size_t b, const at::Tensor& logits) {
        total[0] += nll_sum(logits, batches[b]);
        if (similarity) similarity->end_batch();
      },
      pass);
  if (ranks) ranks->all_reduce_sum(total);
  total = total.cpu();
  return total[0].item<double>() / total[1].item<double>();
}
}  // namespace

const char* to_string(ModuleKind kind) {
  switch (kind) {
    case ModuleKind::Block:
      return "block";
    case ModuleKind::Attn:
      return "attn";
    case ModuleKind::Mlp:
      return "mlp";
  }
  return "?";
}

const char* to_string(Metric metric) {
  switch (metric) {
    case Metric::Cosine:
      return "cosine";
    case Metric::Angular:
      return "angular";
    case Metric::NllDelta:
      return "nll-delta";
    case Metric::Kl:
      return "kl";
    case Metric::Js:
      return "js";
    case Metric::AngularLast:
      return "angular-last";
    case Metric::Task:
      return "task";
  }
  return "?";
}

DropPlan toggled(DropPlan plan, ModuleKind kind, int64_t layer) {
  const bool restore = is_dropped(plan, kind, layer);
  auto toggle = [&](std::set<int64_t>& set) {
    if (restore)
      set.erase(layer);
    else
      set.insert(layer);
  };
  if (kind != ModuleKind::Mlp) toggle(plan.attn);
  if (kind != ModuleKind::Attn) toggle(plan.mlp);
  return plan;
}

ModuleKind parse_module_kind(const std::string& name) {
  if (name == "block") return ModuleKind::Block;
  if (name == "attn") return ModuleKind::Attn;
  if (name == "mlp") return ModuleKind::Mlp;
  throw_bad_input("target '" + name + "' is not block, attn or mlp");
}

Metric parse_metric(const std::string& name) {
  if (name == "cosine") return Metric::Cosine;
  if (name == "angular") return Metric::Angular;
  if (name == "nll-delta") return Metric::NllDelta;
  if (name == "kl") return Metric::Kl;
  if (name == "js") return Metric::Js;
  if (name == "angular-last") return Metric::AngularLast;
  if (name == "task" || !metric_tasks(name).empty()) return Metric::Task;  // "task": the kind, no names yet
  throw_bad_input("metric '" + name +
                  "' is not cosine, angular, nll-delta, kl, js, angular-last or task:NAME");
}

std::vector<std::string> metric_tasks(const std::string& name) {
  const std::string prefix = "task:";
  if (name.rfind(prefix, 0) != 0) return {};
  std::vector<std::string> tasks;
  for (size_t start = prefix.size(); start <= name.size();) {
    const size_t end = std::min(name.find(',', start), name.size());
    const std::string task = name.substr(start, end - start);
    if (task.empty() || std::find(tasks.begin(), tasks.end(), task) != tasks.end())
      throw_bad_input("metric '" + name + "': name each task once, as task:NAME or task:NAME,NAME");
    tasks.push_back(task);
    start = end + 1;
  }
  return tasks;
}

namespace {
// The measured effect of leaving each module out (higher: more important), or BadInput when not computed.
const std::vector<double>& removal_effect(const ModuleScores& s, Metric metric) {
  // A task's NLL increases stand in nll_delta of ImportanceScores::for_task's view.
  const std::vector<double>& values = metric == Metric::Kl ? s.kl : metric == Metric::Js ? s.js : s.nll_delta;
  if (values.empty())
    throw_bad_input(std::string(to_string(metric)) + " scores were not computed for these scores");
  return values;
}
}  // namespace

bool ModuleScores::has(Metric metric) const {
  switch (metric) {
    case Metric::Cosine:
    case Metric::Angular:
      return !cosine.empty();
    case Metric::NllDelta:
    case Metric::Task:
      return !nll_delta.empty();
    case Metric::Kl:
      return !kl.empty();
    case Metric::Js:
      return !js.empty();
    case Metric::AngularLast:
      return !angular_last.empty();
  }
  return false;
}

std::vector<double> ModuleScores::similarity(Metric metric) const {
  std::vector<double> out;
  if (measured_by_removal(metric)) {
    for (double d : removal_effect(*this, metric)) out.push_back(-d);
    return out;
  }
  if (metric == Metric::Cosine) return cosine;
  if (metric == Metric::AngularLast && angular_last.empty())
    throw_bad_input(
        "angular-last scores whole blocks, with the consecutive matrices (score with --consecutive)");
  for (double a : metric == Metric::AngularLast ? angular_last : angular) out.push_back(1.0 - a);
  return out;
}

std::vector<double> ModuleScores::importance(Metric metric) const {
  if (measured_by_removal(metric)) return removal_effect(*this, metric);
  std::vector<double> out;
  for (double s : similarity(metric)) out.push_back(1.0 - s);
  return out;
}

namespace {
// The block, attention or MLP scores of `scores` (ImportanceScores or TaskImportance, const or not).
template <typename Scores>
auto& kind_of(Scores& scores, ModuleKind kind) {
  return kind == ModuleKind::Block ? scores.block : kind == ModuleKind::Attn ? scores.attn : scores.mlp;
}
}  // namespace

const ModuleScores& ImportanceScores::of(ModuleKind kind) const {
  return kind_of(*this, kind);
}
ModuleScores& ImportanceScores::of(ModuleKind kind) {
  return kind_of(*this, kind);
}
const ModuleScores& TaskImportance::of(ModuleKind kind) const {
  return kind_of(*this, kind);
}
ModuleScores& TaskImportance::of(ModuleKind kind) {
  return kind_of(*this, kind);
}

ImportanceScores ImportanceScores::for_task(const std::string& task) const {
  for (const TaskImportance& t : tasks)
    if (t.task == task) {
      ImportanceScores view = *this;
      for (const ModuleKind kind : {ModuleKind::Block, ModuleKind::Attn, ModuleKind::Mlp})
        view.of(kind).nll_delta = t.of(kind).nll_delta;
      return view;
    }
  throw_bad_input("these scores have no importance for task " + task + " (score with --metric task:" + task +
                  ")");
}

namespace {
// Leaves each module that `original` keeps out in turn (blocks, then attention, then MLP, per layer) and
// calls measure(kind, layer) with it left out; the model's plan is `original` again afterwards, also when
// something throws.
void for_each_removal(Model& model, const DropPlan& original, JobContext& job,
                      const std::function<void(ModuleKind, int64_t)>& measure) {
  try {
    for (int64_t i = 0; i < model.config().num_layers; ++i)
      for (const ModuleKind kind : {ModuleKind::Block, ModuleKind::Attn, ModuleKind::Mlp}) {
        if (is_dropped(original, kind, i)) continue;
        model.set_drops(toggled(original, kind, i), job);
        measure(kind, i);
      }
  } catch (...) {
    model.set_drops(original);
    throw;
  }
  model.set_drops(original);
}

int64_t removals(const DropPlan& original, int64_t layers) {
  int64_t n = 0;
  for (int64_t i = 0; i < layers; ++i)
    for (const ModuleKind kind : {ModuleKind::Block, ModuleKind::Attn, ModuleKind::Mlp})
      n += !is_dropped(original, kind, i);
  return n;
}

}  // namespace

ImportanceScores score_layers(Model& model, const at::Tensor& blocks, const ScoreOptions& options,
                              JobContext& job) {
  if (blocks.dim() != 2 || blocks.size(0) < 1 || blocks.size(1) < 2)
    throw_bad_input("calibration blocks must be (n >= 1, seq_len >= 2)");
  if (options.batch_size < 1) throw_bad_input("batch size must be at least 1");
  if (options.consecutive && model.streamed())
    throw_bad_input(
        "the consecutive-layer matrix needs every layer's hidden states at once, which streamed layers do "
        "not "
        "keep: score it without --stream-layers");
  const Communicator* ranks = options.data_parallel.get();
  if (ranks && blocks.size(0) < ranks->size())
    throw_bad_input("data parallelism over " + std::to_string(ranks->size()) + " ranks needs at least " +
                    std::to_string(ranks->size()) + " calibration blocks; got " +
                    std::to_string(blocks.size(0)));
  const at::Tensor cpu_blocks =
      blocks.cpu();  // checked here: an id past the vocabulary is a device assert on a GPU
  if (cpu_blocks.min().item<int64_t>() < 0 || cpu_blocks.max().item<int64_t>() >= model.config().vocab_size)
    throw_bad_input("calibration token ids must lie in [0, " + std::to_string(model.config().vocab_size) +
                    "): the tokenizer does not match the model");
  c10::InferenceMode inference;
  const int64_t layers = model.config().num_layers;
  const auto [first, end] = ranks ? rank_share(blocks.size(0), ranks->rank(), ranks->size())
                                  : std::pair<int64_t, int64_t>{0, blocks.size(0)};
  const at::Tensor mine = blocks.narrow(0, first, end - first);  // this rank's blocks
  const int64_t n = mine.size(0), batches = (n + options.batch_size - 1) / options.batch_size;
  const DropPlan original = model.drops();
  if (options.divergence && model.streamed())
    throw_bad_input(
        "kl and js run the layers after each module from its inputs, which streamed layers do not keep: "
        "score them with the model resident");
  const int64_t passes =
      1 + (options.divergence ? 1 : 0) + (options.nll_delta ? removals(original, layers) : 0);

  ImportanceScores scores;
  scores.plan = original;
  scores.tokens = blocks.size(0) * blocks.size(1);
  SimilarityObserver observer(layers, options.layer_drop_norm, options.consecutive);
  int64_t pass = 0;
  auto run_pass = [&](const std::string& what, HiddenStateObserver* obs, SimilarityObserver* sim) {
    return mean_nll(model, mine, options.batch_size, ranks, job, batches * pass++, batches * passes, what,
                    obs, sim);
  };
  scores.base_nll = run_pass("similarities", &observer, &observer);
  observer.finish(scores.tokens, blocks.size(0), scores, ranks, model.device());
  for (size_t i = 0; i < scores.block.angular_last.size(); ++i)
    if (is_dropped(original, ModuleKind::Block, static_cast<int64_t>(i))) scores.block.angular_last[i] = kNaN;

  if (options.divergence) {
    at::Tensor sums =
        at::zeros({2, 3, layers}, at::TensorOptions().dtype(at::kDouble).device(model.output_device()));
    for (int64_t start = 0, b = 0; start < n; start += options.batch_size, ++b) {
      job.throw_if_cancelled();
      job.report(batches * pass + b, batches * passes, "kl and js");
      add_divergences(
          model, mine.narrow(0, start, std::min(options.batch_size, n - start)).to(model.device()), sums);
    }
    ++pass;
    if (ranks) ranks->all_reduce_sum(sums);
    sums = sums.cpu();
    const auto s = sums.accessor<double, 3>();
    for (int64_t k = 0; k < 3; ++k) {
      ModuleScores& target = k == 0 ? scores.block : k == 1 ? scores.attn : scores.mlp;
      const auto kind = static_cast<ModuleKind>(k);
      for (int64_t i = 0; i < layers; ++i) {
        const bool dropped = is_dropped(original, kind, i);
        target.kl.push_back(dropped ? kNaN : s[0][k][i] / double(scores.tokens));
        target.js.push_back(dropped ? kNaN : s[1][k][i] / double(scores.tokens));
      }
    }
  }

  if (options.nll_delta) {
    for (ModuleScores* m : {&scores.block, &scores.attn, &scores.mlp}) m->nll_delta.assign(layers, kNaN);
    for_each_removal(model, original, job, [&](ModuleKind kind, int64_t i) {
      const double nll =
          run_pass(std::string(to_string(kind)) + " " + std::to_string(i) + " dropped", nullptr, nullptr);
      scores.of(kind).nll_delta[static_cast<size_t>(i)] = nll - scores.base_nll;
    });
  }
  job.report(batches * passes, batches * passes, "scored");
  return scores;
}

TaskImportance task_importance(Model& model, const std::string& task, int64_t limit, const GoldRequests& gold,
                               const ScoringOptions& scoring, JobContext& job) {
  if (gold.requests.empty()) throw_bad_input("task " + task + " gave no gold answers to score");
  c10::InferenceMode inference;
  const DropPlan original = model.drops();
  const int64_t layers = model.config().num_layers, steps = 1 + removals(original, layers);
  int64_t step = 0;
  TaskImportance result{.task = task, .limit = limit, .documents = gold.documents};
  for (const TokenRequest& r : gold.requests) result.tokens += static_cast<int64_t>(r.continuation.size());
  auto mean_nll = [&](const std::string& what) {
    JobContext pass(job, [&](const Progress& p) {
      job.report(step * 100 + (p.total > 0 ? p.done * 100 / p.total : 0), steps * 100, task + ": " + what);
    });
    double total = 0;
    for (const TokenScore& s : score_requests(model, gold.requests, scoring, pass)) total -= s.loglikelihood;
    ++step;
    return total / double(result.tokens);
  };
  result.base_nll = mean_nll("with every module");
  for (ModuleScores* m : {&result.block, &result.attn, &result.mlp}) m->nll_delta.assign(layers, kNaN);
  for_each_removal(model, original, job, [&](ModuleKind kind, int64_t i) {
    const double nll = mean_nll(std::string(to_string(kind)) + " " + std::to_string(i) + " dropped");
    result.of(kind).nll_delta[static_cast<size_t>(i)] = nll - result.base_nll;
  });
  return result;
}

}  // namespace llmdrop
