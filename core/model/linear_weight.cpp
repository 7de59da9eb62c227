#include "model/linear_weight.h"

#include <ATen/ATen.h>

#ifdef LLMDROP_WITH_CUDA_KERNELS
#include "model/cuda/elementwise.h"
#include "model/cuda/tensor_kernels.h"
#endif

namespace llmdrop {

namespace {

int64_t padded(int64_t k) {
  return (k + Int4Weight::kSlice - 1) / Int4Weight::kSlice * Int4Weight::kSlice;
}

// Bit offset of the code of (column + 8·high, row r0 or r1 (second), column + odd) in its word.
at::Tensor code_shifts() {
  std::vector<int64_t> shifts;
  for (int64_t high = 0; high < 2; ++high)
    for (int64_t second = 0; second < 2; ++second)
      for (int64_t odd = 0; odd < 2; ++odd) shifts.push_back(8 * high + 4 * second + 16 * odd);
  return at::tensor(shifts, at::kLong).view({2, 2, 2});
}

// Row of each tile row: (tile, half, m) → half · N/2 + 8 · tile + m.
at::Tensor tile_rows(int64_t n, c10::Device device) {
  return at::arange(n, at::TensorOptions().dtype(at::kLong).device(device))
      .view({2, n / Int4Weight::kTileRows, 8})
      .permute({1, 0, 2})
      .reshape({n});
}

// Codes (N, padded K) in row order ↔ dims (tile, half, r, slice, step, high, quad, odd), column
// 64·slice + 16·step + 8·high + 2·quad + odd of row tile_rows; in word order (tile, slice, r, quad, step,
// high, half, odd).
std::vector<int64_t> code_dims(int64_t n, int64_t padded_k) {
  return {n / Int4Weight::kTileRows, 2, 8, padded_k / Int4Weight::kSlice, 4, 2, 4, 2};
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
// (N, K) in dtype by one kernel, in input column order: unpacking through ATen makes int64 temporaries the
// size of the weight.
at::Tensor dequantize_on_gpu(const Int4Weight& w, c10::ScalarType dtype) {
  at::Tensor out = at::empty({w.out_features(), w.in_features},
                             w.words.options().dtype(dtype == at::kBFloat16 ? at::kBFloat16 : at::kHalf));
  // Not cuda::element_type(out): that declines while autograd records, and a weight needs no gradient.
  cuda::dequantize_int4(
      out.scalar_type() == at::kBFloat16 ? cuda::ElementType::bfloat16 : cuda::ElementType::float16,
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

std::optional<Int4Weight> Int4Weight::from(const QuantizedWeight& q, c10::Device device) {
  const int64_t n = q.codes.size(0), k = q.codes.size(1), groups = q.scales.size(0);
  if (q.bits != 4 || n % kTileRows != 0 || k % groups != 0) return std::nullopt;
  const int64_t group_size = k / groups;
  const bool power_of_two = (group_size & (group_size - 1)) == 0;
  if (group_size % 16 != 0 || !(groups == 1 || power_of_two)) return std::nullopt;
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
  // Built where it will be used: the int64 temporaries are eight times the codes.
  const at::Tensor rows = tile_rows(n, device);
  at::Tensor codes = q.codes.to(device).to(at::kLong).index_select(0, rows);  // (N, K), tile order
  if (!in_order) {
    codes = codes.index_select(1, order.to(device));
    w.input_order = order.to(device, at::kInt);
    w.stored_columns =
        at::empty_like(w.input_order)
            .index_copy_(0, w.input_order.to(at::kLong), at::arange(k, w.input_order.options()));
  }
  codes = at::constant_pad_nd(codes, {0, padded(k) - k});  // (N, padded K), zero codes
  codes = codes.view(code_dims(n, padded(k))).permute({0, 3, 2, 6, 4, 5, 1, 7});
  const at::Tensor words =
      codes.bitwise_left_shift(code_shifts().to(device)).sum({-3, -2, -1});  // disjoint bits: sum = or
  w.words = to_int32(words.reshape({n / kTileRows, 2 * padded(k)}));
  const at::Tensor scale = half_bits(q.scales.to(device).t()),
                   zero = half_bits((q.zeros.to(device).t() + 1024).to(at::kFloat));
  const at::Tensor scale_zero =
      scale.bitwise_or(zero.bitwise_left_shift(16)).index_select(0, rows);  // (N, G)
  w.scale_zero = to_int32(scale_zero.view({n / kTileRows, kTileRows, groups}).transpose(1, 2)).contiguous();
  return w;
}

QuantizedWeight Int4Weight::unpack() const {
  const int64_t n = out_features(), groups = scale_zero.size(1);
  const at::Tensor bits = words.to(at::kLong).bitwise_and(int64_t(0xffffffff));
  const std::vector<int64_t> dims = code_dims(n, padded(in_features));
  at::Tensor codes = bits.view({dims[0], dims[3], 8, 4, 4, 1, 1, 1})
                         .bitwise_right_shift(code_shifts().to(words.device()))
                         .bitwise_and(0xf);  // word order
  codes = codes.permute({0, 6, 2, 1, 4, 5, 3, 7}).reshape({n, padded(in_features)}).narrow(1, 0, in_features);
  const at::Tensor rows = tile_rows(n, words.device());
  const at::Tensor sz = scale_zero.to(at::kLong).transpose(1, 2).reshape({n, groups});  // (N, G), tile order
  QuantizedWeight q;
  q.bits = 4;
  q.scales = at::empty({n, groups}, at::TensorOptions().dtype(at::kHalf).device(words.device()))
                 .index_copy_(0, rows, half_from_bits(sz))
                 .t()
                 .contiguous();  // (G, N)
  const at::Tensor zeros = (half_from_bits(sz.bitwise_right_shift(16)).to(at::kFloat) - 1024).to(at::kInt);
  q.zeros = at::empty_like(zeros).index_copy_(0, rows, zeros).t().contiguous();
  codes = at::empty_like(codes).index_copy_(0, rows, codes);
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
  if (input_order.defined()) {
    w.input_order = input_order.to(device);
    w.stored_columns = stored_columns.to(device);
  }
  if (norm_fragments.defined()) w.norm_fragments = norm_fragments.to(device);
  return w;
}

at::Tensor Int4Weight::in_fragment_order(const at::Tensor& v) const {
  const at::Tensor stored =
      input_order.defined() ? v.index_select(0, input_order.to(v.device(), at::kLong)) : v;
  const int64_t k = padded(in_features);
  // The columns' dims of code_dims, (slice, step, high, quad, odd), put in fragment order: item 16·slice +
  // 4·quad + step, element 2·high + odd.
  const std::vector<int64_t> dims = code_dims(kTileRows, k);
  return at::constant_pad_nd(stored, {0, k - in_features})
      .view(at::IntArrayRef(dims).slice(3))
      .permute({0, 3, 1, 2, 4})
      .reshape({k});
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
  if (int4) return int4->out_features() * int4->in_features;
  return packed ? packed->codes.numel() : dense.numel();
}

int64_t held_bytes(const at::Tensor& t) {
  return t.defined() ? static_cast<int64_t>(t.nbytes()) : 0;
}

int64_t LinearWeight::bytes() const {
  if (int4)
    return held_bytes(int4->words) + held_bytes(int4->scale_zero) + held_bytes(int4->input_order) +
           held_bytes(int4->stored_columns) + held_bytes(int4->norm_fragments);
  if (packed)
    return held_bytes(packed->codes) + held_bytes(packed->scales) + held_bytes(packed->zeros) +
           held_bytes(packed->g_idx);
  return held_bytes(dense);
}

at::Tensor linear(const at::Tensor& x, const LinearWeight& w, const at::Tensor& bias) {
  const at::Tensor y = at::linear(x, w.matrix(), bias);
  return w.lora ? w.lora->added_to(y, x) : y;
}

}  // namespace llmdrop
