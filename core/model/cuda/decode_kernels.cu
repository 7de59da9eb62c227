#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>

#include "model/cuda/decode_kernels.h"
#include "model/cuda/element_math.cuh"
#include "model/cuda/int4_math.cuh"

namespace llmdrop::cuda {

namespace {

constexpr int kWarp = 32;

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

// A 4-bit product's B fragments (GemvInput::fragments) hold its input as items of 4 elements: slice s holds
// items 16s + 4q + j, each the stored columns c, c + 1, c + 8, c + 9 for c = 64s + 16j + 2q. The first
// column of item i, and where a column sits.
__device__ __forceinline__ unsigned item_column(unsigned i) {
  return i / 16 * 64 + i % 4 * 16 + i / 4 % 4 * 2;
}
__device__ __forceinline__ int64_t fragment_position(int64_t column) {
  const int r = static_cast<int>(column % 64), j = r / 16, w = r % 16;
  return ((column / 64 * 16 + (w % 8) / 2 * 4 + j) * 4) + w / 8 * 2 + w % 2;
}

__device__ __forceinline__ float silu(float x) {
  return x / (1.0f + expf(-x));
}

// Programmatic dependent launch (Hopper and later): a kernel may start while the one before it drains. Each
// kernel first issues the loads that do not depend on its predecessor (weights, cached keys and values), then
// waits for the predecessor's results and lets its own successor start. (Measured, slower: each block of the
// fused decode step raising a counter after its stores, and its successor's blocks released by one thread's
// acquire-load spin on it instead of griddepcontrol.wait: 7B RTN decode 462 against 477 tok/s on an H100,
// bf16 210 against 211; the tokens were identical.)
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

#ifdef LLMDROP_INT4_STAMPS
// The diagnostic build of tools/int4_timeline.cu only: %globaltimer of each 4-bit block at its phases, by
// call.
__device__ unsigned long long int4_stamps[kInt4StampCalls][kInt4StampBlocks][kInt4StampPhases];
__device__ __forceinline__ void stamp(const GemvArgs& a, Int4Phase phase) {
  unsigned long long now;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
  if (threadIdx.x == 0 && a.stamp_call < kInt4StampCalls && blockIdx.x < kInt4StampBlocks)
    int4_stamps[a.stamp_call][blockIdx.x][int(phase)] = now;
}
#else
__device__ __forceinline__ void stamp(const GemvArgs&, Int4Phase) {}
#endif

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

int device_attribute(cudaDeviceAttr attribute) {
  int device = 0, value = 0;
  cudaGetDevice(&device);
  cudaDeviceGetAttribute(&value, attribute, device);
  return value;
}
int multiprocessors() {
  static const int count = device_attribute(cudaDevAttrMultiProcessorCount);
  return count;
}

// ---- matrix–vector product -------------------------------------------------------------------------------

// 16 warps: measured on an H200 (Llama-2-7B shape, decode at 2048), 269 tok/s against 266 with 8 (more blocks
// stage and normalise the input).
constexpr int kGemvWarps = 16;
constexpr int kGemvThreads = kGemvWarps * kWarp;

// Stages a block's input vector in shared memory as x_chunks (K/8 chunks of 8 elements), normalised there in
// place for rms_norm (then norm_chunks, the next K/8 chunks, holds the norm weight). The norm weight is read
// while the predecessor still runs; the input, one read of the predecessor's output, after it. Input and norm
// weight 16-byte aligned. `released()` runs once the predecessor has finished. An input in fragment order is
// read in place by int4_gemv_kernel; for rms_norm_fragments the norm weight, in that order too, is copied to
// x_chunks before the predecessor has finished.
struct NothingMore {
  __device__ void operator()() const {}
};
template <typename T, GemvInput kInput, int kThreads, typename Released = NothingMore>
__device__ __forceinline__ void stage_input(const GemvArgs& a, uint4* x_chunks, Released released = {}) {
  const int k = static_cast<int>(a.k), chunks = k / 8;
  uint4* norm_chunks = x_chunks + chunks;
  if constexpr (kInput == GemvInput::rms_norm)
    for (int c = threadIdx.x; c < chunks; c += kThreads)
      norm_chunks[c] = static_cast<const uint4*>(a.norm_weight)[c];
  if constexpr (kInput == GemvInput::rms_norm_fragments)
    for (unsigned i = threadIdx.x; i < unsigned(a.k + 63) / 64 * 16; i += kThreads)
      reinterpret_cast<uint2*>(x_chunks)[i] = static_cast<const uint2*>(a.norm_weight)[i];
  wait_for_predecessor();
  stamp(a, Int4Phase::released);
  allow_successor();
  released();
  if constexpr (kInput == GemvInput::fragments || kInput == GemvInput::rms_norm_fragments) return;

  const uint4* x = static_cast<const uint4*>(a.x);
  float squares = 0;
  for (int c = threadIdx.x; c < chunks; c += kThreads) {
    const uint4 chunk = x[c];
    x_chunks[c] = chunk;
    if constexpr (kInput == GemvInput::rms_norm) {
      float v[8];
      unpack8<T>(chunk, v);
#pragma unroll
      for (int e = 0; e < 8; ++e) squares = fmaf(v[e], v[e], squares);
    }
  }
  if constexpr (kInput == GemvInput::rms_norm) {
    const float inv_rms = rsqrtf(block_sum<kThreads>(squares) / k + a.eps);
    // Each thread rewrites the chunks it stored.
    for (int c = threadIdx.x; c < chunks; c += kThreads) {
      float v[8], g[8];
      unpack8<T>(x_chunks[c], v);
      unpack8<T>(norm_chunks[c], g);
#pragma unroll
      for (int e = 0; e < 8; ++e) v[e] = rms_normed<T>(v[e], inv_rms, g[e]);
      x_chunks[c] = pack8<T>(v);
    }
  }
  __syncthreads();
}

// The stored column of output `item` in the 4-bit product that reads it (GemvArgs::out_columns).
__device__ __forceinline__ int64_t out_column(const int32_t* out_columns, int64_t item) {
  return out_columns ? out_columns[item] : item;
}

// Output `item` of a product to out and, where the B fragments of the product that reads it next hold its
// stored column `column` (out_column), to out_fragments.
template <typename T>
__device__ __forceinline__ void store_output(const GemvArgs& a, int64_t item, int64_t column, T value) {
  if (a.out) static_cast<T*>(a.out)[item] = value;
  if (a.out_fragments) static_cast<T*>(a.out_fragments)[fragment_position(column)] = value;
}

// Output row `row` of a product y = W·x: bias added, stored or added to the residual line, rounded where
// transformers rounds.
template <typename T, GemvOutput kOutput>
__device__ __forceinline__ void store_row(const GemvArgs& a, int64_t row, int64_t column, float y) {
  if (a.bias) y += to_float(static_cast<const T*>(a.bias)[row]);
  if constexpr (kOutput == GemvOutput::add_to)
    store_output<T>(a, row, column,
                    from_float<T>(to_float(static_cast<const T*>(a.out)[row]) + rounded<T>(y)));
  else
    store_output<T>(a, row, column, from_float<T>(y));
}

// act_fn(gate_proj(x)) * up_proj(x), each product rounded.
template <typename T>
__device__ __forceinline__ void store_swiglu(const GemvArgs& a, int64_t item, int64_t column, float gate,
                                             float up) {
  store_output<T>(a, item, column, from_float<T>(rounded<T>(silu(rounded<T>(gate))) * rounded<T>(up)));
}

// Lane 0 of a warp writes the kRows sums of item `item` (rows `rows`).
template <typename T, GemvOutput kOutput, int kRows>
__device__ __forceinline__ void write_output(const GemvArgs& a, int64_t item, const int64_t (&rows)[kRows],
                                             float (&acc)[kRows]) {
#pragma unroll
  for (int r = 0; r < kRows; ++r) acc[r] = warp_sum(acc[r]);
  if (threadIdx.x % kWarp != 0) return;
  if constexpr (kOutput == GemvOutput::swiglu) {
    store_swiglu<T>(a, item, out_column(a.out_columns, item), acc[0], acc[1]);
  } else {
#pragma unroll
    for (int r = 0; r < kRows; ++r)
      store_row<T, kOutput>(a, rows[r], out_column(a.out_columns, rows[r]), acc[r]);
  }
}

// Work item i of a warp: rows i·kRows … (or gate row i and up row N + i), outputs likewise.
template <GemvOutput kOutput, int kRows>
__device__ __forceinline__ int64_t item_row(const GemvArgs& a, int64_t item, int r) {
  return kOutput == GemvOutput::swiglu ? item + r * a.n : item * kRows + r;
}
template <GemvOutput kOutput, int kRows>
__host__ __device__ __forceinline__ int64_t gemv_items(const GemvArgs& a) {
  return kOutput == GemvOutput::swiglu ? a.n : a.n / kRows;
}

// Weight formats of gemv_kernel: kRows rows per work item, read in steps of kLoads 16-byte chunks per row and
// lane, at least kMinBlocks blocks resident per multiprocessor (registers), and what one chunk of each row
// adds to the sums.

// 16-bit weights, 8 elements per chunk; 1 row per item, or a gate row and its up row. 4 loads per row:
// measured on an H200 (Llama-2-7B shape, decode at 2048, CUDA graph), 269 tok/s against 268 with 2 per row
// for gate/up and 261 with 8 per row; one item per warp, loaded one step at a time, gave 254. The pair needs
// 119 registers, so one block.
template <typename T, int kItemRows>
struct DenseRows {
  static constexpr int kRows = kItemRows, kLoads = 4, kMinBlocks = kRows == 1 ? 2 : 1;
  int row_chunks;
  __device__ explicit DenseRows(const GemvArgs& a) : row_chunks(static_cast<int>(a.k / 8)) {}
  __device__ __forceinline__ void add(const uint4 (&w)[kRows], int c, const int64_t (&)[kRows],
                                      const uint4* xs, float (&acc)[kRows]) const {
#pragma unroll
    for (int r = 0; r < kRows; ++r) acc[r] = dot8<T>(w[r], xs[c], acc[r]);
  }
};

// As many blocks as stay resident; each warp walks its items (rows, gate/up pairs) in steps of Rows::kLoads
// chunks per row, loading the next step — of this item or the next — before it computes this one, so its
// loads stream without a gap between items. The first loads are issued before the input vector is ready (and
// before the predecessor kernel has finished), so the two latencies overlap.
template <typename T, GemvInput kInput, GemvOutput kOutput, typename Rows>
__global__ void __launch_bounds__(kGemvThreads, Rows::kMinBlocks) gemv_kernel(GemvArgs a) {
  constexpr int kRows = Rows::kRows, kLoads = Rows::kLoads;
  static_assert(kOutput != GemvOutput::swiglu || kRows == 2);
  extern __shared__ uint4 x_chunks[];  // stage_input's
  const Rows format(a);
  const int steps = (format.row_chunks + kWarp * kLoads - 1) / (kWarp * kLoads);
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
  const int64_t items = gemv_items<kOutput, kRows>(a), warps = int64_t(gridDim.x) * kGemvWarps;
  const uint4* weight = static_cast<const uint4*>(a.weight);
  using Step = uint4[kLoads][kRows];
  auto load = [&](Step& w, int64_t item, int step) {
#pragma unroll
    for (int i = 0; i < kLoads; ++i) {
      const int c = (step * kLoads + i) * kWarp + lane;
      if (c < format.row_chunks)
#pragma unroll
        for (int r = 0; r < kRows; ++r)
          w[i][r] = load_streaming(weight + item_row<kOutput, kRows>(a, item, r) * format.row_chunks + c);
    }
  };
  Step current, next;
  int64_t item = int64_t(blockIdx.x) * kGemvWarps + warp;
  if (item < items) load(current, item, 0);
  stage_input<T, kInput, kGemvThreads>(a, x_chunks);

  float acc[kRows] = {};
  for (int step = 0; item < items;) {
    int next_step = step + 1;
    int64_t next_item = item;
    if (next_step == steps) next_step = 0, next_item += warps;
    if (next_item < items) load(next, next_item, next_step);
    int64_t rows[kRows];
#pragma unroll
    for (int r = 0; r < kRows; ++r) rows[r] = item_row<kOutput, kRows>(a, item, r);
#pragma unroll
    for (int i = 0; i < kLoads; ++i) {
      const int c = (step * kLoads + i) * kWarp + lane;
      if (c < format.row_chunks) format.add(current[i], c, rows, x_chunks, acc);
    }
    if (next_step == 0) {
      write_output<T, kOutput>(a, item, rows, acc);
#pragma unroll
      for (int r = 0; r < kRows; ++r) acc[r] = 0;
    }
#pragma unroll
    for (int i = 0; i < kLoads; ++i)
#pragma unroll
      for (int r = 0; r < kRows; ++r) current[i][r] = next[i][r];
    step = next_step;
    item = next_item;
  }
}

// Shared memory of stage_input: the input, then for rms_norm the norm weight.
size_t staged_input_bytes(const GemvArgs& a, size_t element) {
  return size_t(a.k) * element * (a.input == GemvInput::rms_norm ? 2 : 1);
}

template <typename T, GemvInput kInput, GemvOutput kOutput, typename Rows>
void launch_gemv(const GemvArgs& a, cudaStream_t stream) {
  auto kernel = gemv_kernel<T, kInput, kOutput, Rows>;
  const size_t shared = staged_input_bytes(a, sizeof(T));
  if (shared > 48 * 1024)
    cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, int(shared));
  int resident = 1;
  cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident, kernel, kGemvThreads, shared);
  const int64_t items = gemv_items<kOutput, Rows::kRows>(a);
  const int64_t blocks = std::min<int64_t>((items + kGemvWarps - 1) / kGemvWarps,
                                           int64_t(multiprocessors()) * std::max(resident, 1));
  launch(kernel, dim3(static_cast<unsigned>(blocks)), dim3(kGemvThreads), shared, stream, a);
}

