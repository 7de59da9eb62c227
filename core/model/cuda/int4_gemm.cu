#include "model/cuda/int4_gemm.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstdlib>
#include <stdexcept>
#include <tuple>
#include <type_traits>

#include "model/cuda/element_math.cuh"
#include "model/cuda/int4_math.cuh"

namespace llmdrop::cuda {

namespace {

// A launch shape: kWarpgroups warpgroups of 4 warps; warp w of a block takes Int4Weight's tile kTiles ·
// blockIdx.x + w (16 rows), so that a warpgroup's 4 tiles are the A operand (64 rows) of wgmma, from
// registers. The block's kTokens inputs are the B operand (N = kTokens), from shared memory. Each warpgroup
// holds kTokens / 2 float32 sums per thread. Bytes the block reads per 64-column slice: kTokens · 128 of
// inputs and kTiles · 512 of codes, for 64 · kWarpgroups · kTokens products (the inputs are read again by
// every block of rows, from L2: the wider the block, the fewer such reads).
template <int kWarpgroups_, int kTokens_, int kInFlight_>
struct Int4GemmShape {
  static constexpr int kWarpgroups = kWarpgroups_, kTokens = kTokens_, kThreads = kWarpgroups * 128,
                       kTiles = kWarpgroups * 4;
  // Slices whose products may still run when the next slice's weights are built (each holds its own
  // fragments, 16 registers).
  static constexpr int kInFlight = kInFlight_;
  static constexpr int kSliceBytes = kTokens * 128;  // a 64-column slice of the inputs, 16-bit
  // Slices in shared memory: the one in use, those whose products may still run, kAhead coming.
  static constexpr int kStages = (200 * 1024) / kSliceBytes, kAhead = kStages - 1 - kInFlight;
  static constexpr size_t kSharedBytes = size_t(kStages) * kSliceBytes + 1024;  // + alignment of the atoms
};
// int4_gemm_shapes()'s order.
using Int4GemmShapes = std::tuple<Int4GemmShape<2, 256, 1>, Int4GemmShape<2, 256, 2>>;

__device__ __forceinline__ void cp_async16(uint32_t shared, const void* global, int bytes) {
  // bytes < 16: the rest is zero-filled
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;" ::"r"(shared), "l"(global), "r"(bytes));
}
__device__ __forceinline__ void cp_async_commit() {
  asm volatile("cp.async.commit_group;" ::: "memory");
}
template <int kPending>
__device__ __forceinline__ void cp_async_wait() {
  asm volatile("cp.async.wait_group %0;" ::"n"(kPending) : "memory");
}

// 16-bit inputs of one 64-column slice in wgmma's 128-byte swizzle, K-major: token t's 128 bytes at 128·t,
// its 16-byte chunk c at chunk c ^ (t % 8) (atoms of 8 tokens, 1024 bytes, 1024-aligned). The descriptor
// starts at `address` (plus 32 bytes per 16 columns within the slice); atoms lie 1024 bytes apart.
__device__ __forceinline__ uint64_t swizzled_descriptor(uint32_t address) {
  return uint64_t((address & 0x3ffff) >> 4) | (uint64_t(1) << 16) | (uint64_t(1024 >> 4) << 32) |
         (uint64_t(1) << 62);
}

#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
__device__ __forceinline__ void wgmma_fence() {
  asm volatile("wgmma.fence.sync.aligned;" ::: "memory");
}
__device__ __forceinline__ void wgmma_commit() {
  asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
}
template <int kPending>
__device__ __forceinline__ void wgmma_wait() {
  asm volatile("wgmma.wait_group.sync.aligned %0;" ::"n"(kPending) : "memory");
}

#define LLMDROP_D8(i)                                                                         \
  "+f"(d[i]), "+f"(d[i + 1]), "+f"(d[i + 2]), "+f"(d[i + 3]), "+f"(d[i + 4]), "+f"(d[i + 5]), \
      "+f"(d[i + 6]), "+f"(d[i + 7])
#define LLMDROP_WGMMA_M64N128K16(type)                                                                       \
  asm volatile(                                                                                              \
      "{\n.reg .pred p;\nsetp.ne.b32 p, %69, 0;\n"                                                           \
      "wgmma.mma_async.sync.aligned.m64n128k16.f32." type "." type                                           \
      " {%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19, %20, "    \
      "%21, "                                                                                                \
      "%22, %23, %24, %25, %26, %27, %28, %29, %30, %31, %32, %33, %34, %35, %36, %37, %38, %39, %40, %41, " \
      "%42, %43, %44, %45, %46, %47, %48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, " \
      "%62, %63}, {%64, %65, %66, %67}, %68, p, 1, 1, 0;\n}\n"                                               \
      : LLMDROP_D8(0), LLMDROP_D8(8), LLMDROP_D8(16), LLMDROP_D8(24), LLMDROP_D8(32), LLMDROP_D8(40),        \
        LLMDROP_D8(48), LLMDROP_D8(56)                                                                       \
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b), "r"(1))

// d (64 rows × 128 tokens, wgmma's accumulator layout) += A (64 × 16, this warp's 16 rows in registers) · B
// (16 × 128, shared memory).
template <typename T>
__device__ __forceinline__ void wgmma_m64n128k16(float (&d)[64], const uint32_t (&a)[4], uint64_t b) {
  if constexpr (std::is_same_v<T, __half>)
    LLMDROP_WGMMA_M64N128K16("f16");
  else
    LLMDROP_WGMMA_M64N128K16("bf16");
}
#undef LLMDROP_WGMMA_M64N128K16
#undef LLMDROP_D8

// Keeps the compiler from moving reads of wgmma's results above the wait for them.
__device__ __forceinline__ void pin(float& v) {
  asm volatile("" : "+f"(v)::"memory");
}
#endif

// Per 64-column slice s: the block's inputs arrive by cp.async kAhead slices ahead into a ring of kStages
// buffers, each warp's 16 bytes of codes per lane kWordsAhead slices ahead into registers; the codes become
// float16 weights (int4_rounded_fragment: exactly the dequantized matrix's) while slice s − 1's products
// still run, and slice s's 4 · kTokens / 128 wgmma per warpgroup are then issued without waiting for them. A
// buffer is refilled once the products of the slice before last, which read it, are done. Lane t's rows are
// r0 = t/4 and r1 = r0 + 8 of its tile; tile row m < 8 is weight row 8·tile + m, m ≥ 8 row N/2 + 8·tile + m
// − 8.
template <typename T, typename Shape>
__global__ void __launch_bounds__(Shape::kThreads, 1) int4_gemm_kernel(Int4GemmArgs a) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  constexpr int kHalves = Shape::kTokens / 128, kStages = Shape::kStages, kAhead = Shape::kAhead;
  constexpr int kSliceBytes = Shape::kSliceBytes;
  constexpr int kWordsAhead = 2;  // slices of codes loaded into registers ahead of the one in use
  extern __shared__ uint8_t shared_bytes[];
  const uint32_t ring = (static_cast<uint32_t>(__cvta_generic_to_shared(shared_bytes)) + 1023) & ~1023u;
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32, r0 = lane / 4, r1 = r0 + 8;
  const int64_t tiles = a.n / 16, tile = int64_t(blockIdx.x) * Shape::kTiles + warp;
  const bool has_tile = tile < tiles;  // a block's last warps may have none: zero codes, no stores
  const int slices = static_cast<int>((a.k + 63) / 64), groups = static_cast<int>(a.k / a.group_size);
  const int group_shift = a.group_size == a.k ? 30 : __ffs(static_cast<int>(a.group_size)) - 1;
  const int64_t first_token = int64_t(blockIdx.y) * Shape::kTokens;
  const uint4* words = reinterpret_cast<const uint4*>(a.words) + (has_tile ? tile : 0) * slices * 32 + lane;
  const uint32_t* scale_zero =
      reinterpret_cast<const uint32_t*>(a.scale_zero) + (has_tile ? tile : 0) * groups * 16;

