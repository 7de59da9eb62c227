#include "checkpoint/quant_formats.h"

#include <ATen/ATen.h>

#include <array>

#include "checkpoint/safetensors.h"
#include "util/error.h"

namespace llmdrop {

at::Tensor QuantizedWeight::dequantize() const {
  const at::Tensor g = g_idx.to(at::kLong);
  const at::Tensor s = scales.to(at::kFloat).index_select(0, g).t();  // (N, K)
  const at::Tensor z = zeros.index_select(0, g).t();
  return (s * (codes.to(at::kInt) - z).to(at::kFloat))
      .to(at::kHalf)
      .contiguous();  // row-major, like a stored weight
}

QuantizedWeight QuantizedWeight::to(c10::Device device) const {
  QuantizedWeight q = *this;
  for (at::Tensor* t : {&q.codes, &q.scales, &q.zeros, &q.g_idx})
    if (t->defined()) *t = t->to(device);
  return q;
}

namespace {

// AWQ GEMM: slot i of each 8-value word holds output column 8c + kAwqOrder[i].
constexpr std::array<int64_t, 8> kAwqOrder = {0, 2, 4, 6, 1, 3, 5, 7};
constexpr int64_t kWordMask = 0xFFFFFFFF, kSignBit = int64_t(1) << 31, kWordRange = int64_t(1) << 32;

at::Tensor as_uint32(const at::Tensor& words) {
  return words.to(at::kLong).bitwise_and(kWordMask);
}

// int64 words holding 32-bit patterns → int32 with the same bits.
at::Tensor to_int32_bits(const at::Tensor& words) {
  return at::where(words >= kSignBit, words - kWordRange, words).to(at::kInt);
}

// AWQ GEMM words: 8 codes of consecutive output columns each, in kAwqOrder.
at::Tensor pack_awq_columns(const at::Tensor& values) {  // (K, N) → (K, N/8)
  const int64_t n = values.size(1);
  const at::Tensor v = values.to(at::kLong).reshape({values.size(0), n / 8, 8});
  at::Tensor words = at::zeros({values.size(0), n / 8}, v.options());
  for (int64_t i = 0; i < 8; ++i) words.bitwise_or_(v.select(2, kAwqOrder[i]).bitwise_left_shift(4 * i));
  return to_int32_bits(words);
}

at::Tensor unpack_awq_columns(const at::Tensor& words) {  // (K, N/8) → (K, N)
  const at::Tensor w = as_uint32(words);
  at::Tensor values = at::empty({w.size(0), w.size(1), 8}, w.options());
  for (int64_t i = 0; i < 8; ++i)
    values.select(2, kAwqOrder[i]).copy_(w.bitwise_right_shift(4 * i).bitwise_and(0xF));
  return values.reshape({w.size(0), -1}).to(at::kInt);
}

const at::Tensor& expect(const std::map<std::string, at::Tensor>& found, const std::string& name,
                         std::vector<int64_t> shape) {
  const at::Tensor& t = found.at(name);
  if (t.sizes().vec() != shape)
    throw_bad_input("quantized tensor " + name + " has the wrong shape for config.json's sizes");
  return t;
}

}  // namespace

at::Tensor pack_rows(const at::Tensor& values, int bits) {
  const int64_t r = values.size(0), c = values.size(1);
  if (r % 32 != 0) throw_bad_input("cannot pack " + std::to_string(r) + " rows: not a multiple of 32");
  const at::Tensor v = values.to(at::kLong).reshape({r / 32, 32, c});
  at::Tensor words = at::zeros({r / 32, bits, c}, v.options());
  for (int64_t j = 0; j < 32; ++j) {
    const int64_t bit = j * bits, word = bit / 32, shift = bit % 32;
    const at::Tensor value = v.select(1, j);
    words.select(1, word).bitwise_or_(value.bitwise_left_shift(shift).bitwise_and(kWordMask));
    if (shift + bits > 32)  // the value's high bits start the next word
      words.select(1, word + 1).bitwise_or_(value.bitwise_right_shift(32 - shift));
  }
  return to_int32_bits(words.reshape({r / 32 * bits, c}));
}

at::Tensor unpack_rows(const at::Tensor& words, int bits) {
  const int64_t c = words.size(1), blocks = words.size(0) / bits;
  const at::Tensor w = as_uint32(words).reshape({blocks, bits, c});
  const int64_t mask = (int64_t(1) << bits) - 1;
  at::Tensor values = at::empty({blocks, 32, c}, w.options());
  for (int64_t j = 0; j < 32; ++j) {
    const int64_t bit = j * bits, word = bit / 32, shift = bit % 32;
    at::Tensor value = w.select(1, word).bitwise_right_shift(shift);
    if (shift + bits > 32) value = value.bitwise_or(w.select(1, word + 1).bitwise_left_shift(32 - shift));
    values.select(1, j).copy_(value.bitwise_and(mask));
  }
  return values.reshape({blocks * 32, c}).to(at::kInt);
}

std::map<std::string, at::Tensor> pack_linear(const QuantizedWeight& q, const QuantScheme& scheme,
                                              const std::string& prefix) {
  if (scheme.method == QuantMethod::awq)
    return {{prefix + ".qweight", pack_awq_columns(q.codes.t())},
            {prefix + ".qzeros", pack_awq_columns(q.zeros)},
            {prefix + ".scales", q.scales}};
  return {{prefix + ".qweight", pack_rows(q.codes.t(), q.bits)},
          {prefix + ".qzeros", pack_rows((q.zeros - 1).t(), q.bits).t().contiguous()},
          {prefix + ".scales", q.scales},
          {prefix + ".g_idx", q.g_idx}};
}

QuantizedWeight unpack_linear(const TensorStore& store, const std::string& prefix, const QuantScheme& scheme,
                              int64_t n, int64_t k, c10::Device device) {
  const bool awq = scheme.method == QuantMethod::awq;
  std::map<std::string, at::Tensor> found;
  for (const char* part : {"qweight", "qzeros", "scales", "g_idx"}) {
    const std::string name = prefix + "." + part;
    if (store.contains(name))
      found[part] = store.view(name).to(device);
    else if (!(awq && std::string(part) == "g_idx"))
      throw_bad_input("quantized checkpoint: tensor " + name + " is missing");
  }
  const int bits = scheme.bits;
  const int64_t groups = scheme.groups(k);
  QuantizedWeight q;
  q.bits = bits;
  q.scales = expect(found, "scales", {groups, n}).to(at::kHalf);
  if (awq) {
    q.codes = unpack_awq_columns(expect(found, "qweight", {k, n / 8})).t().to(at::kByte).contiguous();
    q.zeros = unpack_awq_columns(expect(found, "qzeros", {groups, n / 8}));
    q.g_idx = at::arange(k, at::TensorOptions().dtype(at::kInt).device(device)).floor_divide(k / groups);
  } else {
    q.codes = unpack_rows(expect(found, "qweight", {k * bits / 32, n}), bits).t().to(at::kByte).contiguous();
    // Stored as zero − 1; loaders add the 1 back without wrapping (so a stored 2^bits − 1 reads as 2^bits).
    q.zeros = (unpack_rows(expect(found, "qzeros", {groups, n * bits / 32}).t(), bits).t() + 1).contiguous();
    q.g_idx = expect(found, "g_idx", {k}).to(at::kInt).clone();
    if (q.g_idx.min().item<int>() < 0 || q.g_idx.max().item<int>() >= groups)
      throw_bad_input("quantized checkpoint: " + prefix + ".g_idx names a group that does not exist");
  }
  return q;
}

}  // namespace llmdrop
