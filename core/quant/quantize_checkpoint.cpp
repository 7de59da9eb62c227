#include "quant/quantize_checkpoint.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <chrono>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>

#include "analysis/calibration.h"
#include "checkpoint/family.h"
#include "checkpoint/quant_formats.h"
#include "checkpoint/tokenizer.h"
#include "export/tensor_export.h"
#include "model/cpu_compute.h"
#include "model/device.h"
#include "model/device_memory.h"
#include "model/model.h"
#include "quant/quantizer.h"
#include "util/parse.h"

namespace llmdrop {

namespace {

// A batch's trace, with the batch's index and the worker (for_each_on_cores) that ran it, on that worker's
// thread.
using TraceFn = std::function<void(const LayerTrace&, int64_t batch, int64_t worker)>;

struct TraceCallback : HiddenStateObserver {
  explicit TraceCallback(std::function<void(const LayerTrace&)> fn) : fn(std::move(fn)) {}
  void on_layer(const LayerTrace& trace) override { fn(trace); }
  std::function<void(const LayerTrace&)> fn;
};

int64_t batches(const at::Tensor& h, int64_t batch_size) {
  return (h.size(0) + batch_size - 1) / batch_size;
}

int64_t workers(const at::Tensor& h, int64_t batch_size) {
  return workers_for(batches(h, batch_size), h.is_cpu());
}

// Layer i over the calibration activations h (n, T, hidden), batch_size blocks at a time, the batches one per
// core on a CPU; on_trace sees each batch's trace. Returns the layer's outputs (n, T, hidden).
at::Tensor run_layer(const Model& model, int64_t i, const at::Tensor& h, int64_t batch_size, JobContext& job,
                     const TraceFn& on_trace) {
  std::vector<at::Tensor> outputs(static_cast<size_t>(batches(h, batch_size)));
  for_each_on_cores(batches(h, batch_size), h.is_cpu(), [&](int64_t b, int64_t worker) {
    job.throw_if_cancelled();
    TraceCallback observer([&](const LayerTrace& t) { on_trace(t, b, worker); });
    const int64_t begin = b * batch_size, end = std::min(begin + batch_size, h.size(0));
    outputs[static_cast<size_t>(b)] = model.layer_forward(i, h.slice(0, begin, end), &observer);
  });
  return at::cat(outputs);
}

// Per-batch captures of run_layer, in batch order.
std::vector<at::Tensor> in_batch_order(const at::Tensor& h, int64_t batch_size) {
  return std::vector<at::Tensor>(static_cast<size_t>(batches(h, batch_size)));
}

// H = 2/n Σ x xᵀ over the inputs x of one linear layer (float32): a partial sum per worker, added in worker
// order.
class Hessian {
 public:
  explicit Hessian(int64_t workers)
      : sums_(static_cast<size_t>(workers)), tokens_(static_cast<size_t>(workers)) {}
  void add(const at::Tensor& x, int64_t worker) {
    const at::Tensor rows = x.reshape({-1, x.size(-1)}).to(at::kFloat);  // (tokens, K)
    at::Tensor& sum = sums_[static_cast<size_t>(worker)];
    sum = sum.defined() ? sum.addmm_(rows.t(), rows) : rows.t().mm(rows);
    tokens_[static_cast<size_t>(worker)] += rows.size(0);
  }
  at::Tensor value() const {
    at::Tensor total = sums_.front();
    int64_t tokens = tokens_.front();
    for (size_t w = 1; w < sums_.size(); ++w)
      if (sums_[w].defined()) total = total + sums_[w], tokens += tokens_[w];
    return total * (2.0 / double(tokens));
  }