  // Thread i copies chunk i % 8 of tokens i / 8 + 32p (p < kTokens / 32): one swizzled place per thread.
  constexpr int kCopies = Shape::kTokens * 8 / Shape::kThreads;
  const int chunk = threadIdx.x % 8, first_row = threadIdx.x / 8;
  const T* input = static_cast<const T*>(a.x) + (first_token + first_row) * a.x_stride + chunk * 8;
  const uint32_t place = first_row * 128 + ((chunk ^ (first_row % 8)) << 4);
  auto load_inputs = [&](int slice) {  // into buffer slice % kStages; zeros past M and K
    if (slice < slices) {
      const uint32_t buffer = ring + (slice % kStages) * kSliceBytes + place;
      const bool column_inside = int64_t(slice) * 64 + chunk * 8 < a.k;
#pragma unroll
      for (int p = 0; p < kCopies; ++p) {
        const int64_t row = int64_t(first_row) + p * (Shape::kThreads / 8);
        const bool inside = column_inside && first_token + row < a.m;
        cp_async16(buffer + p * (Shape::kThreads / 8) * 128,
                   inside ? input + p * (Shape::kThreads / 8) * a.x_stride + slice * 64 : a.x,
                   inside ? 16 : 0);
      }
    }
    cp_async_commit();  // empty past the last slice: the groups keep counting slices
  };
  auto load_words = [&](int slice) {
    return has_tile && slice < slices ? load_streaming(words + int64_t(slice) * 32) : make_uint4(0, 0, 0, 0);
  };

