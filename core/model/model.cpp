#include "model/model.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/version.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <future>
#include <iterator>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "model/cpu_compute.h"
#include "model/device.h"
#include "model/device_list.h"
#include "model/device_memory.h"
#include "model/memory_plan.h"
#ifdef LLMDROP_WITH_CUDA_KERNELS
#include "model/cuda/elementwise.h"
#include "model/cuda/tensor_kernels.h"
#endif
#include "checkpoint/family.h"
#include "checkpoint/quant_formats.h"
#include "distributed/communicator.h"
#include "model/rope.h"
#include "util/clock.h"
#include "util/error.h"

namespace llmdrop {

namespace {

std::string shape_string(at::IntArrayRef shape) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << "]";
  return out.str();
}

// LlamaRMSNorm of x, or of the residual sum x + delta (then returned too): normalise in float32, cast back,
// then scale. A float32 weight on 16-bit x scales before the cast, as Gemma's norm does. On a GPU in 16 bits
// one kernel, the residual add included, instead of up to eight.
struct Normed {
  at::Tensor sum, normed;
};
Normed rms_norm(const at::Tensor& x, const at::Tensor& delta, const at::Tensor& weight, double eps) {
#ifdef LLMDROP_WITH_CUDA_KERNELS
  const auto type = cuda::element_type(x);
  auto fits = [&](const at::Tensor& t) {  // what the kernel reads: contiguous, 16-byte aligned, x's type
    return t.is_contiguous() && t.scalar_type() == x.scalar_type() &&
           reinterpret_cast<uintptr_t>(t.data_ptr()) % 16 == 0;
  };
  if (type && x.size(-1) % 8 == 0 && fits(x) && fits(weight) &&
      (!delta.defined() || (fits(delta) && delta.sizes() == x.sizes()))) {
    Normed r{delta.defined() ? at::empty_like(x) : x, at::empty_like(x)};
    cuda::rms_norm(*type,
                   {.x = x.data_ptr(),
                    .delta = delta.defined() ? delta.data_ptr() : nullptr,
                    .weight = weight.data_ptr(),
                    .eps = static_cast<float>(eps),
                    .sum = r.sum.data_ptr(),
                    .out = r.normed.data_ptr(),
                    .rows = x.numel() / x.size(-1),
                    .cols = x.size(-1)},
                   cuda::stream_of(x));
    return r;
  }
#endif
  Normed r{delta.defined() ? x + delta : x, {}};
  const bool scale_in_float = weight.scalar_type() == at::kFloat && x.scalar_type() != at::kFloat;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  if (x.is_cuda() && !scale_in_float) {
    r.normed = weight * at::rms_norm(r.sum, {x.size(-1)}, std::nullopt, eps);
    return r;
  }
#endif
  at::Tensor xf = r.sum.to(at::kFloat);
  xf = xf * at::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps);
  r.normed = scale_in_float ? (xf * weight).to(x.scalar_type()) : weight * xf.to(x.scalar_type());
  return r;
}
at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& weight, double eps) {
  return rms_norm(x, {}, weight, eps).normed;
}

// (…, 2I) gate | up → (…, I) act_fn(gate) · up, rounded as transformers rounds it; SiLU on a GPU in 16 bits
// one kernel instead of two.
at::Tensor gated(const at::Tensor& gate_up, const std::string& activation) {
  const int64_t inter = gate_up.size(-1) / 2;
  if (activation == "gelu_pytorch_tanh")
    return at::gelu(gate_up.narrow(-1, 0, inter), "tanh") * gate_up.narrow(-1, inter, inter);
#ifdef LLMDROP_WITH_CUDA_KERNELS
  if (const auto type = cuda::element_type(gate_up); type && gate_up.is_contiguous()) {
    std::vector<int64_t> shape(gate_up.sizes().begin(), gate_up.sizes().end());
    shape.back() = inter;
    at::Tensor out = at::empty(shape, gate_up.options());
    cuda::swiglu(*type, gate_up.data_ptr(), out.data_ptr(), gate_up.numel() / (2 * inter), inter,
                 cuda::stream_of(gate_up));
    return out;
  }
#endif
  return at::silu(gate_up.narrow(-1, 0, inter)) * gate_up.narrow(-1, inter, inter);
}

// (B, KV, S, D) → (B, KV*n_rep, S, D), each kv head repeated for its group of query heads.
at::Tensor repeat_kv(const at::Tensor& x, int64_t n_rep) {
  if (n_rep == 1) return x;
  const auto b = x.size(0), kv = x.size(1), s = x.size(2), d = x.size(3);
  return x.unsqueeze(2).expand({b, kv, n_rep, s, d}).reshape({b, kv * n_rep, s, d});
}

// Which keys each query may see: causal, and within the sliding window when there is one.
// (T, S) bool, true = attend; undefined when every query sees every key, or when the attention is plainly
// causal from position 0 (then sdpa's is_causal serves, and lets the GPU use flash attention).
at::Tensor attention_mask(int64_t start, int64_t t, int64_t window, c10::Device device) {
  const int64_t s = start + t;
  const bool causal_needed = t > 1 && start > 0;
  const bool window_needed = window > 0 && s > window;
  if (!causal_needed && !window_needed) return {};
  auto opts = at::TensorOptions().dtype(at::kLong).device(device);
  at::Tensor q = at::arange(start, s, opts).unsqueeze(1);  // (T, 1)
  at::Tensor k = at::arange(0, s, opts).unsqueeze(0);      // (1, S)
  at::Tensor mask = k <= q;
  if (window_needed) mask = mask & (k > q - window);
  return mask;
}

