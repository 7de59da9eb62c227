#include "model/generation.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "model/decode_graph.h"
#include "model/model.h"
#include "util/error.h"

namespace llmdrop {

namespace {
at::Tensor as_batch(const std::vector<int64_t>& ids) {
  return at::tensor(ids, at::TensorOptions().dtype(at::kLong)).unsqueeze(0);  // (1, T)
}

// Picks the next token from (V) logits.
int64_t sample(const at::Tensor& logits, const SamplingOptions& options, std::mt19937_64& rng) {
  if (options.greedy || options.temperature <= 0) return logits.argmax().item<int64_t>();
  at::Tensor probs = at::softmax(logits.to(at::kDouble) / options.temperature, -1).cpu().contiguous();
  const double* p = probs.data_ptr<double>();
  std::vector<int64_t> order(probs.numel());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return p[a] > p[b]; });
  // Nucleus: the smallest prefix of the sorted distribution whose mass reaches top_p.
  std::vector<double> kept;
  double mass = 0;
  for (int64_t id : order) {
    kept.push_back(p[id]);
    mass += p[id];
    if (mass >= options.top_p) break;
  }
  std::discrete_distribution<size_t> pick(kept.begin(), kept.end());
  return order[pick(rng)];
}
}  // namespace

std::vector<double> next_token_logprobs(const Model& model, const std::vector<int64_t>& ids) {
  if (ids.size() < 2) throw_bad_input("need at least two token ids to score next-token log-probabilities");
  c10::InferenceMode inference;
  return next_token_logprobs(model.forward(as_batch(ids)), ids);
}

std::vector<double> next_token_logprobs(const at::Tensor& logits, const std::vector<int64_t>& ids) {
  c10::InferenceMode inference;
  const auto n = static_cast<int64_t>(ids.size()) - 1;
  at::Tensor logp = at::log_softmax(logits.squeeze(0).narrow(0, 0, n).to(at::kFloat), -1);  // (T-1, V)
  at::Tensor targets =
      at::tensor(std::vector<int64_t>(ids.begin() + 1, ids.end()), at::kLong).to(logp.device());
  at::Tensor picked = logp.gather(1, targets.unsqueeze(1)).squeeze(1).to(at::kDouble).cpu();
  return {picked.data_ptr<double>(), picked.data_ptr<double>() + n};
}

std::vector<int64_t> generate(const Model& model, const std::vector<int64_t>& prompt,
                              const SamplingOptions& options, JobContext& job) {
  if (prompt.empty()) throw_bad_input("generation needs a non-empty prompt");
  if (options.max_new_tokens < 0) throw_bad_input("max-new-tokens must not be negative");
  c10::InferenceMode inference;
  std::mt19937_64 rng(options.seed);
  KVCache cache = model.new_cache(1, static_cast<int64_t>(prompt.size()) + options.max_new_tokens);
  std::vector<int64_t> out;
  if (options.max_new_tokens == 0) return out;
  at::Tensor logits = model.forward(as_batch(prompt), &cache, nullptr, /*last_only=*/true);  // (1, 1, V)
  DecodeGraph decoder(model, cache, options.cuda_graphs);
  for (int64_t step = 0; step < options.max_new_tokens; ++step) {
    job.throw_if_cancelled();
    const int64_t next = sample(logits[0][0], options, rng);
    out.push_back(next);
    job.report(step + 1, options.max_new_tokens, "generating");
    if ((options.stop_token && next == *options.stop_token) || step + 1 == options.max_new_tokens) break;
    if (options.stop_when && options.stop_when(out)) break;
    logits = decoder.step(as_batch({next}).to(model.device()));
  }
  return out;
}

}  // namespace llmdrop