 private:
  std::vector<at::Tensor> sums_;
  std::vector<int64_t> tokens_;
};

// Rows [begin, end) of a quantized weight: one of the projections fused at load.
QuantizedWeight rows(const QuantizedWeight& q, int64_t begin, int64_t end) {
  QuantizedWeight part = q;
  part.codes = q.codes.slice(0, begin, end).contiguous();
  part.scales = q.scales.slice(1, begin, end).contiguous();
  part.zeros = q.zeros.slice(1, begin, end).contiguous();
  return part;
}

// The model's weight becomes what the checkpoint will hold: later layers see these outputs (GPTQ's
// sequential order) and the exported tensors dequantize to exactly this.
void install(at::Tensor& weight, const QuantizedWeight& q) {
  weight = q.to(weight.device()).dequantize().to(weight.scalar_type());  // on the GPU: (N, K) temporaries
}

// AWQ's scale search for the linear `weight` (N, K) fed by x (tokens, K): s = x̄^α over a grid of 20 α in
// [0, 1), normalised by √(max s · min s); keeps the s whose fake-quantized W·diag(s), undone by diag(1/s),
// changes `inspect` (the output AWQ watches, as a function of the weight) least. Returns s (K), float32.
// (AutoAWQ's duo scaling, x̄^α / w̄^(1−α), tried alongside on the demo model: 25.045 held-out perplexity
// against 24.953 without.)
at::Tensor search_scale(const at::Tensor& weight, const at::Tensor& x, const QuantScheme& scheme,
                        const std::function<at::Tensor(const at::Tensor&)>& inspect) {
  constexpr int kGrid = 20;
  const at::Tensor x_mean = x.abs().to(at::kFloat).mean(0);  // (K)
  const at::Tensor w = weight.to(at::kFloat);
  const at::Tensor reference = inspect(weight).to(at::kFloat);
  double best_loss = std::numeric_limits<double>::infinity();
  at::Tensor best;
  for (int i = 0; i < kGrid; ++i) {
    at::Tensor s = x_mean.pow(double(i) / kGrid).clamp_min(1e-4);
    s = s / (s.max() * s.min()).sqrt();
    const at::Tensor candidate =
        (awq_fake_quantize(w * s, scheme.bits, scheme.group_size) / s).to(weight.scalar_type());
    const double loss = (inspect(candidate).to(at::kFloat) - reference).pow(2).mean().item<double>();
    if (loss < best_loss) best_loss = loss, best = s;
  }
  return best;
}

// Folding scales s (K): a linear's input columns times s; what feeds it (a norm's weight, the activations,
// or the rows of the linear before it) divided by s.
at::Tensor scale_columns(const at::Tensor& w, const at::Tensor& s) {
  return (w.to(at::kFloat) * s).to(w.scalar_type());
}
at::Tensor divide_last(const at::Tensor& t, const at::Tensor& s) {
  return (t.to(at::kFloat) / s).to(t.scalar_type());
}
at::Tensor divide_rows(const at::Tensor& w, const at::Tensor& s) {
  return (w.to(at::kFloat) / s.unsqueeze(1)).to(w.scalar_type());
}

// One layer's quantized linears, fused as the model holds them, and the scheme of each branch (none: the
// branch stays unquantized).
struct LayerResult {
  std::optional<QuantizedWeight> qkv, o, gate_up, down;
  std::optional<QuantScheme> attn_scheme, mlp_scheme;
};

// The scheme of one branch of layer i after the request's per-module rules: its linears' (which must agree),
// or none when the rules leave them unquantized.
std::optional<QuantScheme> branch_scheme(const QuantScheme& base, const std::vector<std::string>& weights) {
  std::optional<QuantScheme> first;
  for (size_t w = 0; w < weights.size(); ++w) {
    const std::optional<QuantScheme> s = base.for_module(packed_prefix(weights[w]));
    if (w == 0) first = s;
    const bool same = s.has_value() == first.has_value() &&
                      (!s || (s->bits == first->bits && s->group_size == first->group_size &&
                              s->desc_act == first->desc_act && s->sym == first->sym));
    if (!same)
      throw_bad_input("the per-module rules give " + packed_prefix(weights[w]) + " another precision than " +
                      packed_prefix(weights[0]) + ": a branch's linears are quantized alike");
  }
  return first;
}

class LayerQuantizer {
 public:
  LayerQuantizer(Model& model, const QuantizeRequest& request, JobContext& job)
      : model_(model), request_(request), scheme_(request.scheme), job_(job) {}