// softmax(q·kᵀ·scale + mask)·v, the eager formula of transformers (softmax in float32), for q (B, H, T, D)
// and k, v (B, KV, S, D) with H a multiple of KV. `mask`: bool (true = attend) or additive float; undefined
// with `causal` for a fresh causal sequence (T == S). With `softcap` > 0 the scores become
// softcap·tanh(scores / softcap) before the mask (Gemma 2).
at::Tensor eager_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                           const at::Tensor& mask, bool causal, double scale, double softcap) {
  const int64_t b = q.size(0), h = q.size(1), t = q.size(2), d = q.size(3), kv = k.size(1), s = k.size(2);
  // The H / KV query heads that share a key/value head form one (H/KV·T, D) matrix: K and V are not copied
  // per head, and each GEMM is H/KV times taller.
  at::Tensor scores = at::matmul(q.reshape({b, kv, h / kv * t, d}), k.transpose(2, 3));  // (B, KV, H/KV·T, S)
  scores.mul_(scale);
  if (softcap > 0) scores.div_(softcap).tanh_().mul_(softcap);
  at::Tensor per_query = scores.view({b, kv, h / kv, t, s});
  // A (B, 1, T, S) mask, made for (B, H, T, S) scores, applies alike to every head of a group.
  const at::Tensor grouped_mask = mask.defined() && mask.dim() == 4 ? mask.unsqueeze(2) : mask;
  const float minus_inf = -std::numeric_limits<float>::infinity();
  if (causal)
    per_query.masked_fill_(at::ones({t, s}, q.options().dtype(at::kBool)).tril().logical_not(), minus_inf);
  else if (mask.defined() && mask.scalar_type() == at::kBool)
    per_query.masked_fill_(grouped_mask.logical_not(), minus_inf);
  else if (mask.defined())
    per_query.add_(grouped_mask);
  at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
  return at::matmul(probs, v).view({b, h, t, d});  // (B, KV, H/KV·T, D) → (B, H, T, D)
}

// eager_attention's result, through torch's fused kernels where they compute the same (no soft-cap).
at::Tensor sdpa(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& mask,
                bool causal, double scale, double softcap) {
#if TORCH_VERSION_MAJOR >= 2
  if (softcap == 0) {
    const int64_t groups = q.size(1) / k.size(1);
    return at::scaled_dot_product_attention(q, repeat_kv(k, groups), repeat_kv(v, groups),
                                            mask.defined() ? std::optional<at::Tensor>(mask) : std::nullopt,
                                            0.0, causal, scale);
  }
#endif
  return eager_attention(q, k, v, mask, causal, scale, softcap);
}

std::atomic<uint64_t> next_serial{1};

}  // namespace

Model::Model(Checkpoint checkpoint, c10::Device device, c10::ScalarType dtype, uint64_t seed)
    : checkpoint_(std::move(checkpoint)),
      config_(checkpoint_.config),
      family_(&family_for(config_.model_type)),
      device_(device),
      head_device_(device),
      layer_devices_(static_cast<size_t>(config_.num_layers), device),
      dtype_(dtype),
      seed_(seed),
      shard_{config_.num_heads, config_.num_kv_heads},
      serial_(next_serial++),
      without_weights_(llmdrop::modules_without_weights(checkpoint_)) {}

void Model::check_plan(const DropPlan& plan) const {
  plan.validate(config_.num_layers);
  DropPlan kept;  // modules the plan keeps that have no weights
  std::set_difference(without_weights_.attn.begin(), without_weights_.attn.end(), plan.attn.begin(),
                      plan.attn.end(), std::inserter(kept.attn, kept.attn.end()));
  std::set_difference(without_weights_.mlp.begin(), without_weights_.mlp.end(), plan.mlp.begin(),
                      plan.mlp.end(), std::inserter(kept.mlp, kept.mlp.end()));
  if (kept.empty()) return;
  std::string what;
  if (!kept.attn.empty()) what = "the attention of layers " + format_indices(kept.attn);
  if (!kept.mlp.empty())
    what += (what.empty() ? "" : " and ") + std::string("the MLP of layers ") + format_indices(kept.mlp);
  throw_bad_input(checkpoint_.dir.string() + " holds no weights for " + what +
                  " (an export leaves out what it dropped): they stay dropped");
}

at::Tensor Model::fetch(const std::string& name, std::vector<int64_t> shape, c10::Device device) const {
  if (!checkpoint_.tensors) {  // random weights, made where they will live
    const auto opts = at::TensorOptions().dtype(dtype_).device(device);
    if (name.find("norm") != std::string::npos)  // a norm that scales by 1
      return config_.arch.norm_plus_one ? at::zeros(shape, opts) : at::ones(shape, opts);
    if (shape.size() == 1) return at::zeros(shape, opts);  // biases
    // The generator is the process's: ranks (and a streamed model's helper thread) take turns with it.
    static std::mutex generator;
    const std::lock_guard lock(generator);
    at::manual_seed(seed_ ^ std::hash<std::string>{}(name));
    return at::randn(shape, opts).mul_(0.02);
  }
  const std::string prefix = packed_prefix(name);
  if (config_.quantization && shape.size() == 2 && !prefix.empty() && !checkpoint_.tensors->contains(name) &&
      checkpoint_.tensors->contains(prefix + ".qweight"))
    return unpack_linear(*checkpoint_.tensors, prefix, config_.quantization->packed_as(prefix), shape[0],
                         shape[1], device)
        .dequantize();
  const TensorInfo& info = checkpoint_.tensors->info(name);
  if (info.shape != shape)
    throw_bad_input("tensor " + name + " has shape " + shape_string(info.shape) +
                    ", but config.json implies " + shape_string(shape));
  return checkpoint_.tensors->view(name);
}

