#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "model/cuda/decode_kernels.h"

namespace llmdrop::cuda {

namespace {

constexpr int kWarp = 32;
constexpr unsigned kFullMask = 0xffffffffu;

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

__device__ __forceinline__ float warp_sum(float v, int width = kWarp) {
  for (int offset = width / 2; offset > 0; offset /= 2) v += __shfl_xor_sync(kFullMask, v, offset);
  return v;
}

// 16 bytes of a weight row, read once per step: no point keeping them in L1.
__device__ __forceinline__ uint4 load_streaming(const uint4* p) {
  uint4 v;
  asm volatile("ld.global.nc.L1::no_allocate.v4.u32 {%0, %1, %2, %3}, [%4];"
               : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
               : "l"(p));
  return v;
}

// acc + Σ w[i]·x[i] over 8 elements of T packed in 16 bytes each.
template <typename T>
__device__ __forceinline__ float dot8(const uint4& w, const uint4& x, float acc) {
  using P = typename Pair<T>::type;
  const P* wp = reinterpret_cast<const P*>(&w);
  const P* xp = reinterpret_cast<const P*>(&x);
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const float2 a = to_float2(wp[i]), b = to_float2(xp[i]);
    acc = fmaf(a.x, b.x, acc);
    acc = fmaf(a.y, b.y, acc);
  }
  return acc;
}

template <typename T>
__device__ __forceinline__ void unpack8(const uint4& v, float out[8]) {
  using P = typename Pair<T>::type;
  const P* p = reinterpret_cast<const P*>(&v);
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const float2 f = to_float2(p[i]);
    out[2 * i] = f.x;
    out[2 * i + 1] = f.y;
  }
}

__device__ __forceinline__ float silu(float x) {
  return x / (1.0f + expf(-x));
}

// Programmatic dependent launch (Hopper and later): a kernel may start while the one before it drains. Each
// kernel first issues the loads that do not depend on its predecessor (weights, cached keys and values), then
// waits for the predecessor's results and lets its own successor start.
__device__ __forceinline__ void wait_for_predecessor() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}
__device__ __forceinline__ void allow_successor() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#endif
}

bool device_allows_early_launch() {
  static const bool allowed = [] {
    int device = 0, major = 0;
    cudaGetDevice(&device);
    cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device);
    return major >= 9;
  }();
  return allowed;
}

template <typename... Params, typename... Args>
void launch(void (*kernel)(Params...), dim3 grid, dim3 block, size_t shared, cudaStream_t stream,
            Args... args) {
  cudaLaunchAttribute early;
  early.id = cudaLaunchAttributeProgrammaticStreamSerialization;
  early.val.programmaticStreamSerializationAllowed = 1;
  cudaLaunchConfig_t config = {};
  config.gridDim = grid;
  config.blockDim = block;
  config.dynamicSmemBytes = shared;
  config.stream = stream;
  config.attrs = &early;
  config.numAttrs = device_allows_early_launch() ? 1 : 0;
  cudaLaunchKernelEx(&config, kernel, args...);
}

// ---- matrix–vector product -------------------------------------------------------------------------------

constexpr int kGemvWarps = 8;
constexpr int kGemvThreads = kGemvWarps * kWarp;

