#pragma once
// The logit lens: what the model would predict next if it stopped after a given layer — the final norm and
// the head applied to the residual stream after each attention and each MLP sub-layer, at every position of
// a prompt. Dropped modules leave the stream unchanged and are marked as such.
#include <cstdint>
#include <vector>

namespace llmdrop {

class Model;

struct LensPrediction {
  std::vector<int64_t> ids;   // the top k next tokens, most probable first
  std::vector<double> probs;  // their probabilities
};

// One sub-layer's output: after layer `layer`'s attention (m = h + Attn(LN(h))) or its MLP (the block
// output).
struct LensRow {
  int64_t layer = 0;
  bool after_mlp = false;
  bool dropped = false;                     // the sub-layer is dropped: the stream passes unchanged
  std::vector<LensPrediction> predictions;  // one per position of the prompt
};

// 2 rows per layer, in order: attention, then MLP. BadInput for an empty prompt, ids outside the vocabulary
// or k outside [1, vocabulary].
std::vector<LensRow> logit_lens(const Model& model, const std::vector<int64_t>& ids, int64_t k);

}  // namespace llmdrop