LinearWeight Model::load_linear(const std::vector<std::pair<std::string, int64_t>>& parts,
                                int64_t in_features, int64_t shard_dim, const std::vector<int64_t>& sections,
                                c10::Device device) const {
  const bool quantized = config_.quantization && checkpoint_.tensors &&
                         std::all_of(parts.begin(), parts.end(), [&](const auto& part) {
                           return checkpoint_.tensors->contains(packed_prefix(part.first) + ".qweight");
                         });
  const bool sixteen_bits = dtype_ == at::kHalf || dtype_ == at::kBFloat16;
  if (quantized && (device.is_cpu() || sixteen_bits)) {
    std::vector<QuantizedWeight> q;
    for (const auto& [name, rows] : parts) {
      const std::string prefix = packed_prefix(name);
      q.push_back(unpack_linear(*checkpoint_.tensors, prefix, config_.quantization->packed_as(prefix), rows,
                                in_features, device));
    }
    // Parts fuse when stored alike (a checkpoint's per-module rules may give q, k and v different
    // precisions).
    if (std::all_of(q.begin(), q.end(),
                    [&](const auto& p) { return p.bits == q[0].bits && at::equal(p.g_idx, q[0].g_idx); })) {
      QuantizedWeight fused = q[0];
      std::vector<at::Tensor> codes, scales, zeros;
      for (const auto& p : q) codes.push_back(p.codes), scales.push_back(p.scales), zeros.push_back(p.zeros);
      fused.codes = at::cat(codes);
      fused.scales = at::cat(scales, 1);
      fused.zeros = at::cat(zeros, 1);
      if (device.is_cpu()) return {.packed = fused, .dtype = dtype_};
      if (auto int4 = Int4Weight::from(fused, device)) return {.int4 = *int4, .dtype = dtype_};
    }
  }
  std::vector<at::Tensor> dense;
  for (const auto& [name, rows] : parts) dense.push_back(fetch(name, {rows, in_features}, device));
  if (tensor_parallel_) dense = {shard_sections(at::cat(dense), shard_dim, sections)};
  return {.dense = to_device(dense, dtype_, device), .dtype = dtype_};
}

at::Tensor Model::to_device(const std::vector<at::Tensor>& parts, at::ScalarType dtype,
                            c10::Device device) const {
  if (!streamed_ || !device.is_cuda() || !parts[0].device().is_cpu())
    return (parts.size() == 1 ? parts[0] : at::cat(parts)).to(device, dtype, false, /*copy=*/true);
  // Gathered from the mapped file straight into pinned memory: one host copy, and no fresh pageable pages
  // (a page fault every 4 kB) on the way.
  std::vector<int64_t> shape = parts[0].sizes().vec();
  for (size_t i = 1; i < parts.size(); ++i) shape[0] += parts[i].size(0);
  at::Tensor pinned = at::empty(shape, parts[0].options().pinned_memory(true));
  at::cat_out(pinned, parts, 0);
  return pinned.to(device, dtype, /*non_blocking=*/true, /*copy=*/true);
}

at::Tensor Model::shard_sections(const at::Tensor& full, int64_t dim,
                                 const std::vector<int64_t>& sections) const {
  if (!tensor_parallel_) return full;
  const int64_t rank = tensor_parallel_->rank(), ranks = tensor_parallel_->size();
  std::vector<at::Tensor> mine;
  int64_t offset = 0;
  for (const int64_t length : sections) {
    mine.push_back(full.narrow(dim, offset + rank * length / ranks, length / ranks));
    offset += length;
  }
  return mine.size() == 1 ? mine[0] : at::cat(mine, dim);
}

at::Tensor Model::row_parallel_linear(const at::Tensor& x, const LinearWeight& weight,
                                      const at::Tensor& bias) const {
  if (!tensor_parallel_) return linear(x, weight, bias);
  at::Tensor partial = linear(x, weight, {});
  tensor_parallel_->all_reduce_sum(partial);
  return bias.defined() ? partial + bias : partial;
}

namespace {
std::vector<std::pair<std::string, int64_t>> linear_parts(const std::vector<TensorPart>& parts) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& part : parts) out.emplace_back(part.weight, part.rows);
  return out;
}
}  // namespace

at::Tensor Model::load_norm(const std::string& name, int64_t size, c10::Device device) const {
  if (name.empty()) return {};
  const at::Tensor w = fetch(name, {size}, device);
  // Gemma: (1 + w) in float32, the form its norm multiplies by.
  if (config_.arch.norm_plus_one) return to_device({w}, at::kFloat, device) + 1.0;
  return to_device({w}, dtype_, device);
}

at::Tensor Model::stored_norm(const at::Tensor& runtime) const {
  return config_.arch.norm_plus_one ? runtime.to(at::kFloat) - 1.0 : runtime;
}

AttentionWeights Model::load_attention(int64_t layer) const {
  const auto names = family_->attention(config_, layer);
  const int64_t hidden = config_.hidden_size, d = config_.head_dim, q_rows = config_.num_heads * d,
                kv_rows = config_.num_kv_heads * d;
  const std::vector<int64_t> qkv_sections{q_rows, kv_rows, kv_rows};
  const c10::Device device = layer_device(layer);
  AttentionWeights w;
  w.pre_norm = load_norm(names.pre_norm, hidden, device);
  w.qkv = load_linear(linear_parts(names.qkv), hidden, 0, qkv_sections, device);
  if (config_.qkv_bias) {
    std::vector<at::Tensor> biases;
    for (size_t i = 0; i < names.qkv.size(); ++i)
      biases.push_back(fetch(names.bias[i], {names.qkv[i].rows}, device));
    w.qkv_bias = to_device({shard_sections(at::cat(biases), 0, qkv_sections)}, dtype_, device);
  }
  w.q_norm = load_norm(names.q_norm, d, device);
  w.k_norm = load_norm(names.k_norm, d, device);
  w.o = load_linear({{names.o, hidden}}, q_rows, 1, {q_rows}, device);
  if (config_.o_bias) w.o_bias = to_device({fetch(names.o_bias, {hidden}, device)}, dtype_, device);
  w.post_norm = load_norm(names.post_norm, hidden, device);
  if (w.qkv.int4) w.qkv.int4->attach_norm(w.pre_norm);
  return w;
}

