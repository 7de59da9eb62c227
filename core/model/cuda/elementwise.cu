#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "model/cuda/element_math.cuh"
#include "model/cuda/elementwise.h"

namespace llmdrop::cuda {

namespace {

constexpr int kThreads = 256;

// One thread per output element, grid-stride.
template <typename T>
__global__ void __launch_bounds__(kThreads) rope_kernel(RopeArgs a) {
  const T* x = static_cast<const T*>(a.x);
  const T* cos = static_cast<const T*>(a.cos);
  const T* signed_sin = static_cast<const T*>(a.signed_sin);
  T* out = static_cast<T*>(a.out);
  const int64_t d_count = a.head_dim, half = d_count / 2, per_row = a.heads * d_count;
  const int64_t total = a.rows * per_row;
  for (int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * kThreads) {
    const int64_t row = i / per_row, within = i % per_row, d = within % d_count;
    const T* head = x + row * a.x_row_stride + (within - d);
    const int64_t table = (row % a.table_rows) * d_count + d;
    // x·cos + rotate_half(x)·sin, each product rounded as transformers rounds it.
    out[i] = from_float<T>(
        rounded<T>(to_float(head[d]) * to_float(cos[table])) +
        rounded<T>(to_float(head[d < half ? d + half : d - half]) * to_float(signed_sin[table])));
  }
}

template <typename T>
__global__ void __launch_bounds__(kThreads)
    swiglu_kernel(const T* gate_up, T* out, int64_t rows, int64_t inter) {
  const int64_t total = rows * inter;
  for (int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * kThreads) {
    const int64_t row = i / inter, j = i % inter;
    const float gate = to_float(gate_up[row * 2 * inter + j]),
                up = to_float(gate_up[row * 2 * inter + inter + j]);
    // act_fn(gate_proj(x)) * up_proj(x): silu in float32, rounded, then the product rounded.
    out[i] = from_float<T>(rounded<T>(gate / (1.0f + expf(-gate))) * up);
  }
}

unsigned grid_for(int64_t total) {
  return static_cast<unsigned>(std::clamp<int64_t>((total + kThreads - 1) / kThreads, 1, 65535));
}

void check_launch(const char* what) {
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
}

}  // namespace

void rope(ElementType type, const RopeArgs& args, cudaStream_t stream) {
  const unsigned grid = grid_for(args.rows * args.heads * args.head_dim);
  if (type == ElementType::bfloat16)
    rope_kernel<__nv_bfloat16><<<grid, kThreads, 0, stream>>>(args);
  else
    rope_kernel<__half><<<grid, kThreads, 0, stream>>>(args);
  check_launch("rope");
}

void swiglu(ElementType type, const void* gate_up, void* out, int64_t rows, int64_t inter,
            cudaStream_t stream) {
  const unsigned grid = grid_for(rows * inter);
  if (type == ElementType::bfloat16)
    swiglu_kernel<<<grid, kThreads, 0, stream>>>(static_cast<const __nv_bfloat16*>(gate_up),
                                                 static_cast<__nv_bfloat16*>(out), rows, inter);
  else
    swiglu_kernel<<<grid, kThreads, 0, stream>>>(static_cast<const __half*>(gate_up),
                                                 static_cast<__half*>(out), rows, inter);
  check_launch("swiglu");
}

}  // namespace llmdrop::cuda
