// The fused decode kernels (core/model/cuda) against ATen's (cuBLAS, SDPA) on the shapes of one decode step
// of a 7B model (bf16, batch 1): mean time per call over back-to-back calls, effective bandwidth (bytes read
// / time), and the largest deviation of our result from the ATen computation of the same function, relative
// to its largest value. Weights rotate over several copies, so no call finds its weights in the L2 cache.
// Then the same for 4-bit weights, whose ATen column is the 16-bit product they replace (cuBLAS on the
// dequantized weight; its TB/s counts the 4-bit bytes).
//   bench_decode_kernels [--shape llama2-7b] [--copies 4] [--repeats 40] [--formats bf16,int4,int4-act-order]
//                        [--sweep 1]
// --formats: the weight formats to run; --sweep 0: each 4-bit product at its default launch shape only (for a
// profiler, tools/gpu/tasks/kernel_profile.sh).
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAStream.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "bench_args.h"
#include "model/cuda/decode_kernels.h"
#include "model/linear_weight.h"
#include "model/rope.h"
#include "model/shapes.h"

using namespace llmdrop;

namespace {

// Mean seconds per call of `run(i)` over `repeats` back-to-back calls (after a warm-up).
double time_per_call(int repeats, const std::function<void(int)>& run) {
  for (int i = 0; i < 3; ++i) run(i);
  c10::cuda::device_synchronize();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) run(i);
  c10::cuda::device_synchronize();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
}

double relative_deviation(const at::Tensor& ours, const at::Tensor& reference) {
  const at::Tensor r = reference.to(at::kFloat);
  return (ours.to(at::kFloat) - r).abs().max().item<double>() / r.abs().max().item<double>();
}

// LlamaRMSNorm with transformers' roundings, as core/model/model.cpp computes it on the CPU.
at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& weight, double eps) {
  at::Tensor xf = x.to(at::kFloat);
  xf = xf * at::rsqrt(xf.pow(2).mean(-1, true) + eps);
  return weight * xf.to(x.scalar_type());
}

void print_row(const char* name, const std::string& shape, double bytes, double ours, double aten,
               double deviation) {
  std::printf("| %s | %s | %.1f | %.2f | %.1f | %.2f | %.2f | %.1e |\n", name, shape.c_str(), ours * 1e6,
              bytes / ours / 1e12, aten * 1e6, bytes / aten / 1e12, aten / ours, deviation);
}

}  // namespace