  // Quantizes layer i in place; h (n, T, hidden) becomes the next layer's input.
  LayerResult quantize(int64_t i, at::Tensor& h) {
    const ModelConfig& c = model_.config();
    const ModelFamily& family = family_for(c.model_type);
    const DecoderLayer& layer = model_.layers()[static_cast<size_t>(i)];
    LayerResult r;
    auto weights = [](const std::vector<TensorPart>& parts, const std::string& last) {
      std::vector<std::string> names;
      for (const auto& part : parts) names.push_back(part.weight);
      names.push_back(last);
      return names;
    };
    if (layer.attn) {
      const auto names = family.attention(c, i);
      r.attn_scheme = branch_scheme(scheme_, weights(names.qkv, names.o));
    }
    if (layer.mlp) {
      const auto names = family.mlp(c, i);
      r.mlp_scheme = branch_scheme(scheme_, weights(names.gate_up, names.down));
    }
    switch (scheme_.method) {
      case QuantMethod::rtn:
        rtn(i, r);
        break;
      case QuantMethod::gptq:
        gptq(i, h, r);
        break;
      case QuantMethod::awq:
        awq(i, h, r);
        break;
    }
    return r;
  }

 private:
  void rtn(int64_t i, LayerResult& r) {
    DecoderLayer& layer = model_.mutable_layer(i);
    auto run = [&](at::Tensor& w, const QuantScheme& scheme) {
      QuantizedWeight q = quantize_rtn(w, scheme);
      install(w, q);
      return q;
    };
    if (r.attn_scheme)
      r.qkv = run(layer.attn->qkv.dense, *r.attn_scheme), r.o = run(layer.attn->o.dense, *r.attn_scheme);
    if (r.mlp_scheme)
      r.gate_up = run(layer.mlp->gate_up.dense, *r.mlp_scheme),
      r.down = run(layer.mlp->down.dense, *r.mlp_scheme);
  }

  // True-sequential GPTQ: q|k|v, then o, then gate|up, then down, each on inputs produced by the layer with
  // everything before it already quantized.
  void gptq(int64_t i, at::Tensor& h, LayerResult& r) {
    DecoderLayer& layer = model_.mutable_layer(i);
    auto run = [&](at::Tensor LayerTrace::*input, at::Tensor& w, const QuantScheme& scheme) {
      Hessian hessian(workers(h, request_.batch_size));
      run_layer(model_, i, h, request_.batch_size, job_,
                [&](const LayerTrace& t, int64_t, int64_t worker) { hessian.add(t.*input, worker); });
      QuantizedWeight q = quantize_gptq(w, hessian.value(), scheme);
      install(w, q);
      return q;
    };
    if (r.attn_scheme) {
      r.qkv = run(&LayerTrace::attn_input, layer.attn->qkv.dense, *r.attn_scheme);
      r.o = run(&LayerTrace::attn_heads, layer.attn->o.dense, *r.attn_scheme);
    }
    if (r.mlp_scheme) {
      r.gate_up = run(&LayerTrace::mlp_input, layer.mlp->gate_up.dense, *r.mlp_scheme);
      r.down = run(&LayerTrace::mlp_hidden, layer.mlp->down.dense, *r.mlp_scheme);
    }
    h = run_layer(model_, i, h, request_.batch_size, job_, [](const LayerTrace&, int64_t, int64_t) {});
  }