// ---- 4-bit matrix–vector product on the tensor cores -----------------------------------------------------

// Int4Weight's layout (model/linear_weight.h): tiles of 16 rows, each a run of 64-column slices; in a slice,
// lane t of a warp holds 16 bytes, word j of them its part of the A operand of one mma.m16n8k16 over columns
// 16j…16j+15. The input is every column of the B operand, so each output column holds W·x and the float32
// accumulation is the tensor cores'.
//
// In bfloat16 the codes enter the product as exact small numbers offset + code (int4_fragment: one lop3 per
// pair), so the tensor cores sum Σ (offset + code)·x; the offset and the zero point come off once per group
// as (offset + zero)·Σx, with Σx over the group's columns summed once per block, and the scale is applied in
// float32 then (add_group). Groups of 64 columns or more are finished once per slice, smaller ones once per
// 16 columns (kPerWord). In float16 the weights themselves enter, each rounded as the loaders round it
// (int4_rounded_fragment). (Measured, slower: bfloat16 fragments made the same way and rounded again to
// bfloat16, the weights of a bfloat16 model loaded from the dequantized checkpoint: three conversions per
// pair, 7B RTN decode 419.0 against 489.3 tok/s on an H100.)
//
// A launch shape: kWarps warps per block split each tile's slices; each warp keeps two batches of kDepth
// 16-byte loads per lane in flight. Registers: the two batches take 8·kDepth per thread; at least kMinBlocks
// blocks stay resident per multiprocessor. (Measured on Llama-2-7B shapes, no faster: 8 loads in flight;
// teams of warps taking tiles apart while sharing one staged input per block; an act-order weight's input
// order copied to shared memory before the gather; warps taking tiles without a per-tile barrier; each warp's
// part of the block's next tile prefetched into L2 with cp.async.bulk.prefetch, 7B RTN decode 448 tok/s
// against 489 without on an H100; at most 2 blocks of 8 warps per multiprocessor; 24 warps; both batches of
// loads issued before the input is staged, 483 against 486 tok/s, faster on gate|up alone; each warp's slices
// streamed through a ring of batches in shared memory (cp.async, a batch carrying its scales, the first 4
// issued before the predecessor's end), 8 warps and a ring of 4 or 16 and 2: 420 and 429 against 493 tok/s,
// faster on o alone, 7.0 against 7.7 µs; the RMS norm applied while building the B fragments instead of
// rewriting the staged input, RTN q|k|v 13.6 against 13.8 µs but act-order 14.6 against 14.5 and gate|up
// 22.1 against 21.8; each warp's part of the block's first tile past its first batch, or of its first two
// tiles, prefetched into L2 before the predecessor has finished, faster alone (gate|up 19.4 against 20.3 µs,
// RTN q|k|v 13.1 against 13.4) but not in the decode: 7B RTN, every product in one shape, 474.0 and 456.7
// against 485.6 tok/s with 8 warps, 453.2 and 439.6 against 450.6 with 16, on an H100.)
template <int kWarps_, int kDepth_>
struct Int4Shape {
  static constexpr int kWarps = kWarps_, kDepth = kDepth_, kThreads = kWarps * kWarp;
  static constexpr int kMinBlocks = std::max(1, 65536 / (kThreads * (kDepth <= 4 ? 80 : 128)));
};
// int4_gemv_shapes()'s order.
using Int4Shapes = std::tuple<Int4Shape<8, 4>, Int4Shape<16, 4>>;