  float sums[kHalves][64] = {};  // tokens 128h … 128h + 127 of the block
  uint4 ahead[kWordsAhead];
#pragma unroll
  for (int i = 0; i < kWordsAhead; ++i) ahead[i] = load_words(i);
  for (int s = 0; s < kAhead; ++s) load_inputs(s);

  auto step = [&](int s, uint32_t(&fragments)[4][4]) {
    wgmma_wait<Shape::kInFlight>();  // slice s − 1 − kInFlight's products are done: fragments, buffer free
    const uint4 codes = ahead[0];
#pragma unroll
    for (int i = 0; i + 1 < kWordsAhead; ++i) ahead[i] = ahead[i + 1];
    ahead[kWordsAhead - 1] = load_words(s + kWordsAhead);
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      // Padding columns past K have zero inputs: any group's scale will do.
      const int g = min(((s * 64 + 16 * j) >> group_shift), groups - 1);
      const uint32_t sz0 = has_tile ? scale_zero[g * 16 + r0] : 0,
                     sz1 = has_tile ? scale_zero[g * 16 + r1] : 0;
      int4_rounded_fragment((&codes.x)[j], sz0, sz1, fragments[j]);
      if constexpr (std::is_same_v<T, __nv_bfloat16>) {
#pragma unroll
        for (int i = 0; i < 4; ++i) {  // the float16 weights, rounded to bfloat16 as the dequantized matrix
          const __nv_bfloat162 w =
              __float22bfloat162_rn(__half22float2(*reinterpret_cast<__half2*>(&fragments[j][i])));
          fragments[j][i] = *reinterpret_cast<const uint32_t*>(&w);
        }
      }
    }
    cp_async_wait<kAhead - 1>();                                  // slice s has landed
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");  // cp.async's writes, visible to wgmma
    __syncthreads();
    load_inputs(s + kAhead);  // into slice s − 1 − kInFlight's buffer
    wgmma_fence();
    const uint32_t buffer = ring + (s % kStages) * kSliceBytes;
#pragma unroll
    for (int j = 0; j < 4; ++j)
#pragma unroll
      for (int h = 0; h < kHalves; ++h)
        wgmma_m64n128k16<T>(sums[h], fragments[j], swizzled_descriptor(buffer + h * 128 * 128 + 32 * j));
    wgmma_commit();
  };
  uint32_t fragment_buffers[Shape::kInFlight + 1][4][4];  // in turn, while the slices before run
  for (int s = 0; s < slices; s += Shape::kInFlight + 1)
#pragma unroll
    for (int b = 0; b <= Shape::kInFlight; ++b)
      if (s + b < slices) step(s + b, fragment_buffers[b]);
  wgmma_wait<0>();
#pragma unroll
  for (int h = 0; h < kHalves; ++h)
#pragma unroll
    for (int i = 0; i < 64; ++i) pin(sums[h][i]);
  if (!has_tile) return;

  // sums[h][4i + e]: row r0 (e < 2) or r1, token 128h + 8i + 2·(lane % 4) + e % 2 of the block.
  const int64_t rows[2] = {8 * tile + r0, a.n / 2 + 8 * tile + r0};
  float bias[2] = {};
  if (a.bias)
#pragma unroll
    for (int r = 0; r < 2; ++r) bias[r] = to_float(static_cast<const T*>(a.bias)[rows[r]]);
  T* out = static_cast<T*>(a.out);
#pragma unroll
  for (int h = 0; h < kHalves; ++h)
#pragma unroll
    for (int i = 0; i < 16; ++i)
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const int64_t token = first_token + 128 * h + 8 * i + 2 * (lane % 4) + e % 2;
        if (token < a.m) out[token * a.n + rows[e / 2]] = from_float<T>(sums[h][4 * i + e] + bias[e / 2]);
      }