  // AWQ as AutoAWQ runs it: the inputs of every linear captured from the original layer (whose outputs feed
  // the next layer), scales searched and folded into the preceding norm or linear, clipping searched
  // (awq_clip: a finer search than AutoAWQ's), then group-wise quantization. The q|k|v scales watch the
  // attention output, gate|up's the MLP output; o's (only when v and o have matching shapes, as in AutoAWQ)
  // and down's watch their own outputs.
  void awq(int64_t i, at::Tensor& h, LayerResult& r) {
    DecoderLayer& layer = model_.mutable_layer(i);
    const at::Tensor input = h;
    std::vector<at::Tensor> attn_in = in_batch_order(h, request_.batch_size), heads = attn_in,
                            mlp_in = attn_in, hidden = attn_in;
    auto flat = [](const at::Tensor& t) { return t.reshape({-1, t.size(-1)}); };
    h = run_layer(model_, i, h, request_.batch_size, job_, [&](const LayerTrace& t, int64_t b, int64_t) {
      const auto at = static_cast<size_t>(b);
      if (t.attn_input.defined()) attn_in[at] = flat(t.attn_input), heads[at] = flat(t.attn_heads);
      if (t.mlp_input.defined()) mlp_in[at] = flat(t.mlp_input), hidden[at] = flat(t.mlp_hidden);
    });
    const ModelConfig& c = model_.config();
    const int64_t q_rows = c.num_heads * c.head_dim, kv_rows = c.num_kv_heads * c.head_dim;
    const int64_t inter = c.intermediate_size;
    if (r.attn_scheme) {
      at::Tensor &qkv = layer.attn->qkv.dense, &o = layer.attn->o.dense;
      at::Tensor x = at::cat(attn_in), x_o = at::cat(heads);
      job_.throw_if_cancelled();
      at::Tensor s = search_scale(qkv, x, scheme_, [&](const at::Tensor& candidate) {
        return attention_output(i, input, candidate);
      });
      layer.attn->pre_norm = divide_last(layer.attn->pre_norm, s);
      qkv = scale_columns(qkv, s);
      x = divide_last(x, s);
      if (kv_rows == q_rows) {  // v feeds o directly: fold o's scales into v's rows
        s = search_scale(o, x_o, scheme_,
                         [&](const at::Tensor& candidate) { return at::linear(x_o, candidate); });
        qkv.slice(0, q_rows + kv_rows).copy_(divide_rows(qkv.slice(0, q_rows + kv_rows), s));
        o = scale_columns(o, s);
        x_o = divide_last(x_o, s);
      }
      // Clipping q and k too (AutoAWQ skips them): 24.800 against 24.879 held-out perplexity on the demo
      // model.
      qkv = awq_clip(qkv, x, scheme_.bits, scheme_.group_size);
      o = awq_clip(o, x_o, scheme_.bits, scheme_.group_size);
      r.qkv = quantize_rtn(qkv, scheme_);
      r.o = quantize_rtn(o, scheme_);
      install(qkv, *r.qkv);
      install(o, *r.o);
    }
    if (r.mlp_scheme) {
      at::Tensor &gate_up = layer.mlp->gate_up.dense, &down = layer.mlp->down.dense;
      at::Tensor x = at::cat(mlp_in), x_down = at::cat(hidden);
      job_.throw_if_cancelled();
      const at::Tensor unquantized_down = down;
      at::Tensor s = search_scale(gate_up, x, scheme_, [&](const at::Tensor& candidate) {
        const at::Tensor gu = at::linear(x, candidate);
        return at::linear(model_.gated_activation(gu), unquantized_down);
      });
      layer.mlp->pre_norm = divide_last(layer.mlp->pre_norm, s);
      gate_up = scale_columns(gate_up, s);
      x = divide_last(x, s);
      s = search_scale(down, x_down, scheme_,
                       [&](const at::Tensor& candidate) { return at::linear(x_down, candidate); });
      gate_up.slice(0, inter).copy_(divide_rows(gate_up.slice(0, inter), s));  // up's rows
      down = scale_columns(down, s);
      x_down = divide_last(x_down, s);
      gate_up = awq_clip(gate_up, x, scheme_.bits, scheme_.group_size);
      down = awq_clip(down, x_down, scheme_.bits, scheme_.group_size);
      r.gate_up = quantize_rtn(gate_up, scheme_);
      r.down = quantize_rtn(down, scheme_);
      install(gate_up, *r.gate_up);
      install(down, *r.down);
    }
  }

  // Layer i's attention output on `input` with q|k|v = candidate.
  at::Tensor attention_output(int64_t i, const at::Tensor& input, const at::Tensor& candidate) {
    at::Tensor& qkv = model_.mutable_layer(i).attn->qkv.dense;
    const at::Tensor kept = qkv;
    qkv = candidate;
    std::vector<at::Tensor> outputs = in_batch_order(input, request_.batch_size);
    run_layer(model_, i, input, request_.batch_size, job_, [&](const LayerTrace& t, int64_t b, int64_t) {
      outputs[static_cast<size_t>(b)] = t.attn_output;
    });
    qkv = kept;
    return at::cat(outputs);
  }