MlpWeights Model::load_mlp(int64_t layer) const {
  const auto names = family_->mlp(config_, layer);
  const int64_t hidden = config_.hidden_size, inter = config_.intermediate_size;
  const c10::Device device = layer_device(layer);
  MlpWeights w{.pre_norm = load_norm(names.pre_norm, hidden, device),
               .gate_up = load_linear(linear_parts(names.gate_up), hidden, 0, {inter, inter}, device),
               .down = load_linear({{names.down, hidden}}, inter, 1, {inter}, device),
               .post_norm = load_norm(names.post_norm, hidden, device)};
  if (w.gate_up.int4) w.gate_up.int4->attach_norm(w.pre_norm);
  return w;
}

std::unique_ptr<Model> Model::random(const ModelConfig& config, const LoadOptions& options, uint64_t seed,
                                     JobContext& job) {
  Checkpoint none;
  none.config = config;
  return load(none, options, job, seed);
}

std::unique_ptr<Model> Model::load(const Checkpoint& checkpoint, const LoadOptions& options, JobContext& job,
                                   uint64_t seed) {
  const ModelConfig& cfg = checkpoint.config;
  if (cfg.mlp_bias) throw_bad_input("mlp_bias: true is not supported yet");
  std::vector<c10::Device> devices;
  for (const auto& name : split_devices(options.device)) devices.push_back(parse_device(name));
  const bool placed = devices.size() > 1;
  if (placed && options.stream_layers)
    throw_bad_input("--stream-layers and layers placed over several devices do not combine: choose one");
  if (placed && options.tensor_parallel)
    throw_bad_input("tensor parallelism and layers placed over several devices do not combine: choose one");
  const c10::Device device = devices.front();
  const c10::ScalarType dtype = parse_dtype(options.dtype, cfg, device);
  configure_cpu_compute();                         // GPU runs too: tokenizing, sampling and host-side work
  check_dtype(options.device, dtype_name(dtype));  // e.g. float16 on a CPU libtorch without half matmuls
  const DropPlan plan = options.drops ? *options.drops : cfg.drops;
  if (options.trainable && (placed || options.stream_layers || options.tensor_parallel || cfg.quantization))
    throw_bad_input(
        "training needs a 16- or 32-bit checkpoint on one device, neither streamed nor split over ranks");
  c10::InferenceMode inference(!options.trainable);
  std::unique_ptr<Model> model(new Model(checkpoint, device, dtype, seed));
  model->trainable_ = options.trainable;
  model->check_plan(plan);
  if (const auto& group = options.tensor_parallel) model->split_over(group);
  // Refused before anything is loaded when the weights cannot fit.
  MemoryPlan memory =
      memory_plan(cfg, dtype, plan, options.stream_layers).split(model->tensor_parallel_ranks());
  if (placed) {
    model->place(memory, devices);
  } else {
    const int64_t available = available_memory_bytes(device);
    if (options.stream_if_needed && !fits(memory, available)) memory.streamed = true;
    check_memory(memory, device, available, device.is_cuda() ? static_cast<int>(at::getNumGPUs()) : 1);
  }
  model->streamed_ = memory.streamed;
  const int64_t vocab = cfg.vocab_size, hidden = cfg.hidden_size;
  const c10::Device head = model->head_device_;
  job.report(0, cfg.num_layers + 1, "embeddings");
  const at::Tensor embedding = model->fetch(model->family_->embedding(), {vocab, hidden}, device);
  model->embedding_ = embedding.to(device, dtype, false, true);
  model->final_norm_ = model->load_norm(model->family_->final_norm(), hidden, head);
  const bool tied = cfg.tie_word_embeddings ||
                    (checkpoint.tensors && !checkpoint.tensors->contains(model->family_->lm_head()));
  if (tied)  // the embeddings themselves, or their copy beside the last layers
    model->lm_head_ = head == device ? model->embedding_ : embedding.to(head, dtype, false, true);
  else
    model->lm_head_ =
        model->fetch(model->family_->lm_head(), {vocab, hidden}, head).to(head, dtype, false, true);
  model->rotary_ = RotaryEmbedding(cfg.rope, cfg.rotary_dim > 0 ? cfg.rotary_dim : cfg.head_dim, device);
  for (int64_t i = 0; i < cfg.num_layers; ++i) {
    job.throw_if_cancelled();
    job.report(i + 1, cfg.num_layers + 1, "layer " + std::to_string(i));
    DecoderLayer layer;
    layer.index = i;
    layer.sliding_window = cfg.sliding_window[i];
    if (!plan.attn_dropped(i) && !model->streamed_) layer.attn = model->load_attention(i);
    if (!plan.mlp_dropped(i) && !model->streamed_) layer.mlp = model->load_mlp(i);
    model->layers_.push_back(std::move(layer));
  }
  model->drops_ = plan;
  job.report(cfg.num_layers + 1, cfg.num_layers + 1, "loaded");
  return model;
}

std::unique_ptr<Model> Model::load_in_job(const Checkpoint& checkpoint, const std::string& device,
                                          const std::string& dtype, const DropPlan& drops, JobContext& job) {
  LoadOptions options;
  options.device = device;
  options.dtype = dtype;
  options.drops = drops;
  return load_in_job(checkpoint, options, job);
}

std::unique_ptr<Model> Model::load_in_job(const Checkpoint& checkpoint, const LoadOptions& options,
                                          JobContext& job) {
  JobContext loading(job, [&job](const Progress& p) { job.report(0, 1, "loading: " + p.message); });
  return load(checkpoint, options, loading);
}

void Model::set_drops(const DropPlan& plan, JobContext& job) {
  check_plan(plan);
  if (streamed_) {
    drops_ = plan;
    return;
  }
  c10::InferenceMode inference(!trainable_);
  for (auto& layer : layers_) {
    job.throw_if_cancelled();
    const int64_t i = layer.index;
    if (plan.attn_dropped(i))
      layer.attn.reset();
    else if (!layer.attn)
      layer.attn = load_attention(i);
    if (plan.mlp_dropped(i))
      layer.mlp.reset();
    else if (!layer.mlp)
      layer.mlp = load_mlp(i);
  }
  drops_ = plan;
}

