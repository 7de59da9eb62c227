#include "quant/cuda/gptq_block.h"

#include <stdexcept>
#include <string>

namespace llmdrop::cuda {

namespace {

// One warp per block: a 4096-row weight still spreads over 128 blocks.
constexpr int kThreads = 32;

// Row r's pass over the block, its columns held in shared memory (column j of the block's rows at
// held[j · kThreads + lane]: conflict-free), where the count² / 2 updates stay.
__global__ void __launch_bounds__(kThreads) gptq_block_kernel(GptqBlockArgs a) {
  extern __shared__ float held[];  // (count, kThreads)
  const int lane = threadIdx.x;
  const int64_t r = int64_t(blockIdx.x) * kThreads + lane;
  if (r >= a.n) return;  // a warp's own columns only: no block-wide barrier below
  for (int j = 0; j < a.count; ++j) held[j * kThreads + lane] = a.w[j * a.n + r];
  const float* __restrict__ h_inv = a.h_inv;
  for (int i = 0; i < a.count; ++i) {
    const int64_t g = a.grid_of[i];
    const float scale = a.scale[g * a.n + r], zero = a.zero[g * a.n + r];
    const float w = held[i * kThreads + lane];
    // quantize_to_codes: clamp(round(w / scale) + zero, 0, max), rounding half to even as at::round
    const float code = fminf(fmaxf(__fadd_rn(nearbyintf(__fdiv_rn(w, scale)), zero), 0.f), a.max_code);
    const float q = __fmul_rn(scale, __fsub_rn(code, zero));
    const float e = __fdiv_rn(__fsub_rn(w, q), __ldg(h_inv + i * a.count + i));
    a.codes[i * a.n + r] = code;
    a.err[i * a.n + r] = e;
#pragma unroll 8
    for (int j = i + 1; j < a.count;
         ++j) {  // the later columns: w −= e · H⁻¹[i, j], the product rounded first
      float& later = held[j * kThreads + lane];
      later = __fsub_rn(later, __fmul_rn(e, __ldg(h_inv + i * a.count + j)));
    }
  }
}

}  // namespace

void gptq_block(const GptqBlockArgs& args, cudaStream_t stream) {
  if (args.n <= 0 || args.count <= 0) return;
  if (args.count > 128) throw std::invalid_argument("gptq_block: at most 128 columns at a time");
  const auto blocks = static_cast<unsigned>((args.n + kThreads - 1) / kThreads);
  gptq_block_kernel<<<blocks, kThreads, args.count * kThreads * sizeof(float), stream>>>(args);
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess)
    throw std::runtime_error(std::string("gptq_block: ") + cudaGetErrorString(status));
}

}  // namespace llmdrop::cuda
