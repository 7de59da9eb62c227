#pragma once
// The 4-bit product of many inputs (prefill, scoring, evaluation) on Hopper's warpgroup tensor-core
// instructions (wgmma, sm_90a): the weight's codes are read as they are held and turned into float16 weights
// in registers, so no dequantized copy of the weight is written. Raw pointers; launches go to `stream`.
#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/cuda/decode_kernels.h"

namespace llmdrop::cuda {

// out (M, N) = x (M, K) · Wᵀ (+ bias) for W in Int4Weight's layout (model/linear_weight.h), each weight
// scale · (code − zero) rounded once to float16 as the loaders round it, then to the element type; float32
// sums, the bias added before the result is rounded. An act-order weight's input is passed in the weight's
// stored column order. x's rows lie x_stride elements apart, 16-byte aligned; out is contiguous.
struct Int4GemmArgs {
  const int32_t* words = nullptr;       // (N / 16, 2 · padded K)
  const int32_t* scale_zero = nullptr;  // (N / 16, G, 16)
  int64_t n = 0, k = 0, group_size = 0;
  const void* x = nullptr;
  int64_t m = 0, x_stride = 0;
  const void* bias = nullptr;  // (N) or null
  void* out = nullptr;
  int shape = -1;  // an index into int4_gemm_shapes(), or -1 for the default
};
void int4_gemm(ElementType type, const Int4GemmArgs& args, cudaStream_t stream);

// Whether this process's GPU runs int4_gemm: a Hopper, and kernels built for its arch-specific features
// (sm_90a).
bool int4_gemm_supported();

// The launch shapes (a block's weight rows and tokens), for benchmarks to compare.
std::vector<std::string> int4_gemm_shapes();

}  // namespace llmdrop::cuda