void Model::place(const MemoryPlan& memory, const std::vector<c10::Device>& devices) {
  const LayerPlacement placement = place_layers(memory, static_cast<int>(devices.size()));
  check_placement(placement, devices, available_memory_bytes);
  for (size_t i = 0; i < layer_devices_.size(); ++i)
    layer_devices_[i] = devices[static_cast<size_t>(placement.device_of_layer[i])];
  if (!layer_devices_.empty()) head_device_ = layer_devices_.back();
}

std::vector<c10::Device> Model::devices() const {
  std::vector<c10::Device> out{device_};
  for (const c10::Device d : layer_devices_)
    if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  if (std::find(out.begin(), out.end(), head_device_) == out.end()) out.push_back(head_device_);
  return out;
}

void Model::synchronize() const {
  for (const c10::Device d : devices()) llmdrop::synchronize(d);
}

Model::StreamTimes Model::stream_times() const {
  return {stream_loading_, stream_waited_, stream_hidden_on_host_};
}

int64_t Model::tensor_parallel_ranks() const {
  return tensor_parallel_ ? tensor_parallel_->size() : 1;
}

void Model::split_over(std::shared_ptr<const Communicator> group) {
  const int64_t ranks = group->size();
  if (config_.quantization)
    throw_bad_input(
        "tensor parallelism needs 16- or 32-bit weights: run a quantized checkpoint with data "
        "parallelism or on one device");
  if (config_.num_heads % ranks || config_.num_kv_heads % ranks || config_.intermediate_size % ranks)
    throw_bad_input("tensor parallelism over " + std::to_string(ranks) +
                    " ranks needs the attention heads (" + std::to_string(config_.num_heads) +
                    "), key/value heads (" + std::to_string(config_.num_kv_heads) + ") and MLP width (" +
                    std::to_string(config_.intermediate_size) + ") to divide by " + std::to_string(ranks));
  if (group->device() != device_)
    throw_bad_input("tensor-parallel rank " + std::to_string(group->rank()) + " is on " +
                    group->device().str() + ", its model on " + device_.str());
  shard_ = {config_.num_heads / ranks, config_.num_kv_heads / ranks};
  tensor_parallel_ = std::move(group);
}

KVCache Model::new_cache(int64_t batch, int64_t capacity) const {
  c10::InferenceMode inference;
  std::vector<at::Tensor> keys(layers_.size()), values(layers_.size());
  for (const auto& layer : layers_) {
    if (drops_.attn_dropped(layer.index)) continue;
    const auto opts = at::TensorOptions().dtype(dtype_).device(layer_device(layer.index));
    // Zeroed: decode_step attends over every slot (masked), and 0 × NaN garbage would still be NaN.
    keys[layer.index] = at::zeros({batch, shard_.kv_heads, capacity, config_.head_dim}, opts);
    values[layer.index] = at::zeros({batch, shard_.kv_heads, capacity, config_.head_dim}, opts);
  }
  return KVCache(std::move(keys), std::move(values), capacity, rotary_.cache_tables(capacity, dtype_));
}

at::Tensor Model::attention_heads(const DecoderLayer& layer, const at::Tensor& x,
                                  const AttentionInputs& in) const {
  const AttentionWeights& w = *layer.attn;
  const int64_t b = x.size(0), t = x.size(1), h = shard_.heads, kv = shard_.kv_heads, d = config_.head_dim;
  at::Tensor qkv = linear(x, w.qkv, w.qkv_bias);  // (B, T, (H + 2KV)·D)
  at::Tensor qk = qkv.narrow(-1, 0, (h + kv) * d).view({b, t, h + kv, d});
  if (w.q_norm.defined())  // Qwen3: each head's query and key normalised before RoPE
    qk = at::cat({rms_norm(qk.narrow(2, 0, h), w.q_norm, config_.rms_norm_eps),
                  rms_norm(qk.narrow(2, h, kv), w.k_norm, config_.rms_norm_eps)},
                 2);
  qk = apply_rope(qk, in.rope);                        // the query and key heads in one go
  at::Tensor q = qk.narrow(2, 0, h).transpose(1, 2);   // (B, H, T, D)
  at::Tensor k = qk.narrow(2, h, kv).transpose(1, 2);  // (B, KV, T, D)
  at::Tensor v = qkv.narrow(-1, (h + kv) * d, kv * d).view({b, t, kv, d}).transpose(1, 2);
  if (in.write_position.defined())
    std::tie(k, v) = in.cache->write_at(layer.index, k, v, in.write_position);  // (B, KV, capacity, D)
  else if (in.cache)
    std::tie(k, v) = in.cache->append(layer.index, k, v);  // (B, KV, start+T, D)
  const at::Tensor& mask = in.masks.at(layer.sliding_window);
  const double scale =
      config_.arch.attention_scale > 0 ? config_.arch.attention_scale : 1.0 / std::sqrt(double(d));
  at::Tensor out =
      sdpa(q, k, v, mask, in.causal && !mask.defined() && t > 1, scale, config_.arch.attn_logit_softcap);
  return out.transpose(1, 2).reshape({b, t, h * d});  // (B, T, H·D)
}

