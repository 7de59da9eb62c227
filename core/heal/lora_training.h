#pragma once
// The pieces of healing (heal/heal.h) that work on tensors: for tests and reference comparisons.
#include <ATen/core/Tensor.h>

#include "heal/heal.h"

namespace llmdrop {

class Model;

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

}  // namespace llmdrop
