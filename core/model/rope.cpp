#include "model/rope.h"

#include <ATen/ATen.h>

#include <cmath>

#include "checkpoint/model_config.h"

#ifdef LLMDROP_WITH_CUDA_KERNELS
#include "model/cuda/elementwise.h"
#include "model/cuda/tensor_kernels.h"
#endif

namespace llmdrop {

namespace {
// θ^(2i/dim) for i < dim/2, in float32: (dim/2).
at::Tensor rope_powers(double theta, int64_t rotary_dim) {
  const auto exponents =
      at::arange(0, rotary_dim, 2, at::TensorOptions().dtype(at::kLong)).to(at::kFloat) / rotary_dim;
  return at::pow(theta, exponents);
}

// 1 / (divisor · θ^(2i/dim)), rounded as transformers rounds it.
at::Tensor longrope_frequencies(const std::vector<double>& divisors, const at::Tensor& powers) {
  return 1.0 / (at::tensor(divisors, at::TensorOptions().dtype(at::kDouble)).to(at::kFloat) * powers);
}
}  // namespace

at::Tensor rope_inverse_frequencies(const RopeConfig& rope, int64_t rotary_dim, c10::Device device) {
  const at::Tensor powers = rope_powers(rope.theta, rotary_dim);  // (rotary_dim/2)
  if (rope.type == "longrope") return longrope_frequencies(rope.short_factor, powers).to(device);
  at::Tensor inv_freq = 1.0 / powers;
  if (rope.type == "linear") {
    inv_freq = inv_freq / rope.factor;
  } else if (rope.type == "llama3") {
    // Llama 3.1: keep high frequencies, divide low ones by `factor`, interpolate smoothly in between.
    const double old_context = static_cast<double>(rope.original_max_position);
    const double low_freq_wavelen = old_context / rope.low_freq_factor;
    const double high_freq_wavelen = old_context / rope.high_freq_factor;
    at::Tensor wavelen = 2 * M_PI / inv_freq;
    at::Tensor scaled = at::where(wavelen > low_freq_wavelen, inv_freq / rope.factor, inv_freq);
    at::Tensor smooth =
        (old_context / wavelen - rope.low_freq_factor) / (rope.high_freq_factor - rope.low_freq_factor);
    at::Tensor smoothed = (1 - smooth) * scaled / rope.factor + smooth * scaled;
    at::Tensor medium =
        at::logical_not(wavelen < high_freq_wavelen) & at::logical_not(wavelen > low_freq_wavelen);
    inv_freq = at::where(medium, smoothed, scaled);
  }
  return inv_freq.to(device);
}

RopeTables rope_tables(const at::Tensor& inv_freq, const at::Tensor& positions, c10::ScalarType dtype,
                       double scale) {
  at::Tensor freqs = positions.to(inv_freq.device(), at::kFloat).unsqueeze(-1) * inv_freq;  // (…, D/2)
  at::Tensor cos = at::cat({freqs, freqs}, -1).cos(), sin = freqs.sin();
  sin = at::cat({-sin, sin}, -1);  // (…, D)
  if (scale != 1.0) cos = cos * scale, sin = sin * scale;
  return {cos.to(dtype), sin.to(dtype)};
}

RopeTables rope_tables(const at::Tensor& inv_freq, int64_t start, int64_t length, c10::ScalarType dtype,
                       double scale) {
  return rope_tables(inv_freq, at::arange(start, start + length, inv_freq.options().dtype(at::kLong)), dtype,
                     scale);
}

RotaryEmbedding::RotaryEmbedding(const RopeConfig& rope, int64_t rotary_dim, c10::Device device)
    : inv_freq_(rope_inverse_frequencies(rope, rotary_dim, device)) {
  if (rope.type != "longrope") return;
  long_inv_freq_ = longrope_frequencies(rope.long_factor, rope_powers(rope.theta, rotary_dim)).to(device);
  original_max_position_ = rope.original_max_position;
  attention_factor_ = rope.attention_factor;
}

const at::Tensor& RotaryEmbedding::frequencies_for(int64_t length) const {
  return long_inv_freq_.defined() && length > original_max_position_ ? long_inv_freq_ : inv_freq_;
}

RopeTables RotaryEmbedding::tables(int64_t start, int64_t length, c10::ScalarType dtype) const {
  return rope_tables(frequencies_for(start + length), start, length, dtype, attention_factor_);
}

RopeTables RotaryEmbedding::tables(const at::Tensor& positions, c10::ScalarType dtype) const {
  const int64_t length = long_inv_freq_.defined() && positions.numel() > 0
                             ? positions.max().item<int64_t>() + 1
                             : 0;  // only LongRoPE asks
  return rope_tables(frequencies_for(length), positions, dtype, attention_factor_);
}

RopeTables RotaryEmbedding::cache_tables(int64_t capacity, c10::ScalarType dtype) const {
  RopeTables all = rope_tables(inv_freq_, 0, capacity, dtype, attention_factor_);
  if (!long_inv_freq_.defined() || capacity <= original_max_position_) return all;
  // Row p belongs to a call covering p + 1 positions: the long set from p = original_max_position on.
  const RopeTables tail = rope_tables(long_inv_freq_, original_max_position_,
                                      capacity - original_max_position_, dtype, attention_factor_);
  return {at::cat({all.cos.narrow(0, 0, original_max_position_), tail.cos}),
          at::cat({all.signed_sin.narrow(0, 0, original_max_position_), tail.signed_sin})};
}

#ifdef LLMDROP_WITH_CUDA_KERNELS
namespace {
// x (…, heads, D) as rows of heads lying a fixed stride apart (what model/cuda's rope kernel reads), or 0.
int64_t row_stride(const at::Tensor& x) {
  if (x.dim() < 3 || x.stride(-1) != 1 || x.stride(-2) != x.size(-1)) return 0;
  for (int64_t i = x.dim() - 4; i >= 0; --i)
    if (x.size(i) > 1 && x.stride(i) != x.size(i + 1) * x.stride(i + 1)) return 0;
  return x.stride(-3);
}
}  // namespace
#endif

at::Tensor apply_rope(const at::Tensor& x, const RopeTables& rope) {
  const int64_t d = rope.cos.size(-1);
  if (d < x.size(-1))  // partial rotary: the dims past rotary_dim pass through
    return at::cat({apply_rope(x.narrow(-1, 0, d), rope), x.narrow(-1, d, x.size(-1) - d)}, -1);
#ifdef LLMDROP_WITH_CUDA_KERNELS
  // On a GPU in 16 bits: one kernel instead of four.
  const auto type = cuda::element_type(x);
  const int64_t stride = row_stride(x);
  if (type && stride > 0 && rope.cos.is_contiguous() && rope.signed_sin.is_contiguous() &&
      rope.cos.scalar_type() == x.scalar_type()) {
    const int64_t heads = x.size(-2), rows = x.numel() / (heads * d), table_rows = rope.cos.numel() / d;
    if (rows % table_rows == 0) {
      at::Tensor out = at::empty(x.sizes(), x.options());
      cuda::rope(*type,
                 {.x = x.data_ptr(),
                  .x_row_stride = stride,
                  .cos = rope.cos.data_ptr(),
                  .signed_sin = rope.signed_sin.data_ptr(),
                  .table_rows = table_rows,
                  .out = out.data_ptr(),
                  .rows = rows,
                  .heads = heads,
                  .head_dim = d},
                 cuda::stream_of(x));
      return out;
    }
  }
#endif
  std::vector<int64_t> halves(x.sizes().begin(), x.sizes().end() - 1);
  halves.insert(halves.end(), {2, d / 2});
  // rotate_half(x) = (-x2, x1): swap the halves here, the sign lives in signed_sin.
  const at::Tensor swapped = x.reshape(halves).flip(-2).view(x.sizes());
  return x * rope.cos + swapped * rope.signed_sin;  // rounded as transformers rounds it, step by step
}

}  // namespace llmdrop
