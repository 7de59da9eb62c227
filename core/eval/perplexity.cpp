#include "eval/perplexity.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "model/cpu_compute.h"
#include "model/generation.h"
#include "model/model.h"
#include "model/observer.h"
#include "util/error.h"

namespace llmdrop {

namespace {

// The first layer whose attention or MLP `a` and `b` treat differently; `layers` when none.
int64_t first_difference(const DropPlan& a, const DropPlan& b, int64_t layers) {
  for (int64_t i = 0; i < layers; ++i)
    if (a.attn.count(i) != b.attn.count(i) || a.mlp.count(i) != b.mlp.count(i)) return i;
  return layers;
}

// Keeps the residual stream entering every keep_every-th layer.
class KeepLayerInputs : public HiddenStateObserver {
 public:
  KeepLayerInputs(std::vector<at::Tensor>& kept, int64_t keep_every) : kept_(kept), keep_every_(keep_every) {}
  void on_layer(const LayerTrace& trace) override {
    if (trace.layer % keep_every_ == 0) kept_[static_cast<size_t>(trace.layer / keep_every_)] = trace.input;
  }

 private:
  std::vector<at::Tensor>& kept_;
  int64_t keep_every_;
};

}  // namespace

TextPerplexity::TextPerplexity(const std::vector<int64_t>& tokens, std::optional<int64_t> bos,
                               int64_t seq_len, int64_t max_windows, int64_t kept_bytes)
    : kept_bytes_(kept_bytes) {
  if (seq_len < 2) throw_bad_input("seq-len must be at least 2");
  if (tokens.empty()) throw_bad_input("the text holds no tokens");
  // With BOS each window carries seq_len-1 text tokens; without one the first token is context only.
  const int64_t stride = bos ? seq_len - 1 : seq_len;
  const int64_t total = static_cast<int64_t>(tokens.size());
  total_windows_ = (total + stride - 1) / stride;
  if (max_windows > 0) total_windows_ = std::min(total_windows_, max_windows);
  for (int64_t w = 0; w < total_windows_; ++w) {
    const int64_t begin = w * stride, end = std::min(total, begin + stride);
    std::vector<int64_t> ids;
    if (bos) ids.push_back(*bos);
    ids.insert(ids.end(), tokens.begin() + begin, tokens.begin() + end);
    if (ids.size() >= 2) windows_.push_back(std::move(ids));  // a lone token without BOS predicts nothing
  }
  if (windows_.empty()) throw_bad_input("the text is too short to score");
}

TextPerplexity::~TextPerplexity() = default;

PerplexityResult TextPerplexity::measure(const Model& model, JobContext& job) {
  const int64_t layers = model.config().num_layers;
  int64_t first = 0;  // the layer to run from, on the kept states
  if (model_ == model.serial() && result_) {
    const int64_t changed = first_difference(drops_, model.drops(), layers);
    if (changed == layers) return *result_;
    first = changed / keep_every_ * keep_every_;
  }
  const bool keep_states = kept_bytes_ > 0 && !model.streamed();  // streamed: every window in one pass
  if (!keep_states) first = 0;
  if (first == 0 && keep_states) {  // (re)start: size the kept states for this model
    const int64_t window_bytes = static_cast<int64_t>(windows_.front().size()) * model.config().hidden_size *
                                 static_cast<int64_t>(c10::elementSize(model.dtype()));
    const int64_t all_bytes =
        std::max<int64_t>(1, window_bytes * layers * static_cast<int64_t>(windows_.size()));
    keep_every_ = std::max<int64_t>(1, (all_bytes + kept_bytes_ - 1) / kept_bytes_);
    kept_.assign(windows_.size(),
                 std::vector<at::Tensor>(static_cast<size_t>((layers + keep_every_ - 1) / keep_every_)));
  }
  model_ = 0;  // the kept states are mixed until every window is done
  result_.reset();
  // Each window's NLL, summed in window order afterwards: the same value however many threads ran them.
  std::vector<double> window_nll(windows_.size(), 0.0);
  std::mutex progress_mutex;
  int64_t started = 0;
  auto measure_window = [&](int64_t w, int64_t /*worker*/) {
    job.throw_if_cancelled();
    {
      const std::lock_guard lock(progress_mutex);
      job.report(started, total_windows_,
                 "window " + std::to_string(started + 1) + "/" + std::to_string(total_windows_));
      ++started;
    }
    c10::InferenceMode inference;  // per thread
    const std::vector<int64_t>& ids = windows_[static_cast<size_t>(w)];
    const at::Tensor input = first == 0
                                 ? model.embed(at::tensor(ids, at::kLong).unsqueeze(0))  // (1, T, hidden)
                                 : kept_[static_cast<size_t>(w)][static_cast<size_t>(first / keep_every_)];
    std::optional<KeepLayerInputs> keep;
    if (keep_states) keep.emplace(kept_[static_cast<size_t>(w)], keep_every_);
    for (double lp : next_token_logprobs(model.forward_from(first, input, keep ? &*keep : nullptr), ids))
      window_nll[static_cast<size_t>(w)] -= lp;
  };
  const auto n = static_cast<int64_t>(windows_.size());
  if (model.streamed()) {  // layer by layer, every window passing a layer before the next is loaded
    std::vector<at::Tensor> batches;  // (1, T) per window
    for (const auto& ids : windows_)
      batches.push_back(at::tensor(ids, at::kLong).unsqueeze(0).to(model.device()));
    JobContext pass(job, [&](const Progress& p) {
      job.report(p.total > 0 ? p.done * total_windows_ / p.total : 0, total_windows_, p.message);
    });
    model.forward_batches(
        batches, nullptr,
        [&](size_t w, const at::Tensor& logits) {
          for (double lp : next_token_logprobs(logits, windows_[w])) window_nll[w] -= lp;
        },
        pass);
  } else {
    // Tensor-parallel ranks run their collectives in the same order only when the windows go in turn.
    for_each_on_cores(n, model.device().is_cpu() && model.tensor_parallel_ranks() == 1, measure_window);
  }
  PerplexityResult result;
  double nll_sum = 0;
  for (size_t w = 0; w < windows_.size(); ++w) {
    nll_sum += window_nll[w];
    result.tokens += static_cast<int64_t>(windows_[w].size()) - 1;
  }
  result.windows = n;
  job.report(total_windows_, total_windows_, "done");
  result.mean_nll = nll_sum / static_cast<double>(result.tokens);
  result.ppl = std::exp(result.mean_nll);
  if (kept_bytes_ > 0) model_ = model.serial(), drops_ = model.drops(), result_ = result;
  return result;
}

PerplexityResult perplexity(const Model& model, const std::vector<int64_t>& tokens,
                            std::optional<int64_t> bos, int64_t seq_len, int64_t max_windows,
                            JobContext& job) {
  return TextPerplexity(tokens, bos, seq_len, max_windows, /*kept_bytes=*/0).measure(model, job);
}

}  // namespace llmdrop