template <typename T>
__device__ __forceinline__ void mma_16x8x16(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
  if constexpr (std::is_same_v<T, __half>)
    asm("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
  else
    asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// A word of Int4Weight's layout as the mma's A fragment in bfloat16, in int4_rounded_fragment's order: each
// code is or-ed into the mantissa of 128, exactly: 128 + code.
__device__ __forceinline__ void int4_fragment(uint32_t word, uint32_t (&a)[4]) {
#pragma unroll
  for (int i = 0; i < 4; ++i) a[i] = masked_or(word >> (4 * i), 0x000f000fu, 0x43004300u);
}

// sum + scale·Σ (code − zero)·x over a group's columns, from d = Σ (128 + code)·x (int4_fragment's) and xs =
// Σ x. `scale_zero`: the row's float16 scale (low half) and 1024 + zero (high half).
__device__ __forceinline__ float add_group(float sum, uint32_t scale_zero, float d, float xs) {
  const float scale = __half2float(__ushort_as_half(static_cast<unsigned short>(scale_zero & 0xffffu)));
  const float zero_1024 = __half2float(__ushort_as_half(static_cast<unsigned short>(scale_zero >> 16)));
  return fmaf(scale, fmaf(896.0f - zero_1024, xs, d), sum);  // Σ (code − zero)·x = d − (128 + zero)·xs
}

// log2 of a 4-bit weight's group width: groups are a power of two wide, or one per row (then any shift past
// the columns will do).
__device__ __forceinline__ int group_shift_of(const GemvArgs& a) {
  return a.group_size == a.k ? 30 : __ffs(static_cast<int>(a.group_size)) - 1;
}

// Stored rows of a 4-bit product: the gate and up rows for swiglu.
__host__ __device__ __forceinline__ int64_t int4_rows(const GemvArgs& a) {
  return a.output == GemvOutput::swiglu ? 2 * a.n : a.n;
}

// Shared memory of int4_gemv_kernel: stage_input's, the B fragments (K rounded up to 64, elements of T), two
// tiles' scales and zeros (G·16 words each), two tiles' sums of each warp (16 each), and Σx over each 16
// columns and over each slice (float32, the B fragments' values).
struct Int4Shared {
  size_t fragments, scales, partials, sums, total;
  __host__ __device__ Int4Shared(const GemvArgs& a, size_t element, int warps) {
    const int64_t slices = (a.k + 63) / 64,
                  staged = a.input == GemvInput::fragments ? 0
                           : a.input == GemvInput::rms_norm_fragments
                               ? slices * 64 * int64_t(element)
                               : a.k * element * (a.input == GemvInput::rms_norm ? 2 : 1);
    fragments = (staged + 15) / 16 * 16;
    scales = fragments + slices * 64 * element;
    partials = scales + 2 * (a.k / a.group_size) * 16 * sizeof(int32_t);
    sums = partials + 2 * warps * 16 * sizeof(float);
    total = sums + slices * 5 * sizeof(float);
  }
};

// `bytes` (a multiple of 16) from `global` (16-byte aligned) into L2, asynchronously.
__device__ __forceinline__ void prefetch_l2(const void* global, unsigned bytes) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("cp.async.bulk.prefetch.L2.global [%0], %1;" ::"l"(global), "r"(bytes) : "memory");
#endif
}

// 16 bytes from global to shared memory without passing through registers (completed by cp_async_wait).
__device__ __forceinline__ void cp_async16(void* shared, const void* global) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;" ::"r"(
                   static_cast<unsigned>(__cvta_generic_to_shared(shared))),
               "l"(global));
}
__device__ __forceinline__ void cp_async_wait() {
  asm volatile("cp.async.wait_all;" ::: "memory");
}

