#pragma once
// The pieces of healing (heal/heal.h) that work on tensors: for tests and reference comparisons.
#include <ATen/core/Tensor.h>

#include <map>
#include <string>
#include <vector>

#include "heal/heal.h"

namespace llmdrop {

class Model;
class SafetensorsFile;

// One training step's mean cross-entropy of ids (B, T) predicting their next tokens, its gradients
// accumulated into the LoRA adapters of a trainable model: the layers run once without recording, keeping
// each one's input; the head and then each layer from the last are recomputed with autograd recording, the
// gradient of a layer's output passed back into its input (gradient checkpointing per layer). Cancellable
// between layers.
double lora_loss_and_gradients(const Model& model, const at::Tensor& ids,
                               JobContext& job = JobContext::silent());

// The training blocks (n, seq_len) heal() takes from request.data: the "pt" blocks of seq_len − 1 tokens, BOS
// first when the tokenizer has one; steps × batch_size of them, or as many as the text yields.
at::Tensor training_blocks(const Checkpoint& checkpoint, const HealRequest& request);

// The optimisation heal() runs on adapters attached to a trainable model's linears (params: their A and B),
// step by step: the loss and gradients (lora_loss_and_gradients), the gradients' global norm clipped as
// torch.nn.utils.clip_grad_norm_ clips it, then torch.optim.AdamW's step (betas 0.9, 0.999, eps 1e-8) at
// the learning rate of transformers' get_cosine_schedule_with_warmup.
class LoraTrainer {
 public:
  LoraTrainer(std::vector<at::Tensor> params, const HealRequest& request);
  // Step `step` (0-based) on ids (B, T); BadInput when its loss is not finite.
  HealStep step(const Model& model, const at::Tensor& ids, int64_t step,
                JobContext& job = JobContext::silent());
  double learning_rate(int64_t step) const;
  void drop_gradients();
  // The parameters and AdamW's moments by name (param.K, exp_avg.K, exp_avg_sq.K), on the CPU; restore
  // reads them back after `steps` steps.
  std::map<std::string, at::Tensor> state() const;
  void restore(const SafetensorsFile& file, int64_t steps);

 private:
  static constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8;
  HealRequest request_;
  std::vector<at::Tensor> params_, exp_avg_, exp_avg_sq_;
  int64_t steps_ = 0;
};

}  // namespace llmdrop
