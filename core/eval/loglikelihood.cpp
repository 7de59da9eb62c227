#include "eval/loglikelihood.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "distributed/communicator.h"
#include "model/model.h"
#include "util/error.h"

namespace llmdrop {

namespace {

// One packed sequence: a context followed by the continuations of several requests (each without its last
// token, which nothing is predicted from).
struct Pack {
  std::vector<int64_t> context;
  std::vector<size_t> requests;
  int64_t length = 0;  // context + Σ (continuation − 1)
};

constexpr int64_t kLogitRows = 2048;  // log-softmax rows at a time, bounding the (rows, V) float32 buffer
constexpr int64_t kStreamedWaveBytes = int64_t{2} << 30;  // hidden states per pass over streamed layers

// Every rank's scores in every rank's `scores` (each rank holds its own requests' and the initial values of
// the others'), then `scored` with all of them.
void merge_scores(std::vector<TokenScore>& scores, const Communicator& ranks, c10::Device device,
                  const ScoredFn& scored) {
  const auto n = static_cast<int64_t>(scores.size());
  at::Tensor mine = at::zeros({2, n}, at::kDouble);  // log-likelihood, not greedy; 0 for another rank's
  auto a = mine.accessor<double, 2>();
  for (int64_t i = 0; i < n; ++i) {
    const TokenScore& s = scores[static_cast<size_t>(i)];
    a[0][i] = s.loglikelihood;
    a[1][i] = s.greedy ? 0 : 1;
  }
  at::Tensor merged = mine.to(device);
  ranks.all_reduce_sum(merged);
  merged = merged.cpu();
  auto m = merged.accessor<double, 2>();
  std::vector<size_t> all(scores.size());
  for (int64_t i = 0; i < n; ++i) {
    scores[static_cast<size_t>(i)] = {m[0][i], m[1][i] == 0};
    all[static_cast<size_t>(i)] = static_cast<size_t>(i);
  }
  if (scored) scored(all, scores);
}

}  // namespace

std::vector<TokenScore> score_requests(const Model& model, const std::vector<TokenRequest>& requests,
                                       const ScoringOptions& options, JobContext& job,
                                       const ScoredFn& scored) {
  const int64_t max_length =
      options.max_length > 0 ? options.max_length : model.config().max_position_embeddings;
  if (options.batch_size < 1) throw_bad_input("batch size must be at least 1");
  const int64_t max_tokens = options.max_batch_tokens > 0
                                 ? options.max_batch_tokens
                                 : options.batch_size * std::max<int64_t>(max_length, 1);

  // Left-truncate each request to max_length+1 tokens (taken from its context), then group by context.
  std::map<std::vector<int64_t>, std::vector<size_t>> by_context;
  for (size_t r = 0; r < requests.size(); ++r) {
    const auto& [ctx, cont] = requests[r];
    if (ctx.empty() || cont.empty())
      throw_bad_input("a loglikelihood request needs a context and a continuation");
    if (static_cast<int64_t>(cont.size()) > max_length)
      throw_bad_input("a continuation of " + std::to_string(cont.size()) +
                      " tokens does not fit the model's context of " + std::to_string(max_length));
    const int64_t excess = static_cast<int64_t>(ctx.size() + cont.size()) - (max_length + 1);
    by_context[excess > 0 ? std::vector<int64_t>(ctx.begin() + excess, ctx.end()) : ctx].push_back(r);
  }
  // Pack each context's continuations, starting a new pack when one would outgrow the model's context
  // (attention costs the square of a pack's length; sharing saves only the context's linear cost).
  std::vector<Pack> packs;
  for (auto& [ctx, members] : by_context) {
    Pack pack{ctx, {}, static_cast<int64_t>(ctx.size())};
    for (size_t r : members) {
      const int64_t extra = static_cast<int64_t>(requests[r].continuation.size()) - 1;
      if (!pack.requests.empty() && pack.length + extra > max_length) {
        packs.push_back(pack);
        pack = Pack{ctx, {}, static_cast<int64_t>(ctx.size())};
      }
      pack.requests.push_back(r);
      pack.length += extra;
    }
    packs.push_back(std::move(pack));
  }
  // Longest first, like lm-eval: an out-of-memory shows up at once, and batches hold similar lengths.
  std::stable_sort(packs.begin(), packs.end(),
                   [](const Pack& a, const Pack& b) { return a.length > b.length; });
  const Communicator* ranks = options.data_parallel.get();
  if (ranks) {  // this rank's packs: every size-th, from its rank on
    std::vector<Pack> mine;
    for (size_t i = static_cast<size_t>(ranks->rank()); i < packs.size();
         i += static_cast<size_t>(ranks->size()))
      mine.push_back(std::move(packs[i]));
    packs = std::move(mine);
  }
  const ScoredFn report_batch = ranks ? ScoredFn() : scored;
  const auto total = static_cast<int64_t>(std::accumulate(
      packs.begin(), packs.end(), size_t{0}, [](size_t n, const Pack& p) { return n + p.requests.size(); }));

  c10::InferenceMode inference;
  std::vector<TokenScore> scores(requests.size(), TokenScore{0, true});
  const auto dev = model.device();
  // A forward pass's rows: the packed inputs, and per selected row its target token and request.
  struct Batch {
    Model::PackedBatch input;
    std::vector<int64_t> target;
    std::vector<size_t> owner, finished;
  };
  // Packs [first, first + b) as one batch, each padded to the first (longest) one's length.
  auto make_batch = [&](size_t first, int64_t b) {
    const int64_t t = packs[first].length;
    // Row layout: token ids, RoPE positions, segment (0 = context, k = k-th continuation, -1 = padding).
    at::Tensor ids = at::zeros({b, t}, at::kLong), pos = at::zeros({b, t}, at::kLong),
               seg = at::full({b, t}, -1, at::kLong);
    auto ids_a = ids.accessor<int64_t, 2>(), pos_a = pos.accessor<int64_t, 2>(),
         seg_a = seg.accessor<int64_t, 2>();
    Batch batch;
    std::vector<int64_t> select;
    for (int64_t row = 0; row < b; ++row) {
      const Pack& pack = packs[first + row];
      const auto c = static_cast<int64_t>(pack.context.size());
      for (int64_t i = 0; i < c; ++i) ids_a[row][i] = pack.context[i], pos_a[row][i] = i, seg_a[row][i] = 0;
      int64_t offset = c;
      for (size_t k = 0; k < pack.requests.size(); ++k) {
        const auto& cont = requests[pack.requests[k]].continuation;
        const auto n = static_cast<int64_t>(cont.size());
        // The context's last token predicts cont[0]; cont[m] (at offset+m) predicts cont[m+1].
        select.push_back(row * t + c - 1);
        for (int64_t m = 0; m + 1 < n; ++m) {
          ids_a[row][offset + m] = cont[m], pos_a[row][offset + m] = c + m,
                              seg_a[row][offset + m] = int64_t(k) + 1;
          select.push_back(row * t + offset + m);
        }
        batch.target.insert(batch.target.end(), cont.begin(), cont.end());
        batch.owner.insert(batch.owner.end(), n, pack.requests[k]);
        offset += n - 1;
      }
      for (int64_t i = offset; i < t; ++i) pos_a[row][i] = i;  // padding: sees the context and itself
      batch.finished.insert(batch.finished.end(), pack.requests.begin(), pack.requests.end());
    }
    // visible[b][i][j]: j not after i, and j in the context or in i's own continuation.
    at::Tensor seg_d = seg.to(dev), idx = at::arange(t, at::TensorOptions().dtype(at::kLong).device(dev));
    at::Tensor visible =
        (idx.unsqueeze(1) >= idx.unsqueeze(0)).unsqueeze(0) &
        ((seg_d.unsqueeze(1) == 0) | (seg_d.unsqueeze(2) == seg_d.unsqueeze(1)));  // (B, T, T)
    batch.input = {ids, pos, visible, at::tensor(select, at::kLong)};
    return batch;
  };
  int64_t done = 0;
  // The selected rows' final hidden states (N, hidden) → log-probabilities of their targets.
  auto finish_batch = [&](const Batch& batch, const at::Tensor& hidden) {
    at::Tensor targets = at::tensor(batch.target, at::kLong).to(hidden.device());
    std::vector<at::Tensor> logp_parts, greedy_parts;
    for (int64_t start = 0; start < hidden.size(0); start += kLogitRows) {
      const int64_t rows = std::min(kLogitRows, hidden.size(0) - start);
      at::Tensor logp =
          at::log_softmax(model.logits(hidden.narrow(0, start, rows)).to(at::kFloat), -1);  // (rows, V)
      at::Tensor want = targets.narrow(0, start, rows);
      logp_parts.push_back(logp.gather(1, want.unsqueeze(1)).squeeze(1));
      greedy_parts.push_back(logp.argmax(-1) == want);
    }
    at::Tensor token_logp = at::cat(logp_parts).to(at::kDouble).cpu(),
               token_greedy = at::cat(greedy_parts).cpu();
    const double* lp = token_logp.data_ptr<double>();
    const bool* gr = token_greedy.data_ptr<bool>();
    for (size_t i = 0; i < batch.owner.size(); ++i) {
      scores[batch.owner[i]].loglikelihood += lp[i];
      scores[batch.owner[i]].greedy = scores[batch.owner[i]].greedy && gr[i];
    }
    done += static_cast<int64_t>(batch.finished.size());
    if (report_batch) report_batch(batch.finished, scores);
    job.report(done, total, "scoring");
  };
  // Batch by batch; when the layers stream, as many batches per pass over the layers as kStreamedWaveBytes of
  // hidden states allow (each pass loads every layer once).
  const int64_t row_bytes =
      model.config().hidden_size * static_cast<int64_t>(c10::elementSize(model.dtype()));
  JobContext layers(job, [](const Progress&) {});  // cancellation only: progress counts requests
  for (size_t first = 0; first < packs.size();) {
    job.throw_if_cancelled();
    std::vector<Batch> wave;
    int64_t wave_bytes = 0;
    do {
      const int64_t t = packs[first].length;
      const int64_t b =
          std::clamp<int64_t>(std::min(options.batch_size, max_tokens / std::max<int64_t>(t, 1)), 1,
                              static_cast<int64_t>(packs.size() - first));
      wave.push_back(make_batch(first, b));
      first += static_cast<size_t>(b);
      wave_bytes += b * t * row_bytes;
    } while (model.streamed() && first < packs.size() && wave_bytes < kStreamedWaveBytes);
    std::vector<Model::PackedBatch> inputs;
    for (const auto& batch : wave) inputs.push_back(batch.input);
    model.forward_packed_batches(
        inputs, [&](size_t i, const at::Tensor& hidden) { finish_batch(wave[i], hidden); }, layers);
  }
  if (ranks) merge_scores(scores, *ranks, dev, scored);
  return scores;
}

}  // namespace llmdrop
