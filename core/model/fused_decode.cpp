// Model::decode_step on a GPU in 16 bits at batch 1, on the fused kernels of model/cuda: per layer five
// launches instead of about twenty, each weight read once (16-bit, or the 4-bit codes of a quantized model).
#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/cuda/decode_kernels.h"
#include "model/cuda/tensor_kernels.h"
#include "model/model.h"

namespace llmdrop {

bool Model::fused_decode_supported(const at::Tensor& token) const {
  const ModelConfig& c = config_;
  const int64_t widest_input = std::max({c.hidden_size, c.intermediate_size, c.num_heads * c.head_dim});
  // The kernels compute Llama's layer: no extra norms, soft-caps or GELU, RoPE over whole heads.
  const bool supported =
      !streamed_ && !trainable_ && !tensor_parallel_ && !placed() && c.arch == Architecture{} &&
      (c.rotary_dim == 0 || c.rotary_dim == c.head_dim) && cuda::element_type(embedding_) &&
      token.size(0) == 1 &&
      cuda::decode_attention_supports(static_cast<int>(c.head_dim), static_cast<int>(c.num_heads),
                                      static_cast<int>(c.num_kv_heads)) &&
      c.hidden_size % 8 == 0 && c.intermediate_size % 8 == 0 && widest_input <= 49152;
  // Every 4-bit product's block fits the GPU's shared memory (narrow groups over a wide K may not): else the
  // ATen step, which dequantizes each product where it runs. Those normalising the residual line are checked
  // with their first layer's input, the largest to stage.
  using cuda::GemvInput, cuda::GemvOutput;
  auto fits = [](const LinearWeight& w, int64_t n, int64_t k, GemvInput input, GemvOutput output) {
    return !w.int4 ||
           cuda::int4_gemv_fits(
               {.n = n, .k = k, .input = input, .output = output, .group_size = w.int4->group_size});
  };
  const int64_t hidden = c.hidden_size, attended = c.num_heads * c.head_dim,
                qkv = attended + 2 * c.num_kv_heads * c.head_dim;
  return supported && std::all_of(layers_.begin(), layers_.end(), [&](const DecoderLayer& l) {
           return (!l.attn ||
                   (fits(l.attn->qkv, qkv, hidden, GemvInput::rms_norm, GemvOutput::store) &&
                    fits(l.attn->o, hidden, attended, GemvInput::fragments, GemvOutput::add_to))) &&
                  (!l.mlp || (fits(l.mlp->gate_up, c.intermediate_size, hidden, GemvInput::rms_norm,
                                   GemvOutput::swiglu) &&
                              fits(l.mlp->down, hidden, c.intermediate_size, GemvInput::fragments,
                                   GemvOutput::add_to)));
         });
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
  // A 4-bit product reads its input in the order of its B fragments (its stored column order included),
  // written so by the kernel before it: o's by attention, down's by gate|up, and q|k|v's and gate|up's, the
  // residual line they normalise, by the residual add before them (the first q|k|v reads x); their norm
  // weights are kept in that order too (Int4Weight::norm_fragments). No reordering or gather in each of its
  // blocks. Padding past K stays zero. (7B decode on an H100, bf16: o and down, RTN 506.5 against 496.7
  // tok/s at context 128, act-order 473.0 against 449.4; q|k|v and gate|up as well, RTN 510.6 against 505.0,
  // act-order 502.8 against 473.1.)
  std::vector<const LinearWeight*> normalising;  // the products that normalise the residual line, in order
  for (const auto& layer : layers_) {
    if (layer.attn) normalising.push_back(&layer.attn->qkv);
    if (layer.mlp) normalising.push_back(&layer.mlp->gate_up);
  }
  auto fragments_for = [&](bool needed, int64_t k) {
    if (!needed) return at::Tensor();
    return k % 64 == 0 ? at::empty({k}, opts) : at::zeros({cuda::fragment_elements(k)}, opts);
  };
  auto any_layer = [&](auto has) { return std::any_of(layers_.begin(), layers_.end(), has); };
  const at::Tensor attended_fragments =
      fragments_for(any_layer([](const auto& l) { return l.attn && l.attn->o.int4; }), heads * head_dim);
  const at::Tensor act_fragments =
      fragments_for(any_layer([](const auto& l) { return l.mlp && l.mlp->down.int4; }), inter);
  auto reads_normed_fragments = [](const LinearWeight* w) {
    return w && w->int4 && w->int4->norm_fragments.defined();
  };
  const at::Tensor x_fragments =
      fragments_for(std::any_of(normalising.begin(), normalising.end(), reads_normed_fragments), hidden);
  auto stored_columns = [](const LinearWeight* w) {
    return w && w->int4 && w->int4->stored_columns.defined() ? w->int4->stored_columns.data_ptr<int32_t>()
                                                             : nullptr;
  };
  at::Tensor partials =
      at::empty({cuda::decode_attention_workspace(static_cast<int>(heads), static_cast<int>(cache.capacity()),
                                                  static_cast<int>(head_dim))},
                opts.dtype(at::kFloat));
  at::Tensor counters = at::zeros({kv_heads}, opts.dtype(at::kInt));
  // Each 4-bit product's own tile counter (4 products per layer), all zeroed here at once.
  at::Tensor tile_counters = at::zeros({int64_t(layers_.size()) * 4}, opts.dtype(at::kInt));
  auto* next_tile_counter = static_cast<unsigned*>(tile_counters.data_ptr());
  auto data = [](const at::Tensor& t) -> void* { return t.defined() ? t.data_ptr() : nullptr; };
  // args with the weight of `w`, 16-bit or 4-bit
  auto with_weight = [&](cuda::GemvArgs args, const LinearWeight& w) {
    if (w.int4) {
      args.weight = data(w.int4->words);
      args.scale_zero = w.int4->scale_zero.data_ptr<int32_t>();
      args.input_order = static_cast<const int32_t*>(data(w.int4->input_order));
      args.group_size = w.int4->group_size;
      args.tile_counter = next_tile_counter++;
    } else {
      args.weight = data(w.dense);
    }
    return args;
  };
  // A product normalising the residual line reads x_fragments when the residual add before it wrote them.
  size_t normalised = 0;  // normalising products launched
  bool x_fragments_written = false;
  auto normalising_input = [&](cuda::GemvArgs args) {
    const LinearWeight& w = *normalising[normalised++];
    if (x_fragments_written) {
      args.x = data(x_fragments);
      args.norm_weight = data(w.int4->norm_fragments);
      args.input = GemvInput::rms_norm_fragments;
    }
    x_fragments_written = false;
    return args;
  };
  auto residual_add = [&](cuda::GemvArgs args) {
    const LinearWeight* next = normalised < normalising.size() ? normalising[normalised] : nullptr;
    x_fragments_written = reads_normed_fragments(next);
    if (x_fragments_written) {
      args.out_fragments = data(x_fragments);
      args.out_columns = stored_columns(next);
    }
    return args;
  };

  for (const auto& layer : layers_) {
    // Residual line 1: x += o(attention(rope(qkv(norm(x))))), skipped when attention is dropped.
    if (layer.attn) {
      const AttentionWeights& w = *layer.attn;
      cuda::gemv(type,
                 normalising_input(with_weight({.x = data(x),
                                                .norm_weight = data(w.pre_norm),
                                                .eps = eps,
                                                .bias = data(w.qkv_bias),
                                                .out = data(qkv),
                                                .n = qkv.size(0),
                                                .k = hidden,
                                                .input = GemvInput::rms_norm,
                                                .output = GemvOutput::store},
                                               w.qkv)),
                 stream);
      const bool o_fragments = w.o.int4.has_value();
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
                              .out = o_fragments ? nullptr : data(attended),
                              .out_fragments = o_fragments ? data(attended_fragments) : nullptr,
                              .out_columns = stored_columns(&w.o)},
                             stream);
      cuda::gemv(type,
                 residual_add(with_weight({.x = data(o_fragments ? attended_fragments : attended),
                                           .bias = data(w.o_bias),
                                           .out = data(x),
                                           .n = hidden,
                                           .k = heads * head_dim,
                                           .input = o_fragments ? GemvInput::fragments : GemvInput::plain,
                                           .output = GemvOutput::add_to},
                                          w.o)),
                 stream);
    }
    // Residual line 2: x += down(silu(gate(norm(x))) · up(norm(x))), skipped when the MLP is dropped.
    if (layer.mlp) {
      const bool down_fragments = layer.mlp->down.int4.has_value();
      cuda::gemv(
          type,
          normalising_input(with_weight({.x = data(x),
                                         .norm_weight = data(layer.mlp->pre_norm),
                                         .eps = eps,
                                         .out = down_fragments ? nullptr : data(act),
                                         .out_fragments = down_fragments ? data(act_fragments) : nullptr,
                                         .out_columns = stored_columns(&layer.mlp->down),
                                         .n = inter,
                                         .k = hidden,
                                         .input = GemvInput::rms_norm,
                                         .output = GemvOutput::swiglu},
                                        layer.mlp->gate_up)),
          stream);
      cuda::gemv(type,
                 residual_add(with_weight({.x = data(down_fragments ? act_fragments : act),
                                           .out = data(x),
                                           .n = hidden,
                                           .k = inter,
                                           .input = down_fragments ? GemvInput::fragments : GemvInput::plain,
                                           .output = GemvOutput::add_to},
                                          layer.mlp->down)),
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