// Block: the (transformed) input vector in shared memory, then each warp streams kRows weight rows at a time
// — with swiglu a gate row and its up row — keeping 8 16-byte loads in flight per lane. A warp's first loads
// are issued before the input vector is ready, so the two latencies overlap. Input and norm weight 16-byte
// aligned.
template <typename T, GemvInput kInput, GemvOutput kOutput, int kRows>
__global__ void __launch_bounds__(kGemvThreads) gemv_kernel(GemvArgs a) {
  static_assert(kOutput != GemvOutput::swiglu || kRows == 2);
  constexpr int kLoads = 8 / kRows;
  extern __shared__ uint4 x_chunks[];  // (K/8) the input vector, 8 elements per chunk
  const int k = static_cast<int>(a.k), chunks = k / 8;
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;

  // Work item i: rows i·kRows … (or gate row i and up row N + i), outputs likewise.
  const int64_t items = kOutput == GemvOutput::swiglu ? a.n : a.n / kRows;
  const uint4* weight = static_cast<const uint4*>(a.weight);
  auto row = [&](int64_t item, int r) {
    return kOutput == GemvOutput::swiglu ? item + r * a.n : item * kRows + r;
  };
  uint4 w[kRows][kLoads];
  auto load = [&](int64_t item, int base) {
#pragma unroll
    for (int i = 0; i < kLoads; ++i)
      if (base + i * kWarp < chunks)
#pragma unroll
        for (int r = 0; r < kRows; ++r)
          w[r][i] = load_streaming(weight + row(item, r) * chunks + base + i * kWarp);
  };
  int64_t item = int64_t(blockIdx.x) * kGemvWarps + warp;
  bool loaded = item < items;
  if (loaded) load(item, lane);
  wait_for_predecessor();
  allow_successor();

  const uint4* x = static_cast<const uint4*>(a.x);
  if constexpr (kInput == GemvInput::rms_norm) {
    __shared__ float warp_sums[kGemvWarps];
    float squares = 0;
    for (int c = threadIdx.x; c < chunks; c += kGemvThreads) {
      float v[8];
      unpack8<T>(x[c], v);
#pragma unroll
      for (int e = 0; e < 8; ++e) squares = fmaf(v[e], v[e], squares);
    }
    squares = warp_sum(squares);
    if (lane == 0) warp_sums[warp] = squares;
    __syncthreads();
    float total = 0;
#pragma unroll
    for (int i = 0; i < kGemvWarps; ++i) total += warp_sums[i];
    const float inv_rms = rsqrtf(total / k + a.eps);
    const uint4* norm_weight = static_cast<const uint4*>(a.norm_weight);
    T* xs = reinterpret_cast<T*>(x_chunks);
    // LlamaRMSNorm: normalised in float32, rounded, then scaled by the weight and rounded again.
    for (int c = threadIdx.x; c < chunks; c += kGemvThreads) {
      float v[8], g[8];
      unpack8<T>(x[c], v);
      unpack8<T>(norm_weight[c], g);
#pragma unroll
      for (int e = 0; e < 8; ++e) xs[c * 8 + e] = from_float<T>(g[e] * rounded<T>(v[e] * inv_rms));
    }
  } else {
    for (int c = threadIdx.x; c < chunks; c += kGemvThreads) x_chunks[c] = x[c];
  }
  __syncthreads();

  const T* bias = static_cast<const T*>(a.bias);
  T* out = static_cast<T*>(a.out);
  for (; item < items; item += int64_t(gridDim.x) * kGemvWarps) {
    float acc[kRows] = {};
    for (int base = lane; base < chunks; base += kWarp * kLoads) {
      if (!loaded) load(item, base);
      loaded = false;
#pragma unroll
      for (int i = 0; i < kLoads; ++i)
        if (base + i * kWarp < chunks)
#pragma unroll
          for (int r = 0; r < kRows; ++r) acc[r] = dot8<T>(w[r][i], x_chunks[base + i * kWarp], acc[r]);
    }
#pragma unroll
    for (int r = 0; r < kRows; ++r) acc[r] = warp_sum(acc[r]);
    if (lane != 0) continue;
    if constexpr (kOutput == GemvOutput::swiglu) {
      // act_fn(gate_proj(x)) * up_proj(x), each product rounded.
      out[item] = from_float<T>(rounded<T>(silu(rounded<T>(acc[0]))) * rounded<T>(acc[1]));
    } else {
#pragma unroll
      for (int r = 0; r < kRows; ++r) {
        const int64_t n = row(item, r);
        const float y = acc[r] + (bias ? to_float(bias[n]) : 0.0f);
        if constexpr (kOutput == GemvOutput::add_to)
          out[n] = from_float<T>(to_float(out[n]) + rounded<T>(y));
        else
          out[n] = from_float<T>(y);
      }
    }
  }
}

