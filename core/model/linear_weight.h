#pragma once
// A linear layer's weight as the model holds it: dense, or the GPTQ / AWQ codes of a quantized checkpoint
// kept packed and dequantized where the layer runs — one byte per weight on the CPU, half a byte on a GPU
// (the 4-bit layout the decode kernels read).
#include <ATen/core/Tensor.h>

#include <memory>
#include <optional>

#include "checkpoint/quant_formats.h"
#include "model/lora.h"

namespace llmdrop {

// 4-bit codes laid out for model/cuda's matrix–vector kernel, which feeds them to the tensor cores as the A
// operand of mma.m16n8k16. The input columns are first put in group order (act-order checkpoints:
// `input_order`), so each group of `group_size` columns is contiguous, then padded with zero codes to slices
// of 64. The rows go in tiles of 16: tile t's rows m < 8 are rows 8t + m, its rows m ≥ 8 rows N/2 + 8t + m −
// 8 (for a gate | up weight, gate row i beside up row i). A tile is its slices in turn; in a slice, lane l of
// a warp holds 4 words, word j the 8 codes of rows r0 = l / 4 and r1 = r0 + 8 at columns c = 64·slice + 16j +
// 2·(l % 4) + {0, 1, 8, 9}: row r0's codes of columns c, c + 1 in bits 0…3, 16…19 and of c + 8, c + 9 in bits
// 8…11, 24…27; row r1's 4 bits above each — one mask turns a pair into float16s.
struct Int4Weight {
  at::Tensor words;        // (N / 16, 2 · padded K) int32, tile by tile
  at::Tensor scale_zero;   // (N / 16, G, 16) int32: float16 scale in the low half, float16 1024 + zero in the
                           // high half, for each tile's rows
  at::Tensor input_order;  // (K) int32: the input column of each stored column; undefined when in order
  at::Tensor stored_columns;  // (K) int32: input_order's inverse, the stored column of each input column
  // (padded K) for a product that normalises its input (q|k|v, gate|up): the RMS norm weight in the order of
  // the B fragments, as the fused decode step reads it; undefined otherwise (attach_norm).
  at::Tensor norm_fragments;
  int64_t in_features = 0, group_size = 0;

  static constexpr int64_t kSlice = 64, kTileRows = 16;
  // The layout of q on `device`, or nothing when it cannot hold it: not 4 bits, rows not in tiles of 16, or
  // groups that are not, once sorted, runs of 16, 32, 64… columns or one per row.
  static std::optional<Int4Weight> from(const QuantizedWeight& q, c10::Device device = c10::kCPU);
  QuantizedWeight unpack() const;  // the codes, scales, zeros and g_idx again, on this layout's device
  Int4Weight to(c10::Device device) const;
  // v (K), indexed by input column, in the order of the B fragments the kernel feeds the tensor cores:
  // slice s holds items 16s + 4q + j, each the stored columns c, c + 1, c + 8, c + 9 for c = 64s + 16j + 2q;
  // (padded K), zero past K.
  at::Tensor in_fragment_order(const at::Tensor& v) const;
  void attach_norm(const at::Tensor& norm) { norm_fragments = in_fragment_order(norm); }
  int64_t out_features() const { return words.size(0) * kTileRows; }
};

// Bytes `t` holds, 0 when undefined.
int64_t held_bytes(const at::Tensor& t);

struct LinearWeight {
  at::Tensor dense = {};                       // (N, K) in the model's dtype; undefined when packed
  std::optional<QuantizedWeight> packed = {};  // on the CPU
  std::optional<Int4Weight> int4 = {};         // on a GPU
  c10::ScalarType dtype = c10::ScalarType::Float;
  std::shared_ptr<LoraAdapter> lora = {};  // while healing: added to the product (see linear)

  // (N, K) in dtype: the dense weight, or the packed one dequantized now (float16 products, as loaders).
  at::Tensor matrix() const;
  int64_t parameters() const;
  int64_t bytes() const;  // as held: 16-bit elements, or codes, scales and zeros
};

// x (…, K) → (…, N); with a LoRA adapter, W·x + bias plus the adapter's product (LoraAdapter::added_to).
at::Tensor linear(const at::Tensor& x, const LinearWeight& w, const at::Tensor& bias = {});

}  // namespace llmdrop