  Model& model_;
  const QuantizeRequest& request_;
  const QuantScheme& scheme_;
  JobContext& job_;
};

// The exported tensors of layer i: packed linears (q|k|v and gate|up split again into the checkpoint's parts)
// and, for AWQ, the rescaled norms.
void add_layer(TensorOverrides& out, const Model& model, const DecoderLayer& layer, const LayerResult& r) {
  auto add = [&](const std::string& weight_name, const QuantizedWeight& q, const QuantScheme& scheme) {
    out.removed.insert(weight_name);
    const std::string prefix = packed_prefix(weight_name);
    // Packed on the model's device (int64 temporaries the size of the weight), kept in host memory.
    for (auto& [name, t] : pack_linear(q.to(model.device()), scheme, prefix))
      out.added[name] = ExportTensor::of(t.cpu());
  };
  auto add_parts = [&](const std::vector<TensorPart>& parts, const QuantizedWeight& q, const QuantScheme& s) {
    int64_t first = 0;
    for (const auto& part : parts) add(part.weight, rows(q, first, first + part.rows), s), first += part.rows;
  };
  const ModelFamily& family = family_for(model.config().model_type);
  if (r.qkv) {
    const auto names = family.attention(model.config(), layer.index);
    add_parts(names.qkv, *r.qkv, *r.attn_scheme);
    add(names.o, *r.o, *r.attn_scheme);
    if (r.attn_scheme->method == QuantMethod::awq)
      out.added[names.pre_norm] = ExportTensor::of(model.stored_norm(layer.attn->pre_norm).cpu());
  }
  if (r.gate_up) {
    const auto names = family.mlp(model.config(), layer.index);
    add_parts(names.gate_up, *r.gate_up, *r.mlp_scheme);
    add(names.down, *r.down, *r.mlp_scheme);
    if (r.mlp_scheme->method == QuantMethod::awq)
      out.added[names.pre_norm] = ExportTensor::of(model.stored_norm(layer.mlp->pre_norm).cpu());
  }
}

// BadInput unless `group_size` columns (−1: a row) divide every linear's input size.
void check_group_size(const ModelConfig& c, int64_t group_size) {
  if (group_size > 0 && (c.hidden_size % group_size != 0 || c.intermediate_size % group_size != 0 ||
                         c.num_heads * c.head_dim % group_size != 0))
    throw_bad_input("the group size must divide the layers' input sizes, which " +
                    std::to_string(group_size) + " does not");
}

// Python-regex text that matches `text` literally.
std::string escaped(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    if (std::string_view(".^$*+?()[]{}|\\").find(ch) != std::string_view::npos) out += '\\';
    out += ch;
  }
  return out;
}

// The module-name pattern of a branch over `layers` (every layer: any index), from its name in layer 0, e.g.
// model\.layers\.(?:3|4)\.self_attn\.
std::string branch_pattern(const std::string& layer0_branch, const std::vector<int64_t>& layers, bool all) {
  const size_t at = layer0_branch.find(".0.");
  if (at == std::string::npos) throw_bad_input("cannot tell the layer index in module " + layer0_branch);
  std::string indices = "\\d+";
  if (!all) {
    indices = "(?:";
    for (size_t i = 0; i < layers.size(); ++i) indices += (i ? "|" : "") + std::to_string(layers[i]);
    indices += ")";
  }
  return escaped(layer0_branch.substr(0, at)) + "\\." + indices + "\\." +
         escaped(layer0_branch.substr(at + 3)) + "\\.";
}

}  // namespace