// As many blocks as stay resident, each taking tiles of 16 rows until none is left: its first two by number,
// then the next free one (tile_counter, which the caller zeroes: the last block out resetting it delayed the
// successor's release by a fence and an atomic round trip). Tile row m < 8 is row 8·tile + m of the weight,
// row m ≥ 8 is row N/2 + 8·tile + m − 8, so for swiglu a thread's two rows are a gate row and its up row. The
// block's warps split each tile's slices, and each warp keeps two batches of loads in flight, crossing from
// one tile into the next; the first batch (and the first tile's scales) is issued before the predecessor
// kernel has finished. The input is staged once per block. Per tile one barrier: the warps' sums of tile i
// are added up by warp 0 after it while the others go on with tile i + 1 (sums and scales alternate between
// two buffers). Lane t's rows are r0 = t/4 and r1 = r0 + 8.
template <typename T, GemvInput kInput, GemvOutput kOutput, typename Shape, bool kPerWord>
__global__ void __launch_bounds__(Shape::kThreads, Shape::kMinBlocks) int4_gemv_kernel(GemvArgs a) {
  constexpr int kWarps = Shape::kWarps, kThreads = Shape::kThreads, kDepth = Shape::kDepth;
  constexpr bool kRoundedWeights = std::is_same_v<T, __half>;  // int4_rounded_fragment, else int4_fragment
  extern __shared__ uint4 shared[];
  __shared__ int claimed[2];  // the tile after next, by tile parity
  const Int4Shared layout(a, sizeof(T), kWarps);
  uint4* x_chunks = shared;  // stage_input's
  const uint4* fragments = shared + layout.fragments / 16;
  int32_t* scales = reinterpret_cast<int32_t*>(shared + layout.scales / 16);  // (2, G, 16)
  float* partials = reinterpret_cast<float*>(shared + layout.partials / 16);  // (2, warps, 16)
  const int k = static_cast<int>(a.k), slices = (k + 63) / 64, groups = static_cast<int>(a.k / a.group_size);
  float* step_sums = reinterpret_cast<float*>(shared + layout.sums / 16);  // (slices, 4): Σx per 16 columns
  float* slice_sums = step_sums + slices * 4;                              // (slices)
  const int tiles = static_cast<int>(int4_rows(a) / 16), group_shift = group_shift_of(a);
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
  const int r0 = lane / 4, r1 = r0 + 8, quad = lane % 4;
  const int first = warp * slices / kWarps, end = (warp + 1) * slices / kWarps;

  // This warp's part of a tile: (end − first) slices of 32 lanes' 16 bytes.
  auto tile_weight = [&](int tile) {
    return static_cast<const uint4*>(a.weight) + (int64_t(tile) * slices + first) * kWarp + lane;
  };
  uint4 current[kDepth], next[kDepth];
  auto load = [&](uint4(&w)[kDepth], const uint4* from, int count) {
#pragma unroll
    for (int i = 0; i < kDepth; ++i)
      if (i < count) w[i] = load_streaming(from + i * kWarp);
  };
  auto copy_scales = [&](int tile, int parity) {  // (G, 16) words of the tile
    const int32_t* from = a.scale_zero + int64_t(tile) * groups * 16;
    int32_t* to = scales + parity * groups * 16;
    for (int i = threadIdx.x; i < groups * 4; i += kThreads) cp_async16(to + 4 * i, from + 4 * i);
  };
  stamp(a, Int4Phase::entry);
  int tile = blockIdx.x, next_tile = blockIdx.x + gridDim.x;
  load(current, tile_weight(tile), end - first);
  copy_scales(tile, 0);
  // Once the predecessor has finished (its loads no longer compete), the rest of this warp's part of its
  // first tile goes into L2 while the input is staged. (7B decode on an H100, bf16, 3 runs each: RTN 498.5
  // against 489.8 tok/s at context 128 and 420.7 against 416.8 at 2048, act-order 460.7 against 457.6 in one
  // run; the second tile's part too, or only that: RTN 476.5 and 481.9.)
  auto prefetch_first_tile = [&] {
    if (lane == 0 && first + kDepth < end)  // lane 0's tile_weight is the start of the warp's part
      prefetch_l2(tile_weight(tile) + kDepth * kWarp, unsigned(end - first - kDepth) * kWarp * 16);
  };
  stage_input<T, kInput, kThreads>(a, x_chunks, prefetch_first_tile);
  stamp(a, Int4Phase::staged);

  // The B fragments: for slice s, lane quad q and step j, columns c = 64s + 16j + 2q: x[c], x[c + 1],
  // x[c + 8], x[c + 9] in the weight's column order, zero past K (item_column); a lane reads its slice's four
  // steps as 32 bytes. A warp builds two whole slices at a time and sums them: lanes 4q + j of a slice hold
  // step j. A thread builds kRound items at a time, an act-order weight's input positions for them loaded
  // first (as pairs: c, c + 1) so that their latencies overlap (act-order 7B decode on an H100, 8 warps: 437
  // against 421 tok/s one item at a time). An input already in this order (GemvInput::fragments) is copied,
  // all of a thread's items loaded at once; for rms_norm_fragments copied, then each thread normalises its
  // own items in place with the norm weight's, which stage_input put in x_chunks.
  {
    using P = typename Pair<T>::type;
    constexpr bool kGiven = kInput == GemvInput::fragments || kInput == GemvInput::rms_norm_fragments;
    constexpr unsigned kRound = kInput == GemvInput::fragments ? 8 : 4;
    const T* x = reinterpret_cast<const T*>(x_chunks);
    const uint2* given_items = static_cast<const uint2*>(a.x);
    const uint2* norm_items = reinterpret_cast<const uint2*>(x_chunks);
    uint2* out = reinterpret_cast<uint2*>(shared + layout.fragments / 16);
    const unsigned items = unsigned(slices) * 16;
    auto elements = [](const uint2& item, float(&v)[4]) {
      const float2 low = to_float2(*reinterpret_cast<const P*>(&item.x)),
                   high = to_float2(*reinterpret_cast<const P*>(&item.y));
      v[0] = low.x, v[1] = low.y, v[2] = high.x, v[3] = high.y;
    };
    float inv_rms = 0;
    if constexpr (kInput == GemvInput::rms_norm_fragments) {
      float squares = 0;
      for (unsigned from = 0; from < items; from += kRound * kThreads) {
        uint2 given[kRound] = {};
#pragma unroll
        for (unsigned r = 0; r < kRound; ++r)
          if (from + r * kThreads + threadIdx.x < items)
            given[r] = given_items[from + r * kThreads + threadIdx.x];
#pragma unroll
        for (unsigned r = 0; r < kRound; ++r) {
          if (from + r * kThreads + threadIdx.x >= items) break;
          float v[4];
          elements(given[r], v);
#pragma unroll
          for (int e = 0; e < 4; ++e) squares = fmaf(v[e], v[e], squares);
          out[from + r * kThreads + threadIdx.x] = given[r];
        }
      }
      inv_rms = rsqrtf(block_sum<kThreads>(squares) / k + a.eps);
    }
    for (unsigned from = 0; from < items; from += kRound * kThreads) {
      int2 order[kRound][2] = {};  // input positions of columns c, c + 1 and c + 8, c + 9 (act-order)
      uint2 given[kRound] = {};    // the items as the predecessor wrote them (GemvInput::fragments)
#pragma unroll
      for (unsigned r = 0; r < kRound; ++r) {
        const unsigned i = from + r * kThreads + threadIdx.x;
        if constexpr (kInput == GemvInput::fragments) {
          if (i < items) given[r] = given_items[i];
        } else if constexpr (kInput == GemvInput::rms_norm_fragments) {
          if (i < items) {
            float v[4], g[4];
            elements(out[i], v);
            elements(norm_items[i], g);
            const P low{from_float<T>(rms_normed<T>(v[0], inv_rms, g[0])),
                        from_float<T>(rms_normed<T>(v[1], inv_rms, g[1]))},
                high{from_float<T>(rms_normed<T>(v[2], inv_rms, g[2])),
                     from_float<T>(rms_normed<T>(v[3], inv_rms, g[3]))};
            given[r] = make_uint2(*reinterpret_cast<const uint32_t*>(&low),
                                  *reinterpret_cast<const uint32_t*>(&high));
          }
        } else if (a.input_order) {
#pragma unroll
          for (unsigned h = 0; h < 2; ++h)
            if (i < items && item_column(i) + 8 * h < unsigned(k))
              order[r][h] = *reinterpret_cast<const int2*>(a.input_order + item_column(i) + 8 * h);
        }
      }
#pragma unroll
      for (unsigned r = 0; r < kRound; ++r) {
        if (from + r * kThreads >= items) break;  // alike in the whole block
        const unsigned i = from + r * kThreads + threadIdx.x;
        float sum = 0;
        if (i < items) {
          uint2 item = given[r];  // columns c, c + 1 and c + 8, c + 9 (K is a multiple of 8)
          if constexpr (!kGiven) {
#pragma unroll
            for (unsigned h = 0; h < 2; ++h) {
              const unsigned column = item_column(i) + 8 * h;
              P pair = {};
              if (column < unsigned(k))
                pair = a.input_order ? P{x[order[r][h].x], x[order[r][h].y]}
                                     : *reinterpret_cast<const P*>(x + column);
              (h == 0 ? item.x : item.y) = *reinterpret_cast<const uint32_t*>(&pair);
            }
          }
          float v[4];
          elements(item, v);
          sum = (v[0] + v[1]) + (v[2] + v[3]);
          out[i] = item;
        }
        if constexpr (!kRoundedWeights) {  // add_group's Σx
          sum += __shfl_xor_sync(0xffffffffu, sum, 4);
          sum += __shfl_xor_sync(0xffffffffu, sum, 8);
          if (i < items && (i & 12) == 0) step_sums[i / 16 * 4 + i % 4] = sum;
          sum += __shfl_xor_sync(0xffffffffu, sum, 1);
          sum += __shfl_xor_sync(0xffffffffu, sum, 2);
          if (i < items && (i & 15) == 0) slice_sums[i / 16] = sum;
        }
      }
    }
    cp_async_wait();
    __syncthreads();
  }
  stamp(a, Int4Phase::fragments);

  constexpr int kPartWords = kPerWord ? 1 : 4;  // words (16 columns each) of one group within a slice
  for (int parity = 0; tile < tiles; parity ^= 1) {
    // Tile i + 2 is claimed now, known to all after this tile's barrier; tile i + 1's scales arrive by then.
    if (threadIdx.x == 0)
      claimed[parity] = next_tile < tiles ? int(gridDim.x) * 2 + int(atomicAdd(a.tile_counter, 1u)) : tiles;
    if (next_tile < tiles) copy_scales(next_tile, parity ^ 1);
    const uint32_t* tile_scales = reinterpret_cast<const uint32_t*>(scales + parity * groups * 16);
    // Output m < 16 of the tile (for swiglu m < 8): its row, and its out_column loaded now for the store.
    auto tile_output = [&](int m) {
      return kOutput == GemvOutput::swiglu || m < 8 ? int64_t(tile) * 8 + m
                                                    : a.n / 2 + int64_t(tile) * 8 + m - 8;
    };
    const int outputs = kOutput == GemvOutput::swiglu ? 8 : 16;
    const int column = threadIdx.x < outputs ? int(out_column(a.out_columns, tile_output(threadIdx.x))) : 0;

    float sum0 = 0, sum1 = 0;  // rows r0, r1, scaled
    const uint4 *weight = tile_weight(tile), *next_weight = tile_weight(next_tile);
    // One batch: the next batch's loads into `upcoming` (this tile's, or the next tile's first), then the
    // products of `words`, slices from … from + kDepth − 1. Batches alternate between the two buffers.
    auto run_batch = [&](const uint4(&words)[kDepth], uint4(&upcoming)[kDepth], int from) {
      if (from + kDepth < end)
        load(upcoming, weight + (from + kDepth - first) * kWarp, end - from - kDepth);
      else if (next_tile < tiles)
        load(upcoming, next_weight, end - first);
      const uint4* batch_fragments = fragments + (from * 4 + quad) * 2;
#pragma unroll
      for (int i = 0; i < kDepth; ++i) {
        const int slice = from + i;
        if (slice >= end) break;
        const uint4 b01 = batch_fragments[i * 8], b23 = batch_fragments[i * 8 + 1];
        const uint32_t b[8] = {b01.x, b01.y, b01.z, b01.w, b23.x, b23.y, b23.z, b23.w};
#pragma unroll
        for (int part = 0; part < 4 / kPartWords; ++part) {
          // Padding columns past K have zero inputs: any group's scale will do.
          const int step = slice * 4 + part * kPartWords, g = min((step * 16) >> group_shift, groups - 1);
          float d[4] = {};
#pragma unroll
          for (int j = part * kPartWords; j < (part + 1) * kPartWords; ++j) {
            uint32_t fragment[4];
            if constexpr (kRoundedWeights)
              int4_rounded_fragment((&words[i].x)[j], tile_scales[g * 16 + r0], tile_scales[g * 16 + r1],
                                    fragment);
            else
              int4_fragment((&words[i].x)[j], fragment);
            mma_16x8x16<T>(d, fragment, b[2 * j], b[2 * j + 1]);
          }
          if constexpr (kRoundedWeights) {
            sum0 += d[0];
            sum1 += d[2];
          } else {
            const float xs = kPerWord ? step_sums[step] : slice_sums[slice];
            sum0 = add_group(sum0, tile_scales[g * 16 + r0], d[0], xs);
            sum1 = add_group(sum1, tile_scales[g * 16 + r1], d[2], xs);
          }
        }
      }
    };
    for (int from = first; from < end; from += 2 * kDepth) {
      run_batch(current, next, from);
      if (from + kDepth >= end) {  // an odd number of batches: the next tile's first is in `next`
#pragma unroll
        for (int i = 0; i < kDepth; ++i) current[i] = next[i];
        break;
      }
      run_batch(next, current, from + kDepth);
    }
    float* tile_partials = partials + parity * kWarps * 16;
    if (quad == 0) tile_partials[warp * 16 + r0] = sum0, tile_partials[warp * 16 + r1] = sum1;
    cp_async_wait();
    __syncthreads();
    if (tile == int(blockIdx.x)) stamp(a, Int4Phase::first_tile);  // a block's first tile is its own number

    const int64_t output = tile_output(threadIdx.x);
    tile = next_tile;
    next_tile = claimed[parity];
    if (threadIdx.x >= 16) continue;
    const int m = threadIdx.x;
    float y = 0;
#pragma unroll
    for (int w = 0; w < kWarps; ++w) y += tile_partials[w * 16 + m];
    if constexpr (kOutput == GemvOutput::swiglu) {
      const float up = __shfl_down_sync(0xffffu, y, 8, 16);
      if (m < 8) store_swiglu<T>(a, output, column, y, up);
    } else {
      store_row<T, kOutput>(a, output, column, y);
    }
  }
  stamp(a, Int4Phase::exit);
}

