#pragma once
// GPTQ's column loop over one block of at most 128 columns on a GPU: one thread per weight row runs the whole
// block, where ATen would take a dozen launches per column. Each step rounds as quantize_gptq's ATen
// operations do (one rounding per operation, no fused multiply–add), so both give the same codes. Raw
// pointers; the launch goes to `stream`.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace llmdrop::cuda {

struct GptqBlockArgs {
  float* w = nullptr;            // (count, N): the block's columns, one after another; updated in place
  float* codes = nullptr;        // (count, N) out: each column's codes
  float* err = nullptr;          // (count, N) out: each column's error over its H⁻¹ diagonal entry
  const float* h_inv = nullptr;  // (count, count) the block's part of H⁻¹'s upper Cholesky factor, row-major
  const float* scale = nullptr;      // (grids, N) the grids the block's columns use
  const float* zero = nullptr;       // (grids, N)
  const int32_t* grid_of = nullptr;  // (count) the grid of each column
  int64_t n = 0;
  int count = 0;
  float max_code = 15;
};
void gptq_block(const GptqBlockArgs& args, cudaStream_t stream);

}  // namespace llmdrop::cuda
