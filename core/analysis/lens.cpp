#include "analysis/lens.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "model/model.h"
#include "util/error.h"

namespace llmdrop {

std::vector<LensRow> logit_lens(const Model& model, const std::vector<int64_t>& ids, int64_t k) {
  const int64_t vocab = model.config().vocab_size;
  if (ids.empty()) throw_bad_input("the logit lens needs a non-empty prompt");
  if (k < 1 || k > vocab) throw_bad_input("top-k must lie in [1, " + std::to_string(vocab) + "]");
  for (const int64_t id : ids)
    if (id < 0 || id >= vocab) throw_bad_input("token ids must lie in [0, " + std::to_string(vocab) + ")");
  c10::InferenceMode inference;
  struct Streams : HiddenStateObserver {
    std::vector<at::Tensor> after;  // (1, T, hidden): per layer, after attention then after the MLP
    void on_layer(const LayerTrace& t) override { after.push_back(t.mid), after.push_back(t.output); }
  } streams;
  const at::Tensor input = at::tensor(ids, at::kLong).unsqueeze(0).to(model.device());  // (1, T)
  model.forward(input, nullptr, &streams);
  const int64_t layers = model.config().num_layers;
  std::vector<LensRow> rows;
  for (int64_t r = 0; r < 2 * layers; ++r) {
    LensRow row;
    row.layer = r / 2;
    row.after_mlp = r % 2 == 1;
    row.dropped =
        row.after_mlp ? model.drops().mlp_dropped(row.layer) : model.drops().attn_dropped(row.layer);
    // The final norm and the head, as after the last layer.
    const at::Tensor probs = at::softmax(
        model.forward_from(layers, streams.after[static_cast<size_t>(r)]).squeeze(0).to(at::kDouble),
        -1);  // (T, V)
    const auto [top_probs, top_ids] = probs.topk(k, -1);
    const at::Tensor p = top_probs.cpu().contiguous(), i = top_ids.cpu().contiguous();
    for (int64_t t = 0; t < p.size(0); ++t)
      row.predictions.push_back({{i[t].data_ptr<int64_t>(), i[t].data_ptr<int64_t>() + k},
                                 {p[t].data_ptr<double>(), p[t].data_ptr<double>() + k}});
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace llmdrop
