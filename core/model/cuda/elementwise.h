#pragma once
// Fused element-wise steps of the 16-bit forward pass on CUDA (prefill and the cached forward), each one
// kernel instead of ATen's two to four, rounded where transformers rounds. Raw pointers; launches go to
// `stream`.
#include <cuda_runtime_api.h>

#include <cstdint>

#include "model/cuda/decode_kernels.h"

namespace llmdrop::cuda {

// out (rows, heads, D), contiguous = x·cos + rotate_half(x)·sin for x (rows, heads, D) whose rows lie
// `x_row_stride` elements apart (heads contiguous within a row); cos and signed_sin (table_rows, D), row r
// using table row r % table_rows.
struct RopeArgs {
  const void* x = nullptr;
  int64_t x_row_stride = 0;
  const void* cos = nullptr;
  const void* signed_sin = nullptr;
  int64_t table_rows = 1;
  void* out = nullptr;
  int64_t rows = 0, heads = 0, head_dim = 0;
};
void rope(ElementType type, const RopeArgs& args, cudaStream_t stream);

// LlamaRMSNorm of each row of x (rows, cols), or of the residual sum x + delta: with delta, sum = x + delta
// (rounded, as transformers' residual add) is written too and normalised. out = weight · rms_norm(…), each
// step rounded where transformers rounds it. Contiguous rows, cols a multiple of 8, 16-byte aligned.
struct RmsNormArgs {
  const void* x = nullptr;
  const void* delta = nullptr;  // or null
  const void* weight = nullptr;
  float eps = 0;
  void* sum = nullptr;  // with delta
  void* out = nullptr;
  int64_t rows = 0, cols = 0;
};
void rms_norm(ElementType type, const RmsNormArgs& args, cudaStream_t stream);

// out (rows, I) = silu(gate_up[:, :I]) · gate_up[:, I:] for gate_up (rows, 2I), contiguous.
void swiglu(ElementType type, const void* gate_up, void* out, int64_t rows, int64_t inter,
            cudaStream_t stream);

// out (N, K) = a 4-bit weight in Int4Weight's layout (model/linear_weight.h) as a dense matrix in input
// column order (an act-order weight's stored columns put back by its input_order): each weight scale · (code
// − zero) rounded once to float16, as QuantizedWeight::dequantize and the GPTQ / AWQ loaders compute it, then
// converted to the element type.
struct Int4DequantizeArgs {
  const int32_t* words = nullptr;        // (N / 16, 2 · padded K)
  const int32_t* scale_zero = nullptr;   // (N / 16, G, 16)
  const int32_t* input_order = nullptr;  // (K): the input column of each stored column; null when in order
  int64_t n = 0, k = 0, group_size = 0;  // K a multiple of 8, group_size of 16
  void* out = nullptr;                   // (N, K), 16-byte aligned
};
void dequantize_int4(ElementType type, const Int4DequantizeArgs& args, cudaStream_t stream);

}  // namespace llmdrop::cuda