template <typename T, GemvInput kInput, GemvOutput kOutput, int kRows>
void launch_gemv(const GemvArgs& a, cudaStream_t stream) {
  const size_t shared = size_t(a.k) * sizeof(T);
  auto kernel = gemv_kernel<T, kInput, kOutput, kRows>;
  if (shared > 48 * 1024)
    cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, int(shared));
  const int64_t items = kOutput == GemvOutput::swiglu ? a.n : a.n / kRows;
  launch(kernel, dim3(static_cast<unsigned>((items + kGemvWarps - 1) / kGemvWarps)), dim3(kGemvThreads),
         shared, stream, a);
}

// One row per warp, but a gate row and its up row together.
template <typename T, GemvInput kInput>
void launch_gemv(const GemvArgs& a, cudaStream_t stream) {
  switch (a.output) {
    case GemvOutput::store:
      return launch_gemv<T, kInput, GemvOutput::store, 1>(a, stream);
    case GemvOutput::add_to:
      return launch_gemv<T, kInput, GemvOutput::add_to, 1>(a, stream);
    case GemvOutput::swiglu:
      return launch_gemv<T, kInput, GemvOutput::swiglu, 2>(a, stream);
  }
}

template <typename T>
void gemv_typed(const GemvArgs& a, cudaStream_t stream) {
  if (a.input == GemvInput::rms_norm)
    launch_gemv<T, GemvInput::rms_norm>(a, stream);
  else
    launch_gemv<T, GemvInput::plain>(a, stream);
}

// ---- decode attention ------------------------------------------------------------------------------------

constexpr int kAttentionThreads = 128;
constexpr int kAttentionWarps = kAttentionThreads / kWarp;
constexpr int kChunk = 64;  // cache positions a block takes at a time

