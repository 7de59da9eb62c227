#pragma once
// Element conversions shared by the kernels of model/cuda (device code only).
#include <cuda_bf16.h>
#include <cuda_fp16.h>

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

}  // namespace llmdrop::cuda