int main(int argc, char** argv) {
  bench::BenchArgs defaults;
  defaults.integers = {{"copies", 4}, {"repeats", 40}, {"sweep", 1}};
  defaults.strings = {{"shape", "llama2-7b"}, {"formats", "bf16,int4,int4-act-order"}};
  const auto args = bench::parse_bench_args("bench_decode_kernels", argc, argv, defaults);
  if (!args) return 2;
  const std::string shape_name = args->strings.at("shape");
  const ModelConfig shape = shape_config(shape_name);
  const int copies = int(args->integers.at("copies")), repeats = int(args->integers.at("repeats"));
  const bool sweep = args->integers.at("sweep") != 0;
  const std::string formats = "," + args->strings.at("formats") + ",";
  c10::InferenceMode inference;
  const auto opts = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
  const cudaStream_t stream = c10::cuda::getCurrentCUDAStream().stream();
  const int64_t hidden = shape.hidden_size, inter = shape.intermediate_size, heads = shape.num_heads,
                kv_heads = shape.num_kv_heads, d = shape.head_dim;
  const double eps = shape.rms_norm_eps;
  std::printf("%s, bf16, batch 1; %d weight copies, %d calls each\n\n", shape_name.c_str(), copies, repeats);
  std::printf("| kernel | shape | ours µs | ours TB/s | ATen µs | ATen TB/s | ATen/ours | deviation |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");

  struct Case {
    const char* name;
    int64_t rows, k;  // weight (rows, k)
    cuda::GemvInput input;
    cuda::GemvOutput output;
  };
  const std::vector<Case> cases = {
      {"qkv (norm)", (heads + 2 * kv_heads) * d, hidden, cuda::GemvInput::rms_norm, cuda::GemvOutput::store},
      {"o (+residual)", hidden, heads * d, cuda::GemvInput::plain, cuda::GemvOutput::add_to},
      {"gate_up (norm, swiglu)", 2 * inter, hidden, cuda::GemvInput::rms_norm, cuda::GemvOutput::swiglu},
      {"down (+residual)", hidden, inter, cuda::GemvInput::plain, cuda::GemvOutput::add_to},
      {"lm_head (norm)", shape.vocab_size, hidden, cuda::GemvInput::rms_norm, cuda::GemvOutput::store},
  };
  // 16-bit weights, then 4-bit ones (Int4Weight's layout, random codes in groups of 128; act-order: the
  // columns of each group shuffled over the row). The head stays 16-bit.
  enum class Format { bf16, int4, int4_act_order };
  const std::pair<Format, const char*> format_names[] = {
      {Format::bf16, "bf16"}, {Format::int4, "int4"}, {Format::int4_act_order, "int4-act-order"}};
  for (const auto& [format, format_name] : format_names)
    for (const Case& c : cases) {
      if (formats.find("," + std::string(format_name) + ",") == std::string::npos) continue;
      if (format != Format::bf16 && c.rows == shape.vocab_size) continue;
      std::vector<cuda::GemvArgs> weight_args(copies);  // the weight fields of each copy
      std::vector<at::Tensor> dense(copies);            // what ATen multiplies
      std::vector<Int4Weight> packed;
      double bytes = double(c.rows * c.k * 2);
      if (format == Format::bf16) {
        for (int i = 0; i < copies; ++i) {
          dense[i] = at::randn({c.rows, c.k}, opts) * 0.02;
          weight_args[i].weight = dense[i].data_ptr();
        }
      } else {
        const int64_t groups = c.k / 128;
        QuantizedWeight q;
        q.codes = at::randint(0, 16, {c.rows, c.k}, at::kByte);
        q.scales = (at::rand({groups, c.rows}) * 0.004 + 0.001).to(at::kHalf);
        q.zeros = at::randint(0, 16, {groups, c.rows}, at::kInt);
        q.g_idx = at::arange(c.k, at::kInt).floor_divide(128);
        if (format == Format::int4_act_order)
          q.g_idx = at::empty_like(q.g_idx).index_put_({at::randperm(c.k)}, q.g_idx);
        packed.assign(copies, *Int4Weight::from(q, at::kCUDA));
        const at::Tensor dequantized = q.dequantize().to(opts);
        for (int i = 0; i < copies; ++i) {
          packed[i].words = packed[i].words.clone();
          dense[i] = dequantized.clone();
          weight_args[i] = {.weight = packed[i].words.data_ptr(),
                            .scale_zero = packed[i].scale_zero.data_ptr<int32_t>(),
                            .input_order = packed[i].input_order.defined()
                                               ? packed[i].input_order.data_ptr<int32_t>()
                                               : nullptr,
                            .group_size = 128};
        }
        bytes = double(c.rows * c.k / 2 + c.rows * groups * 4);
      }
      const at::Tensor x = at::randn({c.k}, opts), norm_weight = 1 + 0.1 * at::randn({c.k}, opts);
      const bool swiglu = c.output == cuda::GemvOutput::swiglu;
      const int64_t n = swiglu ? c.rows / 2 : c.rows;
      const at::Tensor residual = at::randn({n}, opts);
      at::Tensor out = residual.clone();
      // A zeroed tile counter for each call (the kernel leaves it counted), zeroed again when all are used.
      const at::Tensor tile_counters = at::zeros({1 << 14}, opts.dtype(at::kInt));
      int64_t counted = 0;
      auto ours = [&](int i) {
        cuda::GemvArgs args = weight_args[i % copies];
        if (counted == tile_counters.numel()) {
          tile_counters.zero_();
          counted = 0;
        }
        args.tile_counter = static_cast<unsigned*>(tile_counters.data_ptr()) + counted++;
        args.x = x.data_ptr();
        args.norm_weight = norm_weight.data_ptr();
        args.eps = float(eps);
        args.out = out.data_ptr();
        args.n = n;
        args.k = c.k;
        args.input = c.input;
        args.output = c.output;
        cuda::gemv(cuda::ElementType::bfloat16, args, stream);
      };
      const at::Tensor input = c.input == cuda::GemvInput::rms_norm ? rms_norm(x, norm_weight, eps) : x;
      auto aten = [&](int i) { return at::matmul(dense[i % copies], input); };
      at::Tensor want = aten(0);  // the same function in ATen, for the deviation
      if (swiglu) want = at::silu(want.narrow(0, 0, n)) * want.narrow(0, n, n);
      if (c.output == cuda::GemvOutput::add_to) want = residual + want;
      const double t_aten = time_per_call(repeats, aten);
      const std::string name = c.name + std::string(format == Format::bf16   ? ""
                                                    : format == Format::int4 ? ", 4-bit"
                                                                             : ", 4-bit act-order");
      // 4-bit: the default launch shape (-1), then each shape.
      const int shapes = format == Format::bf16 || !sweep ? 0 : int(cuda::int4_gemv_shapes().size());
      for (int shape = -1; shape < shapes; ++shape) {
        for (cuda::GemvArgs& args : weight_args) args.int4_shape = shape;
        out.copy_(residual);
        ours(0);
        const double deviation = relative_deviation(out, want);
        const double t_ours = time_per_call(repeats, ours);
        const std::string label = shape < 0 ? name : "  " + cuda::int4_gemv_shapes()[shape];
        print_row(label.c_str(), std::to_string(c.rows) + "×" + std::to_string(c.k), bytes, t_ours, t_aten,
                  deviation);
      }
    }

  // Decode attention over `context` cached positions (capacity 2304), against SDPA with an additive mask.
  const int64_t capacity = 2304;
  const at::Tensor inv_freq = rope_inverse_frequencies(shape.rope, d, at::kCUDA);
  for (const int64_t context : {512, 2048}) {
    std::vector<at::Tensor> keys, values;
    for (int i = 0; i < copies; ++i) {
      keys.push_back(at::randn({kv_heads, capacity, d}, opts));
      values.push_back(at::randn({kv_heads, capacity, d}, opts));
    }
    const at::Tensor qkv = at::randn({(heads + 2 * kv_heads) * d}, opts);
    const at::Tensor position = at::full({1}, context - 1, opts.dtype(at::kLong));
    const RopeTables rope = rope_tables(inv_freq, 0, capacity, at::kBFloat16);  // (capacity, D)
    at::Tensor partials = at::empty({cuda::decode_attention_workspace(int(heads), int(capacity), int(d))},
                                    opts.dtype(at::kFloat));
    at::Tensor counters = at::zeros({kv_heads}, opts.dtype(at::kInt)), out = at::empty({heads * d}, opts);
    auto ours = [&](int i) {
      cuda::decode_attention(cuda::ElementType::bfloat16,
                             {.qkv = qkv.data_ptr(),
                              .cos = rope.cos.data_ptr(),
                              .signed_sin = rope.signed_sin.data_ptr(),
                              .keys = keys[i % copies].data_ptr(),
                              .values = values[i % copies].data_ptr(),
                              .position = position.data_ptr<int64_t>(),
                              .capacity = int(capacity),
                              .heads = int(heads),
                              .kv_heads = int(kv_heads),
                              .head_dim = int(d),
                              .scale = float(1 / std::sqrt(double(d))),
                              .partials = partials.data_ptr<float>(),
                              .counters = static_cast<unsigned*>(counters.data_ptr()),
                              .out = out.data_ptr()},
                             stream);
    };
    const at::Tensor mask = at::zeros({1, 1, 1, capacity}, opts)
                                .index_fill_(3, at::arange(context, capacity, opts.dtype(at::kLong)),
                                             -std::numeric_limits<float>::infinity());
    const at::Tensor q = apply_rope(qkv.narrow(0, 0, heads * d).view({1, heads, 1, d}),
                                    rope_tables(inv_freq, context - 1, 1, at::kBFloat16));  // (1, H, 1, D)
    auto aten = [&](int i) {
      const int64_t group = heads / kv_heads;
      auto expand = [&](const at::Tensor& t) {
        return t.unsqueeze(1).expand({kv_heads, group, capacity, d}).reshape({1, heads, capacity, d});
      };
      return at::scaled_dot_product_attention(q, expand(keys[i % copies]), expand(values[i % copies]), mask);
    };
    ours(0);  // writes the new key and value at the position, which the reference then reads too
    const double deviation = relative_deviation(out, aten(0).view({heads * d}));
    const double t_ours = time_per_call(repeats, ours), t_aten = time_per_call(repeats, aten);
    print_row("attention", "context " + std::to_string(context), double(2 * context * kv_heads * d * 2),
              t_ours, t_aten, deviation);
  }
  return 0;
}