template <typename T, GemvInput kInput, GemvOutput kOutput, typename Shape, bool kPerWord>
void launch_int4_gemv(const GemvArgs& a, cudaStream_t stream) {
  auto kernel = int4_gemv_kernel<T, kInput, kOutput, Shape, kPerWord>;
  const size_t shared = Int4Shared(a, sizeof(T), Shape::kWarps).total;
  if (shared > 48 * 1024)
    cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, int(shared));
  int resident = 1;
  cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident, kernel, Shape::kThreads, shared);
  const int64_t blocks =
      std::min<int64_t>(int4_rows(a) / 16, int64_t(multiprocessors()) * std::max(resident, 1));
  launch(kernel, dim3(static_cast<unsigned>(blocks)), dim3(Shape::kThreads), shared, stream, a);
}

// The launch shape of `a`: the one it names, else 16 warps when there are fewer tiles than 3 blocks per
// multiprocessor would take one each (their slices over more warps: fewer batches per tile), else 8.
int int4_shape_of(const GemvArgs& a) {
  if (a.int4_shape >= 0) return a.int4_shape;
  return int4_rows(a) / 16 < 3 * multiprocessors() ? 1 : 0;
}

// The shared memory a block of the 4-bit kernel takes for `a` in its launch shape: Int4Shared's, and the
// kernel's own (`claimed`, block_sum's warp sums).
size_t int4_gemv_shared_bytes(const GemvArgs& a) {
  static const auto warps =
      std::apply([](auto... shape) { return std::array{decltype(shape)::kWarps...}; }, Int4Shapes());
  return Int4Shared(a, sizeof(__half), warps[int4_shape_of(a)]).total + 2 * sizeof(int) + 32 * sizeof(float);
}