#else
  __trap();  // int4_gemm_supported() keeps launches away from builds without sm_90a
#endif
}

__global__ void sm90a_probe(int* built_for_sm90a) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  *built_for_sm90a = 1;
#else
  *built_for_sm90a = 0;
#endif
}

template <typename T, typename Shape>
void launch_int4_gemm(const Int4GemmArgs& a, cudaStream_t stream) {
  auto kernel = int4_gemm_kernel<T, Shape>;
  cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, int(Shape::kSharedBytes));
  const dim3 grid(static_cast<unsigned>((a.n / 16 + Shape::kTiles - 1) / Shape::kTiles),
                  static_cast<unsigned>((a.m + Shape::kTokens - 1) / Shape::kTokens));
  kernel<<<grid, Shape::kThreads, Shape::kSharedBytes, stream>>>(a);
}

template <typename T, size_t... I>
void launch_int4_gemm(const Int4GemmArgs& a, cudaStream_t stream, std::index_sequence<I...>) {
  const int shape = a.shape >= 0 ? a.shape : 0;
  ((shape == int(I) ? launch_int4_gemm<T, std::tuple_element_t<I, Int4GemmShapes>>(a, stream) : void()), ...);
}

bool aligned16(const void* p) {
  return reinterpret_cast<uintptr_t>(p) % 16 == 0;
}

}  // namespace

bool int4_gemm_supported() {
  static const bool supported = [] {
    int device = 0, major = 0, minor = 0;
    if (cudaGetDevice(&device) != cudaSuccess) return false;
    cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device);
    cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device);
    if (major != 9 || minor != 0) return false;
    int* flag = nullptr;
    int built = 0;
    if (cudaMalloc(&flag, sizeof(int)) != cudaSuccess) return false;
    sm90a_probe<<<1, 1>>>(flag);
    const bool ran = cudaMemcpy(&built, flag, sizeof(int), cudaMemcpyDeviceToHost) == cudaSuccess;
    cudaFree(flag);
    return ran && built == 1;
  }();
  return supported;
}

std::vector<std::string> int4_gemm_shapes() {
  std::vector<std::string> names;
  std::apply(
      [&](auto... shape) {
        ((names.push_back(std::to_string(decltype(shape)::kWarpgroups * 64) + " rows × " +
                          std::to_string(decltype(shape)::kTokens) + " tokens, " +
                          std::to_string(decltype(shape)::kInFlight) + " slices in flight")),
         ...);
      },
      Int4GemmShapes());
  return names;
}

void int4_gemm(ElementType type, const Int4GemmArgs& given, cudaStream_t stream) {
  // LLMDROP_INT4_GEMM_SHAPE: one launch shape for every product that names none, to compare shapes in whole
  // models (read at each launch, so a test can go through them); checked below like a named one.
  Int4GemmArgs args = given;
  if (const char* forced = std::getenv("LLMDROP_INT4_GEMM_SHAPE"); forced && args.shape < 0)
    args.shape = std::atoi(forced);
  const bool groups_ok = args.group_size > 0 && args.group_size % 16 == 0 && args.k % args.group_size == 0 &&
                         (args.group_size == args.k || (args.group_size & (args.group_size - 1)) == 0);
  if (args.n % 16 != 0 || args.k % 8 != 0 || !groups_ok || args.x_stride % 8 != 0 || !aligned16(args.x))
    throw std::invalid_argument(
        "int4_gemm: rows in tiles of 16, K a multiple of 8, groups of a power of two (from 16) columns or "
        "one per "
        "row, the input's rows 16-byte aligned");
  if (args.shape >= int(std::tuple_size_v<Int4GemmShapes>))
    throw std::invalid_argument("int4_gemm: no launch shape " + std::to_string(args.shape));
  if (!int4_gemm_supported())
    throw std::runtime_error("int4_gemm: needs a Hopper GPU and kernels built for sm_90a");
  if (args.m == 0 || args.n == 0) return;
  constexpr auto shapes = std::make_index_sequence<std::tuple_size_v<Int4GemmShapes>>();
  if (type == ElementType::bfloat16)
    launch_int4_gemm<__nv_bfloat16>(args, stream, shapes);
  else
    launch_int4_gemm<__half>(args, stream, shapes);
  check_launch("int4_gemm");
}

}  // namespace llmdrop::cuda