// Block (b, key/value head g) of B blocks per head: the visible chunks first + b, first + b + B, … of the
// cache, for the kGroup query heads of g, with an online softmax across its chunks (the next chunk's keys and
// values load while this one is computed); the result is a partial (acc, max, sum) per query head, and the
// block that finishes last for g merges them. The lanes of a position each hold 8 of its D elements
// (kLanes = D/8), so a block covers kSlots positions per pass and kPasses passes per chunk.
template <typename T, int D, int kGroup>
__global__ void __launch_bounds__(kAttentionThreads) decode_attention_kernel(DecodeAttentionArgs a) {
  constexpr int kLanes = D / 8, kSlots = kAttentionThreads / kLanes, kPasses = kChunk / kSlots;
  const int block = blockIdx.x, kv_head = blockIdx.y;
  const int64_t position = *a.position;
  const int64_t lo = a.window > 0 ? max(int64_t(0), position - a.window + 1) : 0;  // first visible position
  const int first = static_cast<int>(lo / kChunk), last = static_cast<int>(position / kChunk);
  const int active = min(int(gridDim.x), last - first + 1);
  if (block >= active) return;

  __shared__ float q[kGroup * D];                       // rotated queries
  __shared__ float probs[kGroup * kChunk];              // scores, then exp(score - running max)
  __shared__ float sums[kAttentionWarps * kGroup * D];  // per-warp partial sums
  __shared__ float running_max[kGroup], running_sum[kGroup], rescale[kGroup];
  __shared__ bool merges;

  const int tid = threadIdx.x, lane = tid % kWarp, warp = tid / kWarp;
  const int slot = tid / kLanes, part = tid % kLanes;  // position slot, and which 8 elements of it
  T* keys = static_cast<T*>(a.keys) + int64_t(kv_head) * a.capacity * D;
  T* values = static_cast<T*>(a.values) + int64_t(kv_head) * a.capacity * D;
  auto slot_position = [&](int chunk, int p) { return int64_t(chunk) * kChunk + p * kSlots + slot; };
  auto visible = [&](int64_t j) { return j >= lo && j <= position; };
  // A chunk's keys and values for this thread; the new position's only once it has been written.
  auto load = [&](int chunk, uint4(&k)[kPasses], uint4(&v)[kPasses], bool with_new) {
#pragma unroll
    for (int p = 0; p < kPasses; ++p) {
      const int64_t j = slot_position(chunk, p);
      const bool ok = visible(j) && (with_new || j != position);
      k[p] = ok ? reinterpret_cast<const uint4*>(keys + j * D)[part] : make_uint4(0, 0, 0, 0);
      v[p] = ok ? reinterpret_cast<const uint4*>(values + j * D)[part] : make_uint4(0, 0, 0, 0);
    }
  };
  uint4 k_a[kPasses], v_a[kPasses], k_b[kPasses], v_b[kPasses];
  load(first + block, k_a, v_a, false);  // cached data: in flight before the predecessor has finished

  wait_for_predecessor();
  allow_successor();
  const T* qkv = static_cast<const T*>(a.qkv);
  const T* cos = static_cast<const T*>(a.cos);
  const T* signed_sin = static_cast<const T*>(a.signed_sin);
  constexpr int kHalf = D / 2;
  // x·cos + rotate_half(x)·sin, each product rounded as transformers rounds it.
  auto rope = [&](const T* x, int d) {
    return rounded<T>(rounded<T>(to_float(x[d]) * to_float(cos[d])) +
                      rounded<T>(to_float(x[d < kHalf ? d + kHalf : d - kHalf]) * to_float(signed_sin[d])));
  };
  for (int i = tid; i < kGroup * D; i += kAttentionThreads)
    q[i] = rope(qkv + (kv_head * kGroup + i / D) * D, i % D);
  if ((last - first) % active ==
      block) {  // this block takes the new position's chunk: store its key and value
    const T* k_new = qkv + (a.heads + kv_head) * D;
    const T* v_new = qkv + (a.heads + a.kv_heads + kv_head) * D;
    for (int d = tid; d < D; d += kAttentionThreads) {
      keys[position * D + d] = from_float<T>(rope(k_new, d));
      values[position * D + d] = v_new[d];
    }
  }
  if (tid < kGroup) {
    running_max[tid] = -INFINITY;
    running_sum[tid] = 0;
  }
  __syncthreads();  // also makes the new key and value visible to the whole block

  float acc[kGroup][8] = {};
  auto process = [&](int chunk, uint4(&k)[kPasses], uint4(&v)[kPasses]) {
    if (chunk == last)
#pragma unroll
      for (int p = 0; p < kPasses; ++p)
        if (slot_position(chunk, p) == position) {
          k[p] = reinterpret_cast<const uint4*>(keys + position * D)[part];
          v[p] = reinterpret_cast<const uint4*>(values + position * D)[part];
        }
        // Scores q·k·scale (invisible positions −inf).
#pragma unroll
    for (int p = 0; p < kPasses; ++p) {
      float k8[8];
      unpack8<T>(k[p], k8);
#pragma unroll
      for (int h = 0; h < kGroup; ++h) {
        const float* qh = q + h * D + part * 8;
        float dot = 0;
#pragma unroll
        for (int e = 0; e < 8; ++e) dot = fmaf(qh[e], k8[e], dot);
        dot = warp_sum(dot, kLanes);
        if (part == 0)
          probs[h * kChunk + p * kSlots + slot] =
              visible(slot_position(chunk, p)) ? dot * a.scale : -INFINITY;
      }
    }
    __syncthreads();
    // Online softmax: a new running max rescales what was summed so far.
    for (int h = warp; h < kGroup; h += kAttentionWarps) {
      float m = running_max[h];
      for (int j = lane; j < kChunk; j += kWarp) m = fmaxf(m, probs[h * kChunk + j]);
      for (int offset = kWarp / 2; offset > 0; offset /= 2)
        m = fmaxf(m, __shfl_xor_sync(kFullMask, m, offset));
      float s = 0;
      for (int j = lane; j < kChunk; j += kWarp) {
        const float e = __expf(probs[h * kChunk + j] - m);  // exp(−inf) = 0 for invisible positions
        probs[h * kChunk + j] = e;
        s += e;
      }
      s = warp_sum(s);
      if (lane == 0) {
        rescale[h] = __expf(running_max[h] - m);
        running_sum[h] = running_sum[h] * rescale[h] + s;
        running_max[h] = m;
      }
    }
    __syncthreads();
#pragma unroll
    for (int h = 0; h < kGroup; ++h)
#pragma unroll
      for (int e = 0; e < 8; ++e) acc[h][e] *= rescale[h];
#pragma unroll
    for (int p = 0; p < kPasses; ++p) {
      float v8[8];
      unpack8<T>(v[p], v8);
#pragma unroll
      for (int h = 0; h < kGroup; ++h) {
        const float weight = probs[h * kChunk + p * kSlots + slot];
#pragma unroll
        for (int e = 0; e < 8; ++e) acc[h][e] = fmaf(weight, v8[e], acc[h][e]);
      }
    }
    __syncthreads();  // probs and rescale are rewritten by the next chunk
  };
  for (int chunk = first + block; chunk <= last; chunk += 2 * active) {
    const int next = chunk + active;
    if (next <= last) load(next, k_b, v_b, true);
    process(chunk, k_a, v_a);
    if (next > last) break;
    if (next + active <= last) load(next + active, k_a, v_a, true);
    process(next, k_b, v_b);
  }

  // Sum over the slots: first within the warp, then over the warps through shared memory.
#pragma unroll
  for (int h = 0; h < kGroup; ++h)
#pragma unroll
    for (int e = 0; e < 8; ++e) {
      float v = acc[h][e];
      for (int offset = kLanes; offset < kWarp; offset *= 2) v += __shfl_xor_sync(kFullMask, v, offset);
      if (lane < kLanes) sums[(warp * kGroup + h) * D + part * 8 + e] = v;
    }
  __syncthreads();
  // This block's partial per query head: (acc[D], max, sum), in (H, blocks, D + 2).
  auto partial = [&](int h, int b) {
    return a.partials + (int64_t(kv_head * kGroup + h) * gridDim.x + b) * (D + 2);
  };
  for (int i = tid; i < kGroup * D; i += kAttentionThreads) {
    float total = 0;
#pragma unroll
    for (int w = 0; w < kAttentionWarps; ++w) total += sums[w * kGroup * D + i];
    partial(i / D, block)[i % D] = total;
  }
  if (tid < kGroup) {
    partial(tid, block)[D] = running_max[tid];
    partial(tid, block)[D + 1] = running_sum[tid];
  }

  // The last block of this key/value head to finish merges every block's partial.
  __threadfence();
  __syncthreads();
  if (tid == 0) merges = atomicAdd(a.counters + kv_head, 1u) == unsigned(active - 1);
  __syncthreads();
  if (!merges) return;
  __threadfence();
  T* out = static_cast<T*>(a.out);
  for (int i = tid; i < kGroup * D; i += kAttentionThreads) {
    const int h = i / D, d = i % D;
    float m = -INFINITY;
#pragma unroll 8
    for (int b = 0; b < active; ++b) m = fmaxf(m, __ldcg(partial(h, b) + D));
    float total = 0, weighted = 0;
#pragma unroll 8
    for (int b = 0; b < active; ++b) {
      const float w = __expf(__ldcg(partial(h, b) + D) - m);
      total += w * __ldcg(partial(h, b) + D + 1);
      weighted += w * __ldcg(partial(h, b) + d);
    }
    out[(kv_head * kGroup + h) * D + d] = from_float<T>(weighted / total);
  }
  if (tid == 0) a.counters[kv_head] = 0;
}

