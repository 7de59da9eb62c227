#pragma once
// Element conversions, sums and checks shared by the kernels of model/cuda.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime_api.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace llmdrop::cuda {

__device__ __forceinline__ float to_float(__nv_bfloat16 x) {
  return __bfloat162float(x);
}
__device__ __forceinline__ float to_float(__half x) {
  return __half2float(x);
}
__device__ __forceinline__ float2 to_float2(__nv_bfloat162 x) {
  return __bfloat1622float2(x);
}
__device__ __forceinline__ float2 to_float2(__half2 x) {
  return __half22float2(x);
}

template <typename T>
__device__ __forceinline__ T from_float(float x);
template <>
__device__ __forceinline__ __nv_bfloat16 from_float(float x) {
  return __float2bfloat16_rn(x);
}
template <>
__device__ __forceinline__ __half from_float(float x) {
  return __float2half_rn(x);
}

// x rounded to T, as a float: where transformers' 16-bit tensors round an intermediate.
template <typename T>
__device__ __forceinline__ float rounded(float x) {
  return to_float(from_float<T>(x));
}

template <typename T>
struct Pair;  // two elements in one 32-bit register
template <>
struct Pair<__nv_bfloat16> {
  using type = __nv_bfloat162;
};
template <>
struct Pair<__half> {
  using type = __half2;
};

// 16 bytes of a weight, read once per product: no point keeping them in L1.
__device__ __forceinline__ uint4 load_streaming(const uint4* p) {
  uint4 v;
  asm volatile("ld.global.nc.L1::no_allocate.v4.u32 {%0, %1, %2, %3}, [%4];"
               : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
               : "l"(p));
  return v;
}

constexpr unsigned kFullMask = 0xffffffffu;

// Σ v over the `width` lanes of each lane group of a warp, in every lane.
__device__ __forceinline__ float warp_sum(float v, int width = 32) {
  for (int offset = width / 2; offset > 0; offset /= 2) v += __shfl_xor_sync(kFullMask, v, offset);
  return v;
}

// Σ v over a block of kThreads threads, in every thread. Its shared memory is not reused: once per kernel.
template <int kThreads>
__device__ __forceinline__ float block_sum(float v) {
  __shared__ float warp_sums[kThreads / 32];
  v = warp_sum(v);
  if (threadIdx.x % 32 == 0) warp_sums[threadIdx.x / 32] = v;
  __syncthreads();
  float total = 0;
#pragma unroll
  for (int i = 0; i < kThreads / 32; ++i) total += warp_sums[i];
  return total;
}

// LlamaRMSNorm of one element: normalised in float32 and rounded, then scaled by the weight (the caller
// rounds the product).
template <typename T>
__device__ __forceinline__ float rms_normed(float v, float inv_rms, float weight) {
  return weight * rounded<T>(v * inv_rms);
}

// 8 elements of T packed in 16 bytes, as floats, and back (rounded).
template <typename T>
__device__ __forceinline__ void unpack8(const uint4& v, float out[8]) {
  const auto* p = reinterpret_cast<const typename Pair<T>::type*>(&v);
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const float2 f = to_float2(p[i]);
    out[2 * i] = f.x;
    out[2 * i + 1] = f.y;
  }
}
template <typename T>
__device__ __forceinline__ uint4 pack8(const float in[8]) {
  uint4 v;
  T* p = reinterpret_cast<T*>(&v);
#pragma unroll
  for (int i = 0; i < 8; ++i) p[i] = from_float<T>(in[i]);
  return v;
}

// Throws what the last launch reported, naming the kernel (host code).
inline void check_launch(const char* what) {
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
}

}  // namespace llmdrop::cuda
