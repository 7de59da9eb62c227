#include "eval/perplexity.h"

#include <cmath>

#include "model/generation.h"
#include "model/model.h"
#include "util/error.h"

namespace llmdrop {

PerplexityResult perplexity(const Model& model, const std::vector<int64_t>& tokens,
                            std::optional<int64_t> bos, int64_t seq_len, int64_t max_windows,
                            JobContext& job) {
  if (seq_len < 2) throw_bad_input("seq-len must be at least 2");
  if (tokens.empty()) throw_bad_input("the text holds no tokens");
  // With BOS each window carries seq_len-1 text tokens; without one the first token is context only.
  const int64_t stride = bos ? seq_len - 1 : seq_len;
  const int64_t total = static_cast<int64_t>(tokens.size());
  int64_t windows = (total + stride - 1) / stride;
  if (max_windows > 0) windows = std::min(windows, max_windows);
  PerplexityResult result;
  double nll_sum = 0;
  for (int64_t w = 0; w < windows; ++w) {
    job.throw_if_cancelled();
    job.report(w, windows, "window " + std::to_string(w + 1) + "/" + std::to_string(windows));
    const int64_t begin = w * stride, end = std::min(total, begin + stride);
    std::vector<int64_t> ids;
    if (bos) ids.push_back(*bos);
    ids.insert(ids.end(), tokens.begin() + begin, tokens.begin() + end);
    if (ids.size() < 2) continue;  // a lone token without BOS has nothing to predict
    for (double lp : next_token_logprobs(model, ids)) nll_sum -= lp;
    result.tokens += static_cast<int64_t>(ids.size()) - 1;
    ++result.windows;
  }
  job.report(windows, windows, "done");
  if (result.tokens == 0) throw_bad_input("the text is too short to score");
  result.mean_nll = nll_sum / static_cast<double>(result.tokens);
  result.ppl = std::exp(result.mean_nll);
  return result;
}

}  // namespace llmdrop