int max_shared_per_block() {
  static const int bytes = device_attribute(cudaDevAttrMaxSharedMemoryPerBlockOptin);
  return bytes;
}

// LLMDROP_INT4_SHAPE: one launch shape for every product that names none, to compare shapes in whole models
// (read at each launch, so a test can go through them); checked by gemv like a named one.
GemvArgs with_forced_shape(const GemvArgs& given) {
  GemvArgs args = given;
  if (const char* forced = std::getenv("LLMDROP_INT4_SHAPE"); forced && args.int4_shape < 0)
    args.int4_shape = std::atoi(forced);
  return args;
}

template <typename T, GemvInput kInput, GemvOutput kOutput, size_t... I>
void launch_int4_gemv(const GemvArgs& a, cudaStream_t stream, std::index_sequence<I...>) {
  const int shape = int4_shape_of(a);
  const bool per_word = a.group_size < 64;
  ((shape == int(I)
        ? (per_word
               ? launch_int4_gemv<T, kInput, kOutput, std::tuple_element_t<I, Int4Shapes>, true>(a, stream)
               : launch_int4_gemv<T, kInput, kOutput, std::tuple_element_t<I, Int4Shapes>, false>(a, stream))
        : void()),
   ...);
}

template <typename T, GemvInput kInput, GemvOutput kOutput>
void launch_gemv(const GemvArgs& a, cudaStream_t stream) {
  constexpr bool kFragments = kInput == GemvInput::fragments || kInput == GemvInput::rms_norm_fragments;
  if (kFragments || a.scale_zero)
    return launch_int4_gemv<T, kInput, kOutput>(a, stream,
                                                std::make_index_sequence<std::tuple_size_v<Int4Shapes>>());
  if constexpr (!kFragments)
    launch_gemv<T, kInput, kOutput, DenseRows<T, kOutput == GemvOutput::swiglu ? 2 : 1>>(a, stream);
}

template <typename T, GemvInput kInput>
void launch_gemv(const GemvArgs& a, cudaStream_t stream) {
  switch (a.output) {
    case GemvOutput::store:
      return launch_gemv<T, kInput, GemvOutput::store>(a, stream);
    case GemvOutput::add_to:
      return launch_gemv<T, kInput, GemvOutput::add_to>(a, stream);
    case GemvOutput::swiglu:
      return launch_gemv<T, kInput, GemvOutput::swiglu>(a, stream);
  }
}

template <typename T>
void gemv_typed(const GemvArgs& a, cudaStream_t stream) {
  switch (a.input) {
    case GemvInput::plain:
      return launch_gemv<T, GemvInput::plain>(a, stream);
    case GemvInput::rms_norm:
      return launch_gemv<T, GemvInput::rms_norm>(a, stream);
    case GemvInput::fragments:
      return launch_gemv<T, GemvInput::fragments>(a, stream);
    case GemvInput::rms_norm_fragments:
      return launch_gemv<T, GemvInput::rms_norm_fragments>(a, stream);
  }
}

// ---- decode attention ------------------------------------------------------------------------------------

constexpr int kAttentionThreads = 128;
constexpr int kAttentionWarps = kAttentionThreads / kWarp;
constexpr int kPasses = 4;  // passes over a block's position slots per chunk
// Cache positions a block takes at a time: kPasses times the positions its threads cover at once (8 elements
// of a position per thread).
__host__ __device__ constexpr int chunk_positions(int head_dim) {
  return kPasses * kAttentionThreads * 8 / head_dim;
}