at::Tensor Model::decoder_layer(const DecoderLayer& layer, const at::Tensor& h, const AttentionInputs& inputs,
                                HiddenStateObserver* observer) const {
  LayerTrace trace;
  trace.layer = layer.index;
  trace.input = h;
  const double eps = config_.rms_norm_eps;
  // Residual line 1: m = h + Attn(LN1(h)), skipped when attention is dropped. (Gemma 2 normalises the branch
  // output too: m = h + LN(Attn(LN1(h))).)
  if (layer.attn) {
    const AttentionWeights& w = *layer.attn;
    trace.attn_input = rms_norm(h, w.pre_norm, eps);
    trace.attn_heads = attention_heads(layer, trace.attn_input, inputs);
    trace.attn_output = row_parallel_linear(trace.attn_heads, w.o, w.o_bias);
    if (w.post_norm.defined()) trace.attn_output = rms_norm(trace.attn_output, w.post_norm, eps);
  }
  // Residual line 2: m + MLP(LN2(m)), skipped when the MLP is dropped. Line 1's add and LN2 are one pass (one
  // kernel on a GPU).
  const Normed mid = layer.mlp ? rms_norm(h, trace.attn_output, layer.mlp->pre_norm, eps)
                               : Normed{layer.attn ? h + trace.attn_output : h, {}};
  trace.mid = mid.sum;
  at::Tensor out = mid.sum;
  if (layer.mlp) {
    trace.mlp_input = mid.normed;
    const at::Tensor gate_up = linear(trace.mlp_input, layer.mlp->gate_up);  // (B, T, 2I)
    trace.mlp_hidden = gated_activation(gate_up);
    trace.mlp_output = row_parallel_linear(trace.mlp_hidden, layer.mlp->down, {});
    if (layer.mlp->post_norm.defined())
      trace.mlp_output = rms_norm(trace.mlp_output, layer.mlp->post_norm, eps);
    out = mid.sum + trace.mlp_output;
  }
  trace.output = out;
  if (observer) observer->on_layer(trace);
  return out;
}

at::Tensor Model::run_layers(at::Tensor h, const AttentionInputs& inputs, HiddenStateObserver* observer,
                             int64_t first) const {
  std::optional<AttentionInputs> moved;  // the inputs on a later range's device (placement)
  for (int64_t i = first; i < config_.num_layers; ++i) {
    const c10::Device device = layer_device(i);
    if (h.device() != device) h = h.to(device);
    if ((moved ? moved->device() : inputs.device()) != device) moved = inputs.to(device);
    const AttentionInputs& in = moved ? *moved : inputs;
    if (streamed_)
      h = decoder_layer(load_layer(i), h, in, observer);
    else
      h = decoder_layer(layers_[static_cast<size_t>(i)], h, in, observer);
  }
  return rms_norm(h.to(head_device_), final_norm_, config_.rms_norm_eps);
}

Model::AttentionInputs Model::AttentionInputs::to(c10::Device device) const {
  AttentionInputs out = *this;
  if (write_position.defined()) out.write_position = write_position.to(device);
  out.rope = {rope.cos.to(device), rope.signed_sin.to(device)};
  for (auto& [window, mask] : out.masks)
    if (mask.defined()) mask = mask.to(device);
  return out;
}

DecoderLayer Model::load_layer(int64_t i) const {
  DecoderLayer layer;
  layer.index = i;
  layer.sliding_window = config_.sliding_window[static_cast<size_t>(i)];
  if (!drops_.attn_dropped(i)) layer.attn = load_attention(i);
  if (!drops_.mlp_dropped(i)) layer.mlp = load_mlp(i);
  return layer;
}

void Model::forward_batches(const std::vector<at::Tensor>& ids, HiddenStateObserver* observer,
                            const std::function<void(size_t, const at::Tensor&)>& on_logits,
                            JobContext& job) const {
  for (const auto& batch : ids)
    if (batch.dim() != 2 || batch.size(1) == 0) throw_bad_input("input ids must be (batch, length > 0)");
  c10::InferenceMode inference;
  if (!streamed_) {
    for (size_t b = 0; b < ids.size(); ++b) {
      job.throw_if_cancelled();
      job.report(static_cast<int64_t>(b), static_cast<int64_t>(ids.size()), "batch " + std::to_string(b + 1));
      on_logits(b, forward(ids[b], nullptr, observer));
    }
    job.report(static_cast<int64_t>(ids.size()), static_cast<int64_t>(ids.size()), "done");
    return;
  }
  std::vector<Pass> passes;
  for (const auto& batch : ids) {
    check_token_ids(batch);
    passes.push_back({batch.to(device_, at::kLong), sequence_inputs(0, batch.size(1))});
  }
  run_layer_major(
      passes, observer, [&](size_t b, const at::Tensor& h) { on_logits(b, logits(h)); }, job);
}

void Model::run_layer_major(std::vector<Pass>& passes, HiddenStateObserver* observer,
                            const std::function<void(size_t, const at::Tensor&)>& on_final,
                            JobContext& job) const {
  const int64_t layers = config_.num_layers;
  // Layer i + 1 comes to the device on a helper thread (on a GPU, on a side stream) while layer i runs.
  auto prefetch = [this](int64_t i) {
    return std::async(std::launch::async, [this, i] {
      c10::InferenceMode inference;
      const auto start = Clock::now();
      DecoderLayer layer;
      on_side_stream(device_, [&] { layer = load_layer(i); });
      stream_loading_ += seconds_since(start);
      return layer;
    });
  };
  int64_t hidden_bytes = 0;
  for (const auto& pass : passes)
    hidden_bytes += pass.ids.numel() * config_.hidden_size * static_cast<int64_t>(c10::elementSize(dtype_));
  const bool on_host = hidden_bytes > available_memory_bytes(device_) / 2;
  stream_hidden_on_host_ = on_host ? hidden_bytes : 0;
  // h to host memory, asynchronously (the end of each layer waits for the stream).
  auto to_host = [&](const at::Tensor& h) {
    at::Tensor parked = at::empty(h.sizes(), h.options().device(at::kCPU).pinned_memory(device_.is_cuda()));
    return parked.copy_(h, /*non_blocking=*/true);
  };
  for (auto& pass : passes) {
    pass.h = embedding_lookup(pass.ids);
    if (on_host) pass.h = to_host(pass.h);
    pass.ids.reset();
  }
  std::future<DecoderLayer> next = prefetch(0);
  for (int64_t i = 0; i < layers; ++i) {
    job.throw_if_cancelled();
    job.report(i, layers + 1, "layer " + std::to_string(i));
    const auto wait = Clock::now();
    const DecoderLayer layer = next.get();
    stream_waited_ += seconds_since(wait);
    if (i + 1 < layers) next = prefetch(i + 1);
    for (auto& pass : passes) {
      const at::Tensor out =
          decoder_layer(layer, pass.h.to(device_, /*non_blocking=*/true), pass.inputs, observer);
      pass.h = on_host ? to_host(out) : out;
    }
    // The layer's weights are freed below: its kernels must be done with them first (the next layer's
    // copies, on their own stream, go on meanwhile).
    synchronize_current_stream(device_);
  }
  job.report(layers, layers + 1, "head");
  for (size_t b = 0; b < passes.size(); ++b) {
    job.throw_if_cancelled();
    on_final(b, rms_norm(passes[b].h.to(device_), final_norm_, config_.rms_norm_eps));
    passes[b] = Pass{};
  }
  job.report(layers + 1, layers + 1, "done");
}

