#pragma once
// Fused CUDA kernels for one 16-bit decode step at batch 1, where every weight is read once and the step is
// bound by memory bandwidth: matrix–vector products with the RMS normalisation, SwiGLU and the residual add
// folded in, and split-K decode attention with RoPE and the cache write folded in. Each intermediate is
// rounded to the element type where transformers rounds it. Raw pointers; the launches go to `stream`.
#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>
#include <vector>

namespace llmdrop::cuda {

enum class ElementType { bfloat16, float16 };

// What a matrix–vector product does to its input vector before the product.
enum class GemvInput {
  plain,     // x as given
  rms_norm,  // weight · rms_norm(x), LlamaRMSNorm
  // x as given, already in the B-fragment order of the 4-bit weight that reads it (fragment_elements(K)
  // elements, zero past K), its stored column order included, written so by its producer (out_fragments): no
  // gather, no reordering in the product. 4-bit weights only.
  fragments,
  rms_norm_fragments,  // weight · rms_norm(x), x and the norm weight in fragment order as for `fragments`
};

// What it does with the product y = W·x (+ bias).
enum class GemvOutput {
  store,   // out = y
  add_to,  // out += y (the residual line)
  swiglu,  // W holds gate | up (2N rows): out = silu(y[:N]) · y[N:]
};

struct GemvArgs {
  const void* weight = nullptr;       // (N, K) row-major, (2N, K) for swiglu; or a 4-bit weight's words
  const void* x = nullptr;            // (K)
  const void* norm_weight = nullptr;  // (K) for rms_norm; in fragment order for rms_norm_fragments
  float eps = 0;
  const void* bias = nullptr;  // (N) or null
  void* out = nullptr;         // (N), or null for a swiglu output written to out_fragments only
  // add_to and swiglu: the outputs (for add_to, the updated residual line) also in the B-fragment order of
  // the 4-bit product that reads them next (GemvInput::fragments, rms_norm_fragments), or null; that
  // product's stored column of each output (Int4Weight::stored_columns), null when in order.
  void* out_fragments = nullptr;
  const int32_t* out_columns = nullptr;
  int64_t n = 0, k = 0;
  GemvInput input = GemvInput::plain;
  GemvOutput output = GemvOutput::store;
  // A 4-bit weight in Int4Weight's layout (model/linear_weight.h) instead of a 16-bit one: its (N, G) scales
  // and zeros, null for a 16-bit weight, and its input order, null when in order. Rows come in pairs.
  const int32_t* scale_zero = nullptr;
  const int32_t* input_order = nullptr;
  int64_t group_size = 0;
  unsigned* tile_counter = nullptr;  // 4-bit: zeroed by the caller before each call, left counted
  int int4_shape = -1;               // 4-bit: an index into int4_gemv_shapes(), or -1 for the default
#ifdef LLMDROP_INT4_STAMPS
  int stamp_call = 0;  // the diagnostic build's: which call's stamps (read_int4_stamps)
#endif
};
// Elements of an input of K columns in the B-fragment order of a 4-bit product (GemvInput::fragments): K
// rounded up to the kernel's slices of 64.
inline int64_t fragment_elements(int64_t k) {
  return (k + 63) / 64 * 64;
}
// Whether a block of the 4-bit kernel for `args` (a 4-bit weight's n, k, group_size, input, output and
// int4_shape) fits the GPU's shared memory: the B fragments grow with K and each tile's scales and zeros with
// K / group size, so narrow groups over a wide K may not (gemv refuses those).
bool int4_gemv_fits(const GemvArgs& args);
// The 4-bit kernel's launch shapes (warps per block, loads in flight per lane), for benchmarks to compare.
std::vector<std::string> int4_gemv_shapes();
// Phases of a 4-bit product's block: started, its predecessor finished, input staged, B fragments built,
// first tile stored, done. The diagnostic build of tools/int4_timeline.cu (LLMDROP_INT4_STAMPS, never the
// project's) records each block's %globaltimer (ns) at each, by GemvArgs::stamp_call and block.
enum class Int4Phase { entry, released, staged, fragments, first_tile, exit };
#ifdef LLMDROP_INT4_STAMPS
constexpr int kInt4StampCalls = 32, kInt4StampBlocks = 512, kInt4StampPhases = 6;
// Copies the stamps (kInt4StampCalls × kInt4StampBlocks × kInt4StampPhases) to `out` and clears them.
void read_int4_stamps(unsigned long long* out);
#endif
// Throws std::invalid_argument for shapes the kernel does not take (K not a multiple of 8, K too large, an
// odd number of 4-bit rows, a 4-bit product that does not fit: int4_gemv_fits).
void gemv(ElementType type, const GemvArgs& args, cudaStream_t stream);

struct DecodeAttentionArgs {
  const void* qkv = nullptr;          // (H + 2·KV)·D: this token's q | k | v, before RoPE
  const void* cos = nullptr;          // (capacity, D) RoPE tables; the kernel reads row `position`
  const void* signed_sin = nullptr;   // (capacity, D) sin with its first half negated
  void* keys = nullptr;               // (KV, capacity, D) cache; this token's key and value are written at
  void* values = nullptr;             // the position
  const int64_t* position = nullptr;  // device scalar: the cache slot and RoPE position
  int capacity = 0, heads = 0, kv_heads = 0, head_dim = 0;
  int window = 0;  // 0: full causal attention
  float scale = 1;
  float* partials = nullptr;      // decode_attention_workspace floats
  unsigned* counters = nullptr;   // (KV), zero before each call and left zero after it
  void* out = nullptr;            // (H·D), or null
  void* out_fragments = nullptr;  // as GemvArgs has them (H·D columns), or null
  const int32_t* out_columns = nullptr;
};
bool decode_attention_supports(int head_dim, int heads, int kv_heads);
int64_t decode_attention_workspace(int heads, int capacity, int head_dim);  // floats
void decode_attention(ElementType type, const DecodeAttentionArgs& args, cudaStream_t stream);

}  // namespace llmdrop::cuda