std::vector<QuantRule> module_rules(const ModelConfig& c, const QuantScheme& base,
                                    const std::vector<ModuleChoice>& choices) {
  struct Outcome {
    bool skip = false;
    int bits = 0;
    int64_t group_size = 0;
    bool operator==(const Outcome&) const = default;
    bool operator<(const Outcome& o) const {
      return std::tie(skip, bits, group_size) < std::tie(o.skip, o.bits, o.group_size);
    }
  };
  const Outcome plain{false, base.bits, base.group_size};
  std::vector<Outcome> attn(static_cast<size_t>(c.num_layers), plain), mlp = attn;
  for (const ModuleChoice& choice : choices) {
    const std::string& text = choice.selection;
    if (text == "lm_head") {
      if (!choice.skip) throw_bad_input("lm_head stays 16-bit (it is never quantized): only --skip takes it");
      continue;
    }
    // [layers.I[-J]][.]attn|mlp, or layers.I[-J] alone
    int64_t first = 0, last = c.num_layers - 1;
    std::string branch = text;
    if (text.starts_with("layers.")) {
      const size_t dot = text.find('.', 7);
      const std::string span = text.substr(7, dot == std::string::npos ? std::string::npos : dot - 7);
      branch = dot == std::string::npos ? "" : text.substr(dot + 1);
      const size_t dash = span.find('-');
      const auto from = parse_int(span.substr(0, dash));
      const auto to = dash == std::string::npos ? from : parse_int(span.substr(dash + 1));
      if (!from || !to || *from < 0 || *to < *from || *to >= c.num_layers)
        throw_bad_input("'" + text + "': layers are 0 to " + std::to_string(c.num_layers - 1) +
                        ", as layers.I or layers.I-J");
      first = *from, last = *to;
    }
    if (branch != "" && branch != "attn" && branch != "mlp")
      throw_bad_input("'" + text + "' selects nothing: use attn, mlp, layers.I[-J][.attn|.mlp] or lm_head");
    for (int64_t i = first; i <= last; ++i)
      for (auto* outcomes : {&attn, &mlp}) {
        if ((outcomes == &attn && branch == "mlp") || (outcomes == &mlp && branch == "attn")) continue;
        Outcome& o = (*outcomes)[static_cast<size_t>(i)];
        if (choice.skip) o.skip = true;
        if (choice.bits) o.bits = *choice.bits;
        if (choice.group_size) o.group_size = *choice.group_size;
      }
  }
  const ModelFamily& family = family_for(c.model_type);
  std::vector<QuantRule> rules;
  for (const bool is_attn : {true, false}) {
    const std::vector<Outcome>& outcomes = is_attn ? attn : mlp;
    const std::string weight = is_attn ? family.attention(c, 0).o : family.mlp(c, 0).down;
    const std::string prefix = packed_prefix(weight), branch = prefix.substr(0, prefix.rfind('.'));
    std::map<Outcome, std::vector<int64_t>> layers;
    for (int64_t i = 0; i < c.num_layers; ++i)
      if (!(outcomes[static_cast<size_t>(i)] == plain)) layers[outcomes[static_cast<size_t>(i)]].push_back(i);
    for (const auto& [o, which] : layers) {
      QuantRule rule;
      rule.pattern = branch_pattern(branch, which, int64_t(which.size()) == c.num_layers);
      rule.skip = o.skip;
      if (!o.skip) {
        if (o.bits != base.bits) rule.bits = o.bits;
        if (o.group_size != base.group_size) rule.group_size = o.group_size;
        QuantScheme check = base;
        check.bits = o.bits, check.group_size = o.group_size, check.dynamic.clear();
        check.validate();
        check_group_size(c, o.group_size);
      }
      rules.push_back(rule);
    }
  }
  return rules;
}