Model::AttentionInputs Model::sequence_inputs(int64_t start, int64_t length) const {
  AttentionInputs in;
  in.start = start;
  in.causal = start == 0;
  in.rope = rotary_.tables(start, length, dtype_);  // (T, D) → (T, 1, D), over the heads
  in.rope = {in.rope.cos.unsqueeze(-2), in.rope.signed_sin.unsqueeze(-2)};
  for (const auto& layer : layers_)
    if (!in.masks.count(layer.sliding_window))
      in.masks[layer.sliding_window] = attention_mask(start, length, layer.sliding_window, device_);
  return in;
}

at::Tensor Model::embed(const at::Tensor& input_ids) const {
  check_token_ids(input_ids);
  return embedding_lookup(input_ids.to(device_, at::kLong));
}

at::Tensor Model::embedding_lookup(const at::Tensor& ids) const {
  at::Tensor h = at::embedding(embedding_, ids);
  // Gemma: × √hidden, the factor rounded to the model's dtype first.
  if (config_.arch.scale_embeddings)
    h = h * at::scalar_tensor(std::sqrt(double(config_.hidden_size)), h.options());
  return h;
}

at::Tensor Model::train_layer(int64_t i, const at::Tensor& h) const {
  if (!trainable_) throw std::logic_error("train_layer: the model was not loaded trainable");
  return decoder_layer(layers_.at(static_cast<size_t>(i)), h, sequence_inputs(0, h.size(1)), nullptr);
}

at::Tensor Model::train_head(const at::Tensor& h) const {
  if (!trainable_) throw std::logic_error("train_head: the model was not loaded trainable");
  return logits(rms_norm(h, final_norm_, config_.rms_norm_eps));
}

at::Tensor Model::layer_forward(int64_t i, const at::Tensor& h, HiddenStateObserver* observer,
                                bool without_attention) const {
  c10::InferenceMode inference;
  const c10::Device device = layer_device(i);
  const AttentionInputs inputs = sequence_inputs(0, h.size(1)).to(device);
  DecoderLayer layer = streamed_ ? load_layer(i) : layers_.at(static_cast<size_t>(i));  // tensors shared
  if (without_attention) layer.attn.reset();
  return decoder_layer(layer, h.to(device), inputs, observer);
}

at::Tensor Model::forward_from(int64_t first, const at::Tensor& h, HiddenStateObserver* observer) const {
  if (first < 0 || first > config_.num_layers)
    throw std::out_of_range("forward_from: layer " + std::to_string(first) + " of " +
                            std::to_string(config_.num_layers));
  c10::InferenceMode inference;
  return logits(run_layers(h, sequence_inputs(0, h.size(1)), observer, first));  // (B, T, V)
}

void Model::check_token_ids(const at::Tensor& ids) const {
  if (ids.is_cpu() && ids.numel() > 0 &&
      (ids.min().item<int64_t>() < 0 || ids.max().item<int64_t>() >= config_.vocab_size))
    throw_bad_input("token ids must lie in [0, " + std::to_string(config_.vocab_size) + ")");
}

at::Tensor Model::forward(const at::Tensor& input_ids, KVCache* cache, HiddenStateObserver* observer,
                          bool last_only) const {
  if (input_ids.dim() != 2) throw_bad_input("input ids must be (batch, length)");
  const int64_t t = input_ids.size(1);
  if (t == 0) throw_bad_input("cannot run the model on an empty sequence");
  c10::InferenceMode inference;
  AttentionInputs in = sequence_inputs(cache ? cache->length() : 0, t);
  in.cache = cache;
  at::Tensor h = run_layers(embed(input_ids), in, observer);
  if (cache) cache->advance(t);
  if (last_only) h = h.narrow(1, t - 1, 1);
  return logits(h);  // (B, T, V)
}

at::Tensor Model::forward_packed(const at::Tensor& input_ids, const at::Tensor& positions,
                                 const at::Tensor& visible, const at::Tensor& select) const {
  if (input_ids.dim() != 2 || positions.sizes() != input_ids.sizes() || visible.dim() != 3 ||
      visible.size(1) != input_ids.size(1) || visible.size(2) != input_ids.size(1))
    throw_bad_input(
        "packed input: ids and positions must be (batch, length), visible (batch, length, length)");
  c10::InferenceMode inference;
  check_token_ids(input_ids);
  at::Tensor h = run_layers(embedding_lookup(input_ids.to(device_, at::kLong)),
                            packed_inputs(positions, visible), nullptr);
  return h.reshape({-1, h.size(-1)}).index_select(0, select.to(head_device_, at::kLong));  // (N, hidden)
}

Model::AttentionInputs Model::packed_inputs(const at::Tensor& positions, const at::Tensor& visible) const {
  AttentionInputs in;
  at::Tensor pos = positions.to(device_, at::kLong);  // (B, T)
  in.rope = rotary_.tables(pos, dtype_);              // (B, T, D) → (B, T, 1, D), over the heads
  in.rope = {in.rope.cos.unsqueeze(-2), in.rope.signed_sin.unsqueeze(-2)};
  const at::Tensor see = visible.to(device_, at::kBool);  // (B, T, T)
  for (const auto& layer : layers_) {
    const int64_t window = layer.sliding_window;
    if (in.masks.count(window)) continue;
    at::Tensor mask = see;
    if (window > 0) mask = mask & (pos.unsqueeze(2) - pos.unsqueeze(1) < window);
    in.masks[window] = mask.unsqueeze(1);  // (B, 1, T, T)
  }
  return in;
}

