// Model::decode_step on a GPU in 16 bits at batch 1, on the fused kernels of model/cuda: per layer five
// launches instead of about twenty, each weight read once (16-bit, or the 4-bit codes of a quantized model).
#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

#include "model/cuda/decode_kernels.h"
#include "model/cuda/tensor_kernels.h"
#include "model/model.h"

namespace llmdrop {

bool Model::fused_decode_supported(const at::Tensor& token) const {
  const ModelConfig& c = config_;
  const int64_t widest_input = std::max({c.hidden_size, c.intermediate_size, c.num_heads * c.head_dim});
  // The kernels compute Llama's layer: no extra norms, soft-caps or GELU, RoPE over whole heads.
  return !streamed_ && !trainable_ && !tensor_parallel_ && !placed() && c.arch == Architecture{} &&
         (c.rotary_dim == 0 || c.rotary_dim == c.head_dim) && cuda::element_type(embedding_) &&
         token.size(0) == 1 &&
         cuda::decode_attention_supports(static_cast<int>(c.head_dim), static_cast<int>(c.num_heads),
                                         static_cast<int>(c.num_kv_heads)) &&
         c.hidden_size % 8 == 0 && c.intermediate_size % 8 == 0 && widest_input <= 49152;
}

at::Tensor Model::fused_decode_step(const at::Tensor& token, const at::Tensor& position,
                                    KVCache& cache) const {
  using cuda::GemvInput, cuda::GemvOutput;
  const cuda::ElementType type = *cuda::element_type(embedding_);
  const cudaStream_t stream = cuda::stream_of(embedding_);
  const int64_t hidden = config_.hidden_size, heads = config_.num_heads, kv_heads = config_.num_kv_heads,
                head_dim = config_.head_dim, inter = config_.intermediate_size;
  const float eps = static_cast<float>(config_.rms_norm_eps);
  const auto opts = at::TensorOptions().dtype(dtype_).device(device_);

  at::Tensor x = at::embedding(embedding_, token).view({hidden});  // the residual line, updated in place
  at::Tensor qkv = at::empty({(heads + 2 * kv_heads) * head_dim}, opts);
  at::Tensor attended = at::empty({heads * head_dim}, opts);
  at::Tensor act = at::empty({inter}, opts);
  // A 4-bit o or down reads its input in the order of its B fragments (its stored column order included),
  // written so by attention or gate|up: no reordering or gather in each of its blocks. Padding past K stays
  // zero. (7B decode on an H100, bf16: RTN 506.5 against 496.7 tok/s at context 128, act-order 473.0 against
  // 449.4.)
  auto reads_fragments = [](const LinearWeight& w) { return w.int4.has_value(); };
  auto stored_columns = [](const LinearWeight& w) {
    return w.int4 && w.int4->stored_columns.defined() ? w.int4->stored_columns.data_ptr<int32_t>() : nullptr;
  };
  auto fragments_for = [&](auto reads, int64_t k) {
    if (!std::any_of(layers_.begin(), layers_.end(), reads)) return at::Tensor();
    return k % 64 == 0 ? at::empty({k}, opts) : at::zeros({cuda::fragment_elements(k)}, opts);
  };
  const at::Tensor attended_fragments = fragments_for(
      [&](const auto& layer) { return layer.attn && reads_fragments(layer.attn->o); }, heads * head_dim);
  const at::Tensor act_fragments =
      fragments_for([&](const auto& layer) { return layer.mlp && reads_fragments(layer.mlp->down); }, inter);
  at::Tensor partials =
      at::empty({cuda::decode_attention_workspace(static_cast<int>(heads), static_cast<int>(cache.capacity()),
                                                  static_cast<int>(head_dim))},
                opts.dtype(at::kFloat));
  at::Tensor counters = at::zeros({kv_heads}, opts.dtype(at::kInt));
  // Each 4-bit product's own pair of tile counters (4 products per layer).
  at::Tensor tile_counters = at::zeros({int64_t(layers_.size()) * 4 * 2}, opts.dtype(at::kInt));
  auto* next_tile_counters = static_cast<unsigned*>(tile_counters.data_ptr());
  auto data = [](const at::Tensor& t) -> void* { return t.defined() ? t.data_ptr() : nullptr; };
  // args with the weight of `w`, 16-bit or 4-bit
  auto with_weight = [&](cuda::GemvArgs args, const LinearWeight& w) {
    if (w.int4) {
      args.weight = data(w.int4->words);
      args.scale_zero = w.int4->scale_zero.data_ptr<int32_t>();
      args.input_order = static_cast<const int32_t*>(data(w.int4->input_order));
      args.group_size = w.int4->group_size;
      args.tile_counters = next_tile_counters;
      next_tile_counters += 2;
    } else {
      args.weight = data(w.dense);
    }
    return args;
  };

  for (const auto& layer : layers_) {
    // Residual line 1: x += o(attention(rope(qkv(norm(x))))), skipped when attention is dropped.
    if (layer.attn) {
      const AttentionWeights& w = *layer.attn;
      cuda::gemv(type,
                 with_weight({.x = data(x),
                              .norm_weight = data(w.pre_norm),
                              .eps = eps,
                              .bias = data(w.qkv_bias),
                              .out = data(qkv),
                              .n = qkv.size(0),
                              .k = hidden,
                              .input = GemvInput::rms_norm,
                              .output = GemvOutput::store},
                             w.qkv),
                 stream);
      const bool o_fragments = reads_fragments(w.o);
      const auto [keys, values] = cache.buffers(layer.index);
      cuda::decode_attention(type,
                             {.qkv = data(qkv),
                              .cos = data(cache.rope().cos),
                              .signed_sin = data(cache.rope().signed_sin),
                              .keys = data(keys),
                              .values = data(values),
                              .position = position.data_ptr<int64_t>(),
                              .capacity = static_cast<int>(cache.capacity()),
                              .heads = static_cast<int>(heads),
                              .kv_heads = static_cast<int>(kv_heads),
                              .head_dim = static_cast<int>(head_dim),
                              .window = static_cast<int>(layer.sliding_window),
                              .scale = float(1.0 / std::sqrt(double(head_dim))),
                              .partials = partials.data_ptr<float>(),
                              .counters = static_cast<unsigned*>(data(counters)),
                              .out = data(o_fragments ? attended_fragments : attended),
                              .out_as_fragments = o_fragments,
                              .out_columns = stored_columns(w.o)},
                             stream);
      cuda::gemv(type,
                 with_weight({.x = data(o_fragments ? attended_fragments : attended),
                              .bias = data(w.o_bias),
                              .out = data(x),
                              .n = hidden,
                              .k = heads * head_dim,
                              .input = o_fragments ? GemvInput::fragments : GemvInput::plain,
                              .output = GemvOutput::add_to},
                             w.o),
                 stream);
    }
    // Residual line 2: x += down(silu(gate(norm(x))) · up(norm(x))), skipped when the MLP is dropped.
    if (layer.mlp) {
      const bool down_fragments = reads_fragments(layer.mlp->down);
      const at::Tensor& down_input = down_fragments ? act_fragments : act;
      cuda::gemv(type,
                 with_weight({.x = data(x),
                              .norm_weight = data(layer.mlp->pre_norm),
                              .eps = eps,
                              .out = data(down_input),
                              .out_as_fragments = down_fragments,
                              .out_columns = stored_columns(layer.mlp->down),
                              .n = inter,
                              .k = hidden,
                              .input = GemvInput::rms_norm,
                              .output = GemvOutput::swiglu},
                             layer.mlp->gate_up),
                 stream);
      cuda::gemv(type,
                 with_weight({.x = data(down_input),
                              .out = data(x),
                              .n = hidden,
                              .k = inter,
                              .input = down_fragments ? GemvInput::fragments : GemvInput::plain,
                              .output = GemvOutput::add_to},
                             layer.mlp->down),
                 stream);
    }
  }
  at::Tensor logits = at::empty({1, 1, config_.vocab_size}, opts);
  cuda::gemv(type,
             {.weight = data(lm_head_),
              .x = data(x),
              .norm_weight = data(final_norm_),
              .eps = eps,
              .out = data(logits),
              .n = config_.vocab_size,
              .k = hidden,
              .input = GemvInput::rms_norm},
             stream);
  return logits;  // (1, 1, V)
}

}  // namespace llmdrop