int multiprocessors() {
  static const int count = [] {
    int device = 0, value = 0;
    cudaGetDevice(&device);
    cudaDeviceGetAttribute(&value, cudaDevAttrMultiProcessorCount, device);
    return value;
  }();
  return count;
}

// As many blocks as fit on the device at once, shared among the key/value heads, but no more than chunks.
template <typename Kernel>
unsigned attention_blocks_per_head(int capacity, int kv_heads, Kernel kernel) {
  int per_multiprocessor = 1;
  cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_multiprocessor, kernel, kAttentionThreads, 0);
  const int chunks = (capacity + kChunk - 1) / kChunk;
  return static_cast<unsigned>(std::clamp(per_multiprocessor * multiprocessors() / kv_heads, 1, chunks));
}

template <typename T, int D, int kGroup>
void launch_attention(const DecodeAttentionArgs& a, cudaStream_t stream) {
  auto kernel = decode_attention_kernel<T, D, kGroup>;
  launch(kernel, dim3(attention_blocks_per_head(a.capacity, a.kv_heads, kernel), a.kv_heads),
         dim3(kAttentionThreads), 0, stream, a);
}

template <typename T, int D>
void launch_attention(const DecodeAttentionArgs& a, cudaStream_t stream) {
  static_assert(kWarp % (D / 8) == 0 && kChunk % (kAttentionThreads / (D / 8)) == 0);
  switch (a.heads / a.kv_heads) {
    case 1:
      return launch_attention<T, D, 1>(a, stream);
    case 2:
      return launch_attention<T, D, 2>(a, stream);
    case 4:
      return launch_attention<T, D, 4>(a, stream);
    case 8:
      return launch_attention<T, D, 8>(a, stream);
  }
}