void Model::forward_packed_batches(const std::vector<PackedBatch>& batches,
                                   const std::function<void(size_t, const at::Tensor&)>& on_hidden,
                                   JobContext& job) const {
  if (!streamed_) {
    for (size_t b = 0; b < batches.size(); ++b) {
      job.throw_if_cancelled();
      const PackedBatch& p = batches[b];
      on_hidden(b, forward_packed(p.ids, p.positions, p.visible, p.select));
    }
    return;
  }
  c10::InferenceMode inference;
  std::vector<Pass> passes;
  for (const auto& p : batches) {
    if (p.ids.dim() != 2 || p.positions.sizes() != p.ids.sizes() || p.visible.dim() != 3)
      throw_bad_input(
          "packed input: ids and positions must be (batch, length), visible (batch, length, length)");
    check_token_ids(p.ids);
    passes.push_back({p.ids.to(device_, at::kLong), packed_inputs(p.positions, p.visible)});
  }
  run_layer_major(
      passes, nullptr,
      [&](size_t b, const at::Tensor& h) {
        on_hidden(b, h.reshape({-1, h.size(-1)}).index_select(0, batches[b].select.to(device_, at::kLong)));
      },
      job);
}

at::Tensor Model::decode_step(const at::Tensor& token, const at::Tensor& position, KVCache& cache) const {
  c10::InferenceMode inference;
#ifdef LLMDROP_WITH_CUDA_KERNELS
  if (fused_decode_supported(token)) return fused_decode_step(token, position, cache);
#endif
  AttentionInputs in;
  in.cache = &cache;
  in.write_position = position;
  // The cache's (capacity, D) rows at the position: (1, D) → (1, 1, D), over the heads.
  in.rope = {cache.rope().cos.index_select(0, position).unsqueeze(-2),
             cache.rope().signed_sin.index_select(0, position).unsqueeze(-2)};
  const at::Tensor slots = at::arange(cache.capacity(), position.options());  // (S)
  for (const auto& layer : layers_) {
    const int64_t window = layer.sliding_window;
    if (in.masks.count(window)) continue;
    at::Tensor visible = slots <= position;
    if (window > 0) visible = visible & (slots > position - window);
    // Additive, made once per step rather than converted from bool in every layer.
    in.masks[window] =
        at::zeros({1, 1, 1, cache.capacity()}, at::TensorOptions().dtype(dtype_).device(device_))
            .masked_fill_(visible.logical_not().view({1, 1, 1, -1}),
                          -std::numeric_limits<float>::infinity());  // (1, 1, 1, S)
  }
  return logits(run_layers(embedding_lookup(token), in, nullptr));  // (B, 1, V)
}

at::Tensor Model::logits(const at::Tensor& hidden) const {
  at::Tensor out = at::linear(hidden, lm_head_);
  if (const double cap = config_.arch.final_logit_softcap; cap > 0) out = (out / cap).tanh_().mul_(cap);
  return out;
}

at::Tensor Model::gated_activation(const at::Tensor& gate_up) const {
  return gated(gate_up, config_.arch.activation);
}

int64_t Model::kv_bytes_per_token() const {
  int64_t attention_layers = 0;
  for (const auto& layer : layers_) attention_layers += drops_.attn_dropped(layer.index) ? 0 : 1;
  return 2 * attention_layers * shard_.kv_heads * config_.head_dim * static_cast<int64_t>(dtype_size(dtype_));
}

namespace {
// Σ over the layers' weights held now: `linear` of each linear layer, `tensor` of each norm and bias.
template <typename Linear, typename Tensor>
int64_t sum_over_layers(const std::vector<DecoderLayer>& layers, Linear linear, Tensor tensor) {
  int64_t n = 0;
  for (const auto& layer : layers) {
    if (const auto& a = layer.attn)
      n += linear(a->qkv) + linear(a->o) + tensor(a->pre_norm) + tensor(a->qkv_bias) + tensor(a->q_norm) +
           tensor(a->k_norm) + tensor(a->o_bias) + tensor(a->post_norm);
    if (const auto& m = layer.mlp)
      n += linear(m->gate_up) + linear(m->down) + tensor(m->pre_norm) + tensor(m->post_norm);
  }
  return n;
}
}  // namespace

int64_t Model::decode_weight_bytes() const {
  return held_bytes(final_norm_) + held_bytes(lm_head_) +
         sum_over_layers(
             layers_, [](const LinearWeight& w) { return w.bytes(); }, held_bytes);
}

int64_t Model::resident_parameters() const {
  int64_t n = embedding_.numel() + final_norm_.numel();
  if (!lm_head_.is_same(embedding_)) n += lm_head_.numel();
  return n + sum_over_layers(
                 layers_, [](const LinearWeight& w) { return w.parameters(); },
                 [](const at::Tensor& t) { return t.defined() ? t.numel() : int64_t(0); });
}

void for_each_kept_linear(Model& model,
                          const std::function<void(LinearWeight&, const std::vector<TensorPart>& parts,
                                                   int64_t in_features)>& visit) {
  const ModelConfig& c = model.config();
  const ModelFamily& family = family_for(c.model_type);
  for (int64_t i = 0; i < c.num_layers; ++i) {
    DecoderLayer& layer = model.mutable_layer(i);
    if (layer.attn) {
      const auto names = family.attention(c, i);
      visit(layer.attn->qkv, names.qkv, c.hidden_size);
      visit(layer.attn->o, {{names.o, c.hidden_size}}, c.num_heads * c.head_dim);
    }
    if (layer.mlp) {
      const auto names = family.mlp(c, i);
      visit(layer.mlp->gate_up, names.gate_up, c.hidden_size);
      visit(layer.mlp->down, {{names.down, c.hidden_size}}, c.intermediate_size);
    }
  }
}

}  // namespace llmdrop