QuantizeResult quantize_checkpoint(const Checkpoint& checkpoint, const QuantizeRequest& request,
                                   const std::filesystem::path& out, const nlohmann::json& record,
                                   JobContext& job) {
  const ModelConfig& c = checkpoint.config;
  request.scheme.validate();
  request.drops.validate(c.num_layers);
  if (c.quantization) throw_bad_input("the model is already quantized");
  if (c.hidden_size % 32 != 0 || c.intermediate_size % 32 != 0 || c.head_dim * c.num_kv_heads % 32 != 0)
    throw_bad_input(
        "quantized formats pack 32 values at a time: hidden, intermediate and key/value sizes "
        "must be multiples of 32");
  check_group_size(c, request.scheme.group_size);
  c10::InferenceMode inference;
  const auto start = std::chrono::steady_clock::now();
  const bool calibrated = request.scheme.method != QuantMethod::rtn;
  const c10::Device device = parse_device(request.device);
  reset_peak_memory(device);

  // Every module dropped at first: the model holds embeddings, norms and the head; layers come one by one.
  DropPlan none_loaded;
  for (int64_t i = 0; i < c.num_layers; ++i) none_loaded.attn.insert(i), none_loaded.mlp.insert(i);
  std::unique_ptr<Model> model =
      Model::load_in_job(checkpoint, request.device, request.dtype, none_loaded, job);
  QuantizeResult result;
  at::Tensor h;  // (samples, seq_len, hidden) calibration activations entering the current layer
  if (calibrated) {
    const Tokenizer tokenizer = Tokenizer::open(checkpoint.dir, checkpoint.config);
    // Each block starts with BOS, as every sequence the model later sees does (GPTQ's and AWQ's calibration
    // samples are tokenized with it): the first position's activations are unlike the others'.
    const auto bos = tokenizer.bos_id();
    at::Tensor blocks = calibration_blocks(tokenizer, read_text_documents(request.data), request.samples,
                                           request.seq_len - (bos ? 1 : 0));
    if (bos) blocks = at::cat({at::full({blocks.size(0), 1}, *bos, blocks.options()), blocks}, 1);
    h = model->embed(blocks);
    result.tokens = blocks.numel();
  }
  auto since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  result.load_seconds = since(start);
  TensorOverrides overrides;
  LayerQuantizer quantizer(*model, request, job);
  for (int64_t i = 0; i < c.num_layers; ++i) {
    job.throw_if_cancelled();
    job.report(i, c.num_layers + 1, "quantizing layer " + std::to_string(i));
    DropPlan only_this = none_loaded;
    if (!request.drops.attn_dropped(i)) only_this.attn.erase(i);
    if (!request.drops.mlp_dropped(i)) only_this.mlp.erase(i);
    const auto layer_start = std::chrono::steady_clock::now();
    model->set_drops(only_this, job);
    result.layer_load_seconds += since(layer_start);
    const auto quantize_start = std::chrono::steady_clock::now();
    const LayerResult r = quantizer.quantize(i, h);
    result.quantize_seconds += since(quantize_start);
    add_layer(overrides, *model, model->layers()[static_cast<size_t>(i)], r);
    result.linears += (r.qkv ? 4 : 0) + (r.gate_up ? 3 : 0);
  }
  model.reset();
  h = at::Tensor();
  result.seconds = since(start);
  result.peak_memory_bytes = peak_memory_bytes(device);

  overrides.config_patch = {{"quantization_config", quantization_config_json(request.scheme)},
                            {"dtype", "float16"},
                            {"torch_dtype", "float16"}};
  overrides.float_dtype = at::kHalf;
  // Layers, then writing as one more step.
  JobContext writing(
      job, [&](const Progress& p) { job.report(c.num_layers, c.num_layers + 1, "writing " + p.message); });
  const auto write_start = std::chrono::steady_clock::now();
  export_pruned(checkpoint, request.drops, out, record, writing, overrides);
  result.write_seconds = since(write_start);
  job.report(c.num_layers + 1, c.num_layers + 1, "written");
  return result;
}

void export_dequantized(const Checkpoint& quantized, const std::filesystem::path& out,
                        const nlohmann::json& record, JobContext& job, const std::string& device_name) {
  const c10::Device device = parse_device(device_name);
  const ModelConfig& c = quantized.config;
  if (!c.quantization) throw_bad_input("the model is not quantized (config.json has no quantization_config)");
  const ModelFamily& family = family_for(c.model_type);
  const int64_t hidden = c.hidden_size, q_rows = c.num_heads * c.head_dim, inter = c.intermediate_size;
  c10::InferenceMode inference;  // also while the weights are made, inside export_pruned
  TensorOverrides overrides;
  // Each weight is dequantized when the writer reaches it: one dense weight in memory at a time.
  auto dense = [&](const std::string& weight_name, int64_t n, int64_t k) {
    const std::string prefix = packed_prefix(weight_name);
    if (!quantized.tensors->contains(prefix + ".qweight")) return;
    for (const char* part : {".qweight", ".qzeros", ".scales", ".g_idx"})
      overrides.removed.insert(prefix + part);
    overrides.added[weight_name] = {{n, k}, at::kHalf, [&quantized, prefix, n, k, device] {
                                      const ModelConfig& config = quantized.config;
                                      return unpack_linear(*quantized.tensors, prefix,
                                                           config.quantization->packed_as(prefix), n, k,
                                                           device)
                                          .dequantize()
                                          .cpu();
                                    }};
  };
  for (int64_t i = 0; i < c.num_layers; ++i) {
    const auto a = family.attention(c, i);
    const auto m = family.mlp(c, i);
    for (const auto& part : a.qkv) dense(part.weight, part.rows, hidden);
    dense(a.o, hidden, q_rows);
    for (const auto& part : m.gate_up) dense(part.weight, part.rows, hidden);
    dense(m.down, hidden, inter);
  }
  overrides.config_patch = {{"quantization_config", nullptr}};
  JobContext writing(job, [&](const Progress& p) {
    job.report(p.done, p.total, p.done < p.total ? "writing " + p.message : p.message);
  });
  export_pruned(quantized, c.drops, out, record, writing, overrides);
}

}  // namespace llmdrop
