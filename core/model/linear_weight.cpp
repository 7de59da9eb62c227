#include "model/linear_weight.h"

#include <ATen/ATen.h>

#ifdef LLMDROP_WITH_CUDA_KERNELS
#include "model/cuda/elementwise.h"
#include "model/cuda/tensor_kernels.h"
#endif

namespace llmdrop {

namespace {

// Bit offset of code e (0…7) in its word: even codes in the low half, odd codes in the high half.
int64_t code_shift(int64_t e) {
  return (e % 2) * 16 + (e / 2) * 4;
}

at::Tensor code_shifts() {
  std::vector<int64_t> shifts;
  for (int64_t e = 0; e < 8; ++e) shifts.push_back(code_shift(e));
  return at::tensor(shifts, at::kLong);
}

int64_t padded(int64_t k) {
  return (k + Int4Weight::kBlock - 1) / Int4Weight::kBlock * Int4Weight::kBlock;
}

// The 16 bits of each float16 of t, as int64 (an int16 view, so negative for a set sign bit, masked).
at::Tensor half_bits(const at::Tensor& t) {
  return t.to(at::kHalf).view(at::kShort).to(at::kLong).bitwise_and(0xffff);
}

at::Tensor half_from_bits(const at::Tensor& bits) {
  at::Tensor b = bits.bitwise_and(0xffff);
  return at::where(b >= 0x8000, b - 0x10000, b).to(at::kShort).view(at::kHalf);
}

at::Tensor to_int32(const at::Tensor& words) {  // unsigned 32-bit values in int64 → int32 with the same bits
  return at::where(words >= (int64_t(1) << 31), words - (int64_t(1) << 32), words).to(at::kInt);
}

#ifdef LLMDROP_WITH_CUDA_KERNELS
// (N, K) in dtype by one kernel: unpacking through ATen makes int64 temporaries the size of the weight.
at::Tensor dequantize_on_gpu(const Int4Weight& w, c10::ScalarType dtype) {
  at::Tensor out = at::empty({w.words.size(0), w.in_features},
                             w.words.options().dtype(dtype == at::kBFloat16 ? at::kBFloat16 : at::kHalf));
  cuda::dequantize_int4(*cuda::element_type(out),
                        {.words = w.words.data_ptr<int32_t>(),
                         .scale_zero = w.scale_zero.data_ptr<int32_t>(),
                         .input_order = w.input_order.defined() ? w.input_order.data_ptr<int32_t>() : nullptr,
                         .n = out.size(0),
                         .k = w.in_features,
                         .group_size = w.group_size,
                         .out = out.data_ptr()},
                        cuda::stream_of(out));
  return out.to(dtype);  // float16 products are exact in float32
}
#endif

}  // namespace

std::optional<Int4Weight> Int4Weight::from(const QuantizedWeight& q) {
  const int64_t n = q.codes.size(0), k = q.codes.size(1), groups = q.scales.size(0);
  if (q.bits != 4 || k % groups != 0) return std::nullopt;
  const int64_t group_size = k / groups;
  const bool power_of_two = (group_size & (group_size - 1)) == 0;
  if (group_size % 8 != 0 || !(groups == 1 || power_of_two)) return std::nullopt;
  const at::Tensor g_idx = q.g_idx.to(at::kLong).cpu();
  const at::Tensor order = std::get<1>(at::sort(g_idx, /*stable=*/c10::optional<bool>(true), 0));
  // Sorted, the groups must be runs of group_size columns: column j of the sorted order lies in group j /
  // size.
  const at::Tensor expected = at::arange(k, at::kLong).floor_divide(group_size);
  if (!at::equal(g_idx.index_select(0, order), expected)) return std::nullopt;
  const bool in_order = at::equal(order, at::arange(k, at::kLong));

  Int4Weight w;
  w.in_features = k;
  w.group_size = group_size;
  at::Tensor codes = q.codes.cpu().to(at::kLong);  // (N, K)
  if (!in_order) {
    codes = codes.index_select(1, order);
    w.input_order = order.to(at::kInt);
  }
  const int64_t blocks = padded(k) / kBlock;
  codes = at::constant_pad_nd(codes, {0, padded(k) - k});  // (N, padded K), zero codes
  // (N, block, word, lane, code) → (N, block, lane, word, code): a lane's 4 words are adjacent.
  codes = codes.view({n, blocks, 4, 32, 8}).permute({0, 1, 3, 2, 4});
  const at::Tensor words = codes.bitwise_left_shift(code_shifts()).sum(-1);  // disjoint bits: sum = or
  w.words = to_int32(words.reshape({n, padded(k) / 8}));
  const at::Tensor scale = half_bits(q.scales.t()), zero = half_bits((q.zeros.t() + 1024).to(at::kFloat));
  w.scale_zero = to_int32(scale.bitwise_or(zero.bitwise_left_shift(16))).contiguous();  // (N, G)
  return w;
}

QuantizedWeight Int4Weight::unpack() const {
  const int64_t n = words.size(0), blocks = padded(in_features) / kBlock;
  const at::Tensor bits = words.to(at::kLong).bitwise_and(int64_t(0xffffffff));
  const at::Tensor shifts = code_shifts().to(words.device());
  at::Tensor codes = bits.view({n, blocks, 32, 4, 1}).bitwise_right_shift(shifts).bitwise_and(0xf);
  codes = codes.permute({0, 1, 3, 2, 4}).reshape({n, blocks * kBlock}).narrow(1, 0, in_features);
  const at::Tensor sz = scale_zero.to(at::kLong);
  QuantizedWeight q;
  q.bits = 4;
  q.scales = half_from_bits(sz).t().contiguous();  // (G, N)
  q.zeros = (half_from_bits(sz.bitwise_right_shift(16)).to(at::kFloat) - 1024).to(at::kInt).t().contiguous();
  at::Tensor g_idx = at::arange(in_features, words.options()).floor_divide(group_size);
  if (input_order.defined()) {  // stored column j is input column order[j]
    const at::Tensor order = input_order.to(at::kLong);
    q.codes = at::empty_like(codes).index_copy_(1, order, codes);
    g_idx = at::empty_like(g_idx).index_copy_(0, order, g_idx);
  } else {
    q.codes = codes;
  }
  q.codes = q.codes.to(at::kByte);
  q.g_idx = g_idx;
  return q;
}

Int4Weight Int4Weight::to(c10::Device device) const {
  Int4Weight w = *this;
  w.words = words.to(device);
  w.scale_zero = scale_zero.to(device);
  if (input_order.defined()) w.input_order = input_order.to(device);
  return w;
}

at::Tensor LinearWeight::matrix() const {
  if (int4) {
#ifdef LLMDROP_WITH_CUDA_KERNELS
    if (int4->words.is_cuda()) return dequantize_on_gpu(*int4, dtype);
#endif
    return int4->unpack().dequantize().to(dtype);
  }
  return packed ? packed->dequantize().to(dtype) : dense;
}

int64_t LinearWeight::parameters() const {
  if (int4) return int4->words.size(0) * int4->in_features;
  return packed ? packed->codes.numel() : dense.numel();
}

at::Tensor linear(const at::Tensor& x, const LinearWeight& w, const at::Tensor& bias) {
  return at::linear(x, w.matrix(), bias);
}

}  // namespace llmdrop