// Block (b, key/value head g) of B blocks per head: the visible chunks first + b, first + b + B, … of the
// cache, for the kGroup query heads of g. The lanes of a position each hold 8 of its D elements (kLanes =
// D/8), so a warp covers 32/kLanes positions per pass and the block kSlots, in kPasses passes per chunk. Each
// warp keeps its own online softmax (running max, sum, weighted values) across its positions, so chunks need
// no block-wide synchronisation, and the next chunk's keys and values load while this one is computed. The
// block merges its warps into a partial (acc, max, sum) per query head; the block that finishes last for g
// merges the blocks' partials.
template <typename T, int D, int kGroup>
__global__ void __launch_bounds__(kAttentionThreads) decode_attention_kernel(DecodeAttentionArgs a) {
  constexpr int kLanes = D / 8, kSlots = kAttentionThreads / kLanes, kChunk = chunk_positions(D);
  const int block = blockIdx.x, kv_head = blockIdx.y;
  const int64_t position = *a.position;
  const int64_t lo = a.window > 0 ? max(int64_t(0), position - a.window + 1) : 0;  // first visible position
  const int first = static_cast<int>(lo / kChunk), last = static_cast<int>(position / kChunk);
  const int active = min(int(gridDim.x), last - first + 1);
  if (block >= active) return;

  __shared__ float q[kGroup * D];                          // rotated queries
  __shared__ float warp_acc[kAttentionWarps][kGroup * D];  // each warp's weighted values
  __shared__ float warp_max[kAttentionWarps][kGroup], warp_total[kAttentionWarps][kGroup];
  __shared__ bool merges;

  const int tid = threadIdx.x, lane = tid % kWarp, warp = tid / kWarp;
  const int slot = tid / kLanes, part = tid % kLanes;  // position slot, and which 8 elements of it
  T* keys = static_cast<T*>(a.keys) + int64_t(kv_head) * a.capacity * D;
  T* values = static_cast<T*>(a.values) + int64_t(kv_head) * a.capacity * D;
  auto slot_position = [&](int chunk, int p) { return int64_t(chunk) * kChunk + p * kSlots + slot; };
  auto visible = [&](int64_t j) { return j >= lo && j <= position; };
  // A chunk's keys and values for this thread (read once: evict-first in L2); the new position's only once
  // it has been written.
  auto load = [&](int chunk, uint4(&k)[kPasses], uint4(&v)[kPasses], bool with_new) {
#pragma unroll
    for (int p = 0; p < kPasses; ++p) {
      const int64_t j = slot_position(chunk, p);
      const bool ok = visible(j) && (with_new || j != position);
      k[p] = ok ? __ldcs(reinterpret_cast<const uint4*>(keys + j * D) + part) : make_uint4(0, 0, 0, 0);
      v[p] = ok ? __ldcs(reinterpret_cast<const uint4*>(values + j * D) + part) : make_uint4(0, 0, 0, 0);
    }
  };
  uint4 k_a[kPasses], v_a[kPasses], k_b[kPasses], v_b[kPasses];
  load(first + block, k_a, v_a, false);  // cached data: in flight before the predecessor has finished

  wait_for_predecessor();
  allow_successor();
  const T* qkv = static_cast<const T*>(a.qkv);
  const T* cos = static_cast<const T*>(a.cos) + position * D;
  const T* signed_sin = static_cast<const T*>(a.signed_sin) + position * D;
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
  __syncthreads();  // also makes the new key and value visible to the whole block

  // This warp's online softmax per query head: running max and sum (alike in every lane) and this thread's
  // 8 elements of the weighted value sum over its slot's positions.
  float running_max[kGroup], running_sum[kGroup], acc[kGroup][8] = {};
#pragma unroll
  for (int h = 0; h < kGroup; ++h) {
    running_max[h] = -INFINITY;
    running_sum[h] = 0;
  }
  auto process = [&](int chunk, uint4(&k)[kPasses], uint4(&v)[kPasses]) {
    if (chunk == last)
#pragma unroll
      for (int p = 0; p < kPasses; ++p)
        if (slot_position(chunk, p) == position) {
          k[p] = reinterpret_cast<const uint4*>(keys + position * D)[part];
          v[p] = reinterpret_cast<const uint4*>(values + position * D)[part];
        }
    float weights[kGroup][kPasses];  // scores q·k·scale, then exp(score − running max); invisible: −inf, 0
#pragma unroll
    for (int p = 0; p < kPasses; ++p) {
      float k8[8];
      unpack8<T>(k[p], k8);
      const bool seen = visible(slot_position(chunk, p));
#pragma unroll
      for (int h = 0; h < kGroup; ++h) {
        const float* qh = q + h * D + part * 8;
        float dot = 0;
#pragma unroll
        for (int e = 0; e < 8; ++e) dot = fmaf(qh[e], k8[e], dot);
        const float score = warp_sum(dot, kLanes) * a.scale;  // every lane shuffles, seen or not
        weights[h][p] = seen ? score : -INFINITY;
      }
    }
#pragma unroll
    for (int h = 0; h < kGroup; ++h) {
      float chunk_max = -INFINITY;
#pragma unroll
      for (int p = 0; p < kPasses; ++p) chunk_max = fmaxf(chunk_max, weights[h][p]);
      for (int offset = kLanes; offset < kWarp; offset *= 2)
        chunk_max = fmaxf(chunk_max, __shfl_xor_sync(kFullMask, chunk_max, offset));
      const float new_max = fmaxf(running_max[h], chunk_max);
      // Still −inf when none of this warp's positions so far was visible: nothing to rescale or add.
      const float rescale = new_max == -INFINITY ? 1.0f : __expf(running_max[h] - new_max);
      float added = 0;
#pragma unroll
      for (int p = 0; p < kPasses; ++p) {
        weights[h][p] = weights[h][p] == -INFINITY ? 0.0f : __expf(weights[h][p] - new_max);
        added += weights[h][p];
      }
      for (int offset = kLanes; offset < kWarp; offset *= 2)
        added += __shfl_xor_sync(kFullMask, added, offset);
      running_sum[h] = running_sum[h] * rescale + added;
      running_max[h] = new_max;
#pragma unroll
      for (int e = 0; e < 8; ++e) acc[h][e] *= rescale;
    }
#pragma unroll
    for (int p = 0; p < kPasses; ++p) {
      float v8[8];
      unpack8<T>(v[p], v8);
#pragma unroll
      for (int h = 0; h < kGroup; ++h)
#pragma unroll
        for (int e = 0; e < 8; ++e) acc[h][e] = fmaf(weights[h][p], v8[e], acc[h][e]);
    }
  };
  for (int chunk = first + block; chunk <= last; chunk += 2 * active) {
    const int next = chunk + active;
    if (next <= last) load(next, k_b, v_b, true);
    process(chunk, k_a, v_a);
    if (next > last) break;
    if (next + active <= last) load(next + active, k_a, v_a, true);
    process(next, k_b, v_b);
  }

  // Sum over the warp's slots (one running max per warp), then merge the warps.
#pragma unroll
  for (int h = 0; h < kGroup; ++h) {
#pragma unroll
    for (int e = 0; e < 8; ++e) {
      float v = acc[h][e];
      for (int offset = kLanes; offset < kWarp; offset *= 2) v += __shfl_xor_sync(kFullMask, v, offset);
      if (lane < kLanes) warp_acc[warp][h * D + part * 8 + e] = v;
    }
    if (lane == 0) {
      warp_max[warp][h] = running_max[h];
      warp_total[warp][h] = running_sum[h];
    }
  }
  __syncthreads();
  // This block's partial per query head: (acc[D], max, sum), in (H, blocks, D + 2). Every block has a visible
  // position, so its max is finite; a warp that saw none weighs exp(−inf) = 0.
  auto partial = [&](int h, int b) {
    return a.partials + (int64_t(kv_head * kGroup + h) * gridDim.x + b) * (D + 2);
  };
  for (int i = tid; i < kGroup * D; i += kAttentionThreads) {
    const int h = i / D;
    float m = -INFINITY;
#pragma unroll
    for (int w = 0; w < kAttentionWarps; ++w) m = fmaxf(m, warp_max[w][h]);
    float total = 0, sum = 0;
#pragma unroll
    for (int w = 0; w < kAttentionWarps; ++w) {
      const float weight = __expf(warp_max[w][h] - m);
      total += weight * warp_acc[w][i];
      sum += weight * warp_total[w][h];
    }
    partial(h, block)[i % D] = total;
    if (i % D == 0) {
      partial(h, block)[D] = m;
      partial(h, block)[D + 1] = sum;
    }
  }

  // The last block of this key/value head to finish merges every block's partial.
  __threadfence();
  __syncthreads();
  if (tid == 0) merges = atomicAdd(a.counters + kv_head, 1u) == unsigned(active - 1);
  __syncthreads();
  if (!merges) return;
  __threadfence();
  T* out = static_cast<T*>(a.out);
  // One online merge over the partials, kBatch blocks' loads in flight at a time.
  constexpr int kBatch = 16;
  for (int i = tid; i < kGroup * D; i += kAttentionThreads) {
    const int h = i / D, d = i % D;
    // Where the output goes in out_fragments; its load overlaps the partials'.
    const int64_t column = kv_head * kGroup * D + i,
                  at = a.out_fragments ? fragment_position(out_column(a.out_columns, column)) : 0;
    float m = -INFINITY, total = 0, weighted = 0;
    for (int b0 = 0; b0 < active; b0 += kBatch) {
      float block_max[kBatch], block_sum[kBatch], block_acc[kBatch];
#pragma unroll
      for (int j = 0; j < kBatch; ++j) {
        const bool ok = b0 + j < active;
        block_max[j] = ok ? __ldcg(partial(h, b0 + j) + D) : -INFINITY;
        block_sum[j] = ok ? __ldcg(partial(h, b0 + j) + D + 1) : 0.0f;
        block_acc[j] = ok ? __ldcg(partial(h, b0 + j) + d) : 0.0f;
      }
      float new_max = m;
#pragma unroll
      for (int j = 0; j < kBatch; ++j) new_max = fmaxf(new_max, block_max[j]);
      const float rescale = __expf(m - new_max);  // every block's max is finite: 0 on the first batch
      total *= rescale;
      weighted *= rescale;
#pragma unroll
      for (int j = 0; j < kBatch; ++j) {
        const float w = __expf(block_max[j] - new_max);
        total += w * block_sum[j];
        weighted += w * block_acc[j];
      }
      m = new_max;
    }
    const T value = from_float<T>(weighted / total);
    if (out) out[column] = value;
    if (a.out_fragments) static_cast<T*>(a.out_fragments)[at] = value;
  }
  if (tid == 0) a.counters[kv_head] = 0;
}

