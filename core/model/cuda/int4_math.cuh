#pragma once
// The codes of Int4Weight's layout (model/linear_weight.h) as weights, shared by the 4-bit decode product
// and the dequantization of model/cuda.
#include <cuda_fp16.h>

#include <cstdint>

namespace llmdrop::cuda {

// (word & mask) | magic in one instruction.
__device__ __forceinline__ uint32_t masked_or(uint32_t word, uint32_t mask, uint32_t magic) {
  uint32_t out;
  asm("lop3.b32 %0, %1, %2, %3, 0xea;" : "=r"(out) : "r"(word), "r"(mask), "r"(magic));  // (a & b) | c
  return out;
}

// The two weights whose codes are bits 4i…4i+3 and 16+4i…16+4i+3 of `word` (one row, two adjacent columns):
// scale · (code − zero), each rounded once to float16 as the GPTQ / AWQ loaders round it. `scale_zero`: the
// row's float16 scale (low half) and 1024 + zero (high half); or-ing a code into the mantissa of the float16
// 1024 gives 1024 + code, so the difference is exact.
__device__ __forceinline__ __half2 int4_rounded_pair(uint32_t word, int i, uint32_t scale_zero) {
  const uint32_t scale = __byte_perm(scale_zero, 0, 0x1010), zero_1024 = __byte_perm(scale_zero, 0, 0x3232);
  const uint32_t code_1024 = masked_or(word >> (4 * i), 0x000f000fu, 0x64006400u);
  return __hmul2(
      __hsub2(*reinterpret_cast<const __half2*>(&code_1024), *reinterpret_cast<const __half2*>(&zero_1024)),
      *reinterpret_cast<const __half2*>(&scale));
}

// A word of the layout as the A fragment of mma.m16n8k16 in float16: bits 8i…8i+3 and 16+8i… are row r0's
// codes (a[0] for i = 0, a[2] for i = 1), bits 8i+4… and 20+8i… row r1's (a[1], a[3]). `scale_zero0`,
// `scale_zero1`: rows r0's and r1's int4_rounded_pair words.
__device__ __forceinline__ void int4_rounded_fragment(uint32_t word, uint32_t scale_zero0,
                                                      uint32_t scale_zero1, uint32_t (&a)[4]) {
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const __half2 w = int4_rounded_pair(word, i, i % 2 ? scale_zero1 : scale_zero0);
    a[i] = *reinterpret_cast<const uint32_t*>(&w);
  }
}

}  // namespace llmdrop::cuda