template <typename T>
void attention_typed(const DecodeAttentionArgs& a, cudaStream_t stream) {
  switch (a.head_dim) {
    case 16:
      return launch_attention<T, 16>(a, stream);
    case 32:
      return launch_attention<T, 32>(a, stream);
    case 64:
      return launch_attention<T, 64>(a, stream);
    case 128:
      return launch_attention<T, 128>(a, stream);
    case 256:
      return launch_attention<T, 256>(a, stream);
  }
}

void check_launch(const char* what) {
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
}

}  // namespace

void gemv(ElementType type, const GemvArgs& args, cudaStream_t stream) {
  if (args.k % 8 != 0 || args.k * 2 > 96 * 1024)
    throw std::invalid_argument("gemv: K = " + std::to_string(args.k) +
                                " must be a multiple of 8 up to 49152");
  if (type == ElementType::bfloat16)
    gemv_typed<__nv_bfloat16>(args, stream);
  else
    gemv_typed<__half>(args, stream);
  check_launch("gemv");
}

bool decode_attention_supports(int head_dim, int heads, int kv_heads) {
  const bool dim_ok =
      head_dim == 16 || head_dim == 32 || head_dim == 64 || head_dim == 128 || head_dim == 256;
  const int group = kv_heads > 0 && heads % kv_heads == 0 ? heads / kv_heads : 0;
  return dim_ok && (group == 1 || group == 2 || group == 4 || group == 8);
}

int64_t decode_attention_workspace(int heads, int capacity, int head_dim) {
  return int64_t(heads) * ((capacity + kChunk - 1) / kChunk) * (head_dim + 2);
}

void decode_attention(ElementType type, const DecodeAttentionArgs& args, cudaStream_t stream) {
  if (!decode_attention_supports(args.head_dim, args.heads, args.kv_heads))
    throw std::invalid_argument("decode attention: unsupported head layout");
  if (type == ElementType::bfloat16)
    attention_typed<__nv_bfloat16>(args, stream);
  else
    attention_typed<__half>(args, stream);
  check_launch("decode attention");
}

}  // namespace llmdrop::cuda