// As many blocks as fit on the device at once, shared among the key/value heads, but no more than chunks.
template <typename Kernel>
unsigned attention_blocks_per_head(int capacity, int kv_heads, int head_dim, Kernel kernel) {
  int per_multiprocessor = 1;
  cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_multiprocessor, kernel, kAttentionThreads, 0);
  const int chunks = (capacity + chunk_positions(head_dim) - 1) / chunk_positions(head_dim);
  return static_cast<unsigned>(std::clamp(per_multiprocessor * multiprocessors() / kv_heads, 1, chunks));
}

template <typename T, int D, int kGroup>
void launch_attention(const DecodeAttentionArgs& a, cudaStream_t stream) {
  auto kernel = decode_attention_kernel<T, D, kGroup>;
  launch(kernel, dim3(attention_blocks_per_head(a.capacity, a.kv_heads, D, kernel), a.kv_heads),
         dim3(kAttentionThreads), 0, stream, a);
}

template <typename T, int D>
void launch_attention(const DecodeAttentionArgs& a, cudaStream_t stream) {
  static_assert(kWarp % (D / 8) == 0);
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

}  // namespace

void gemv(ElementType type, const GemvArgs& given, cudaStream_t stream) {
  const GemvArgs args = with_forced_shape(given);
  if (args.k % 8 != 0 || args.k > 49152)
    throw std::invalid_argument("gemv: K = " + std::to_string(args.k) +
                                " must be a multiple of 8 up to 49152");
  const bool one_group = args.group_size == args.k,
             power_of_two = (args.group_size & (args.group_size - 1)) == 0;
  if (args.int4_shape >= int(std::tuple_size_v<Int4Shapes>))
    throw std::invalid_argument("gemv: no 4-bit launch shape " + std::to_string(args.int4_shape));
  if ((args.input == GemvInput::fragments || args.input == GemvInput::rms_norm_fragments) && !args.scale_zero)
    throw std::invalid_argument("gemv: an input in fragment order needs a 4-bit weight");
  if (args.out_fragments && args.output == GemvOutput::store)
    throw std::invalid_argument("gemv: outputs in fragment order are for add_to and swiglu only");
  if (!args.out && !(args.out_fragments && args.output == GemvOutput::swiglu))
    throw std::invalid_argument("gemv: no output (only a swiglu output may go to out_fragments alone)");
  if (args.scale_zero && !args.tile_counter)
    throw std::invalid_argument("gemv: 4-bit weights need a tile_counter");
  if (args.scale_zero && (args.group_size < 16 || args.k % args.group_size != 0 ||
                          !(one_group || power_of_two) || int4_rows(args) % 16 != 0))
    throw std::invalid_argument("gemv: 4-bit weights need groups of 16, 32, 64… columns dividing K (" +
                                std::to_string(args.k) + "), or one group per row, and rows in tiles of 16");
  if (args.scale_zero && !int4_gemv_fits(args))
    throw std::invalid_argument("gemv: a 4-bit product over K = " + std::to_string(args.k) +
                                " in groups of " + std::to_string(args.group_size) + " needs " +
                                std::to_string(int4_gemv_shared_bytes(args) / 1024) +
                                " KB of shared memory per block, more than this GPU's " +
                                std::to_string(max_shared_per_block() / 1024) + " KB");
  if (type == ElementType::bfloat16)
    gemv_typed<__nv_bfloat16>(args, stream);
  else
    gemv_typed<__half>(args, stream);
  check_launch("gemv");
}

#ifdef LLMDROP_INT4_STAMPS
void read_int4_stamps(unsigned long long* out) {
  void* stamps = nullptr;
  cudaGetSymbolAddress(&stamps, int4_stamps);
  cudaMemcpy(out, stamps, sizeof(int4_stamps), cudaMemcpyDeviceToHost);
  cudaMemset(stamps, 0, sizeof(int4_stamps));
  check_launch("read_int4_stamps");
}
#endif

bool int4_gemv_fits(const GemvArgs& args) {
  const GemvArgs resolved = with_forced_shape(args);
  return resolved.int4_shape >= int(std::tuple_size_v<Int4Shapes>) ||  // gemv refuses it for that
         int4_gemv_shared_bytes(resolved) <= size_t(max_shared_per_block());
}

std::vector<std::string> int4_gemv_shapes() {
  return std::apply(
      [](auto... shape) {
        return std::vector<std::string>{(std::to_string(decltype(shape)::kWarps) + " warps, " +
                                         std::to_string(decltype(shape)::kDepth) + " loads")...};
      },
      Int4Shapes());
}

bool decode_attention_supports(int head_dim, int heads, int kv_heads) {
  const bool dim_ok =
      head_dim == 16 || head_dim == 32 || head_dim == 64 || head_dim == 128 || head_dim == 256;
  const int group = kv_heads > 0 && heads % kv_heads == 0 ? heads / kv_heads : 0;
  return dim_ok && (group == 1 || group == 2 || group == 4 || group == 8);
}

int64_t decode_attention_workspace(int heads, int capacity, int head_dim) {
  return int64_t(heads) * ((capacity + chunk_positions(head_dim) - 1) / chunk_positions(head_dim)) *
         (head_dim + 2);
}

void decode_attention(ElementType type, const DecodeAttentionArgs& args, cudaStream_t stream) {
  if (!decode_attention_supports(args.head_dim, args.heads, args.kv_heads))
    throw std::invalid_argument("decode attention: unsupported head layout");
  if (!args.out && !args.out_fragments) throw std::invalid_argument("decode attention: no output");
  if (type == ElementType::bfloat16)
    attention_typed<__nv_bfloat16>(args, stream);
  else
    attention_typed<__half>(args, stream);
  check_launch("decode attention");
}

}  // namespace llmdrop::cuda
