#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "model/cuda/element_math.cuh"
#include "model/cuda/elementwise.h"
#include "model/cuda/int4_math.cuh"

namespace llmdrop::cuda {

namespace {

constexpr int kThreads = 256;

// V consecutive elements, loaded and stored as one access (16 bytes for 8 16-bit elements).
template <typename T, int V>
struct alignas(sizeof(T) * V) Vec {
  T v[V];
};
template <int V, typename T>
__device__ __forceinline__ Vec<T, V> load_vec(const T* p) {
  return *reinterpret_cast<const Vec<T, V>*>(p);
}

// Each thread V elements of one head at a time (V divides D / 2), grid-stride.
template <typename T, int V>
__global__ void __launch_bounds__(kThreads) rope_kernel(RopeArgs a) {
  const T* x = static_cast<const T*>(a.x);
  const T* cos = static_cast<const T*>(a.cos);
  const T* signed_sin = static_cast<const T*>(a.signed_sin);
  T* out = static_cast<T*>(a.out);
  const int64_t d_count = a.head_dim, half = d_count / 2, per_row = a.heads * d_count / V;
  const int64_t total = a.rows * per_row;
  for (int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * kThreads) {
    const int64_t row = i / per_row, within = (i % per_row) * V, d = within % d_count;
    const T* head = x + row * a.x_row_stride + (within - d);
    const int64_t table = (row % a.table_rows) * d_count + d;
    const auto value = load_vec<V>(head + d), partner = load_vec<V>(head + (d < half ? d + half : d - half));
    const auto c = load_vec<V>(cos + table), s = load_vec<V>(signed_sin + table);
    Vec<T, V> result;
    // x·cos + rotate_half(x)·sin, each product rounded as transformers rounds it.
#pragma unroll
    for (int e = 0; e < V; ++e)
      result.v[e] = from_float<T>(rounded<T>(to_float(value.v[e]) * to_float(c.v[e])) +
                                  rounded<T>(to_float(partner.v[e]) * to_float(s.v[e])));
    *reinterpret_cast<Vec<T, V>*>(out + row * per_row * V + within) = result;
  }
}

// Each thread V outputs of a row at a time (V divides I), grid-stride.
template <typename T, int V>
__global__ void __launch_bounds__(kThreads)
    swiglu_kernel(const T* gate_up, T* out, int64_t rows, int64_t inter) {
  const int64_t per_row = inter / V, total = rows * per_row;
  for (int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * kThreads) {
    const int64_t row = i / per_row, j = (i % per_row) * V;
    const auto gate = load_vec<V>(gate_up + row * 2 * inter + j),
               up = load_vec<V>(gate_up + row * 2 * inter + inter + j);
    Vec<T, V> result;
    // act_fn(gate_proj(x)) * up_proj(x): silu in float32, rounded, then the product rounded.
#pragma unroll
    for (int e = 0; e < V; ++e) {
      const float g = to_float(gate.v[e]);
      result.v[e] = from_float<T>(rounded<T>(g / (1.0f + expf(-g))) * to_float(up.v[e]));
    }
    *reinterpret_cast<Vec<T, V>*>(out + row * inter + j) = result;
  }
}

constexpr int kNormThreads = 256;

// One block per row, 16 bytes per thread at a time. Two passes over the row: the sum of squares, then the
// normalised row (the second read of x and delta comes from cache).
template <typename T>
__global__ void __launch_bounds__(kNormThreads) rms_norm_kernel(RmsNormArgs a) {
  const int64_t chunks = a.cols / 8, row = blockIdx.x;
  const uint4* x = static_cast<const uint4*>(a.x) + row * chunks;
  const uint4* delta = a.delta ? static_cast<const uint4*>(a.delta) + row * chunks : nullptr;
  const uint4* weight = static_cast<const uint4*>(a.weight);
  auto input = [&](int64_t c, float v[8]) {  // x, or x + delta rounded
    unpack8<T>(x[c], v);
    if (!delta) return;
    float d[8];
    unpack8<T>(delta[c], d);
#pragma unroll
    for (int e = 0; e < 8; ++e) v[e] = rounded<T>(v[e] + d[e]);
  };
  float squares = 0;
  for (int64_t c = threadIdx.x; c < chunks; c += kNormThreads) {
    float v[8];
    input(c, v);
    if (delta) static_cast<uint4*>(a.sum)[row * chunks + c] = pack8<T>(v);
#pragma unroll
    for (int e = 0; e < 8; ++e) squares = fmaf(v[e], v[e], squares);
  }
  const float inv_rms = rsqrtf(block_sum<kNormThreads>(squares) / float(a.cols) + a.eps);
  for (int64_t c = threadIdx.x; c < chunks; c += kNormThreads) {
    float v[8], g[8];
    input(c, v);
    unpack8<T>(weight[c], g);
#pragma unroll
    for (int e = 0; e < 8; ++e) v[e] = rms_normed<T>(v[e], inv_rms, g[e]);
    static_cast<uint4*>(a.out)[row * chunks + c] = pack8<T>(v);
  }
}

// Calls put(m, column, weights) for each two adjacent columns of tile rows m0 and m0 + 8 that one lane's 16
// bytes of a slice hold (quad: the lane's place among the four lanes of those rows), none past K.
template <typename Put>
__device__ __forceinline__ void for_each_int4_pair(const Int4DequantizeArgs& a, uint4 words, int64_t tile,
                                                   int64_t slice, int m0, int quad, Put&& put) {
  const int64_t groups = a.k / a.group_size;
#pragma unroll
  for (int j = 0; j < 4; ++j) {
    const int64_t first = slice * 64 + 16 * j;
    if (first >= a.k) break;  // padding
    const int32_t* sz = a.scale_zero + (tile * groups + first / a.group_size) * 16;
#pragma unroll
    for (int half = 0; half < 2; ++half) {  // rows m0, m0 + 8
      const uint32_t scale_zero = static_cast<uint32_t>(sz[m0 + 8 * half]);
#pragma unroll
      for (int high = 0; high < 2; ++high) {  // columns c, c + 1 and c + 8, c + 9
        const int64_t column = first + 8 * high + 2 * quad;
        if (column < a.k)
          put(m0 + 8 * half, column,
              __half22float2(int4_rounded_pair((&words.x)[j], 2 * high + half, scale_zero)));
      }
    }
  }
}

// One warp per (tile, slice), grid-stride: lane l's 4 words hold rows m0 = l / 4 and m1 = m0 + 8 of the tile
// at columns 64·slice + 16j + 2·(l % 4) + {0, 1, 8, 9} (word j); the warp assembles the tile's 16 × 64 block
// in shared memory and writes it out 16 bytes at a time. Tile row m < 8 is row 8·tile + m, m ≥ 8 row N/2 +
// 8·tile + m − 8.
template <typename T>
__global__ void __launch_bounds__(kThreads) dequantize_int4_kernel(Int4DequantizeArgs a) {
  constexpr int kWarps = kThreads / 32,
                kStride = 64 + 8;  // a row of the block, padded against bank conflicts
  __shared__ alignas(16) T blocks[kWarps][16 * kStride];
  const int lane = threadIdx.x % 32, m0 = lane / 4;
  T* block = blocks[threadIdx.x / 32];
  const int64_t slices = (a.k + 63) / 64, items = a.n / 16 * slices;
  for (int64_t item = (int64_t(blockIdx.x) * kThreads + threadIdx.x) / 32; item < items;
       item += int64_t(gridDim.x) * kWarps) {
    const int64_t tile = item / slices, slice = item % slices;
    const uint4 words = reinterpret_cast<const uint4*>(a.words)[item * 32 + lane];
    for_each_int4_pair(a, words, tile, slice, m0, lane % 4, [&](int m, int64_t column, float2 w) {
      *reinterpret_cast<Vec<T, 2>*>(block + m * kStride + column - slice * 64) =
          Vec<T, 2>{{from_float<T>(w.x), from_float<T>(w.y)}};
    });
    __syncwarp();
    const int chunks = static_cast<int>(min(int64_t(64), a.k - slice * 64) / 8);  // per row
    for (int i = lane; i < 16 * chunks; i += 32) {
      const int m = i / chunks, c = i % chunks;
      const int64_t row = (m < 8 ? 0 : a.n / 2) + tile * 8 + m % 8;
      *reinterpret_cast<uint4*>(static_cast<T*>(a.out) + row * a.k + slice * 64 + 8 * c) =
          *reinterpret_cast<const uint4*>(block + m * kStride + 8 * c);
    }
    __syncwarp();
  }
}

// An act-order weight in input column order: one block per row pair (tile, m0 and m0 + 8), grid-stride. Its
// words are lanes 4·m0 … 4·m0 + 3 of each slice; each weight goes to shared memory at its input column
// (input_order), and the two rows then go out 16 bytes at a time, so no write is scattered in global memory.
template <typename T>
__global__ void __launch_bounds__(kThreads) dequantize_int4_in_input_order_kernel(Int4DequantizeArgs a) {
  extern __shared__ uint4 staged[];
  T* row_pair = reinterpret_cast<T*>(staged);  // (2, K): rows m0 and m0 + 8
  const int64_t slices = (a.k + 63) / 64, pairs = a.n / 2, chunks = a.k / 8;
  for (int64_t pair = blockIdx.x; pair < pairs; pair += gridDim.x) {
    const int64_t tile = pair / 8;
    const int m0 = static_cast<int>(pair % 8);
    const uint4* words = reinterpret_cast<const uint4*>(a.words) + tile * slices * 32 + 4 * m0;
    for (int64_t i = threadIdx.x; i < slices * 4; i += kThreads) {
      const int64_t slice = i / 4;
      const int quad = static_cast<int>(i % 4);
      for_each_int4_pair(a, words[slice * 32 + quad], tile, slice, m0, quad,
                         [&](int m, int64_t column, float2 w) {
                           const int2 to = *reinterpret_cast<const int2*>(a.input_order + column);
                           row_pair[m / 8 * a.k + to.x] = from_float<T>(w.x);
                           row_pair[m / 8 * a.k + to.y] = from_float<T>(w.y);
                         });
    }
    __syncthreads();
    for (int64_t i = threadIdx.x; i < 2 * chunks; i += kThreads) {
      const int64_t half = i / chunks, row = half * (a.n / 2) + tile * 8 + m0;
      reinterpret_cast<uint4*>(static_cast<T*>(a.out) + row * a.k)[i % chunks] = staged[i];
    }
    __syncthreads();
  }
}

unsigned grid_for(int64_t total) {
  return static_cast<unsigned>(std::clamp<int64_t>((total + kThreads - 1) / kThreads, 1, 65535));
}

bool aligned16(const void* p) {
  return reinterpret_cast<uintptr_t>(p) % 16 == 0;
}

template <typename T>
void launch_rope(const RopeArgs& a, cudaStream_t stream) {
  // 8 elements (16 bytes) per access when every row, head half and table row starts 16-byte aligned.
  const bool wide = a.head_dim % 16 == 0 && a.x_row_stride % 8 == 0 && aligned16(a.x) && aligned16(a.cos) &&
                    aligned16(a.signed_sin) && aligned16(a.out);
  const int64_t elements = a.rows * a.heads * a.head_dim;
  if (wide)
    rope_kernel<T, 8><<<grid_for(elements / 8), kThreads, 0, stream>>>(a);
  else
    rope_kernel<T, 1><<<grid_for(elements), kThreads, 0, stream>>>(a);
}

template <typename T>
void launch_swiglu(const void* gate_up, void* out, int64_t rows, int64_t inter, cudaStream_t stream) {
  const T* in = static_cast<const T*>(gate_up);
  T* result = static_cast<T*>(out);
  if (inter % 8 == 0 && aligned16(gate_up) && aligned16(out))
    swiglu_kernel<T, 8><<<grid_for(rows * inter / 8), kThreads, 0, stream>>>(in, result, rows, inter);
  else
    swiglu_kernel<T, 1><<<grid_for(rows * inter), kThreads, 0, stream>>>(in, result, rows, inter);
}

}  // namespace

void dequantize_int4(ElementType type, const Int4DequantizeArgs& args, cudaStream_t stream) {
  if (args.k % 8 != 0 || args.group_size % 16 != 0 || args.k % args.group_size != 0 || args.n % 16 != 0 ||
      !aligned16(args.out) || (args.input_order && args.k > 49152))
    throw std::invalid_argument(
        "dequantize_int4: K a multiple of 8 (up to 49152 in act-order), groups of a multiple of 16 columns "
        "dividing it, rows in tiles of 16, the output 16-byte aligned");
  if (args.n == 0) return;
  auto launch = [&](auto element) {
    using T = decltype(element);
    if (args.input_order) {
      const int shared = static_cast<int>(2 * args.k * sizeof(T));  // a row pair
      if (shared > 48 * 1024)
        cudaFuncSetAttribute(dequantize_int4_in_input_order_kernel<T>,
                             cudaFuncAttributeMaxDynamicSharedMemorySize, shared);
      dequantize_int4_in_input_order_kernel<T>
          <<<static_cast<unsigned>(std::min<int64_t>(args.n / 2, 65535)), kThreads, shared, stream>>>(args);
    } else {
      dequantize_int4_kernel<T>
          <<<grid_for(args.n / 16 * ((args.k + 63) / 64) * 32), kThreads, 0, stream>>>(args);
    }
  };
  if (type == ElementType::bfloat16)
    launch(__nv_bfloat16{});
  else
    launch(__half{});
  check_launch("dequantize_int4");
}

void rope(ElementType type, const RopeArgs& args, cudaStream_t stream) {
  if (type == ElementType::bfloat16)
    launch_rope<__nv_bfloat16>(args, stream);
  else
    launch_rope<__half>(args, stream);
  check_launch("rope");
}

void rms_norm(ElementType type, const RmsNormArgs& args, cudaStream_t stream) {
  if (args.cols % 8 != 0)
    throw std::invalid_argument("rms_norm: " + std::to_string(args.cols) + " columns, not a multiple of 8");
  if (args.rows > 0x7fffffff) throw std::invalid_argument("rms_norm: more rows than one launch takes");
  if (args.rows == 0) return;
  const unsigned grid = static_cast<unsigned>(args.rows);
  if (type == ElementType::bfloat16)
    rms_norm_kernel<__nv_bfloat16><<<grid, kNormThreads, 0, stream>>>(args);
  else
    rms_norm_kernel<__half><<<grid, kNormThreads, 0, stream>>>(args);
  check_launch("rms_norm");
}

void swiglu(ElementType type, const void* gate_up, void* out, int64_t rows, int64_t inter,
            cudaStream_t stream) {
  if (type == ElementType::bfloat16)
    launch_swiglu<__nv_bfloat16>(gate_up, out, rows, inter, stream);
  else
    launch_swiglu<__half>(gate_up, out, rows, inter, stream);
  check_launch("swiglu");
}

}  // namespace llmdrop::cuda
