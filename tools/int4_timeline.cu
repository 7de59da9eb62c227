// Where a 4-bit decode product's time goes (#24): the 4-bit kernels of core/model/cuda/decode_kernels.cu
// built with LLMDROP_INT4_STAMPS, so that each block records %globaltimer at its phases (decode_kernels.h:
// Int4Phase), run on the Llama-2-7B shapes (random codes, groups of 128), in two chains of back-to-back
// launches as the decode step issues them (early launch included), each product reading its input in its
// B-fragment order as the step's do (q|k|v and gate|up normalising it; for act-order weights their producers
// store through the weights' random column order, out_columns):
//   alone  each product after itself (as bench_decode_kernels times it), 4 weight copies in turn;
//   layer  q|k|v → o → gate|up → down, 8 layers of their own weights (attention left out).
// Per product, the mean over calls (the first two left out) of: the call period (first block's start to the
// next call's), the span (first start to last end), the gap from the predecessor's last block end to this
// call's first start and to its first release from the predecessor, and each phase's mean over blocks. Built
// and run by tools/gpu/run.sh int4_timeline (nvcc, no libtorch):
//   int4_timeline [--act-order] [--shape N]
#include <cuda_bf16.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "model/cuda/decode_kernels.h"

namespace cuda = llmdrop::cuda;

namespace {

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    std::fprintf(stderr, "int4_timeline: %s: %s\n", what, cudaGetErrorString(status));
    std::exit(1);
  }
}

template <typename T>
T* device_copy(const std::vector<T>& host) {
  T* p = nullptr;
  check(cudaMalloc(&p, host.size() * sizeof(T)), "cudaMalloc");
  check(cudaMemcpy(p, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice), "cudaMemcpy");
  return p;
}

struct Product {
  const char* name;
  int64_t rows, k;  // stored rows (gate and up for swiglu), columns
  cuda::GemvInput input;
  cuda::GemvOutput output;
};

// One 4-bit weight in Int4Weight's layout: random words, scales 2^-14 with zero points 8 (float16 halves: the
// outputs stay small however often o and down add to x).
cuda::GemvArgs random_weight(const Product& p, std::mt19937& random) {
  const int64_t padded = (p.k + 63) / 64 * 64, groups = p.k / 128;
  std::vector<uint32_t> words(p.rows * padded / 8);
  for (uint32_t& w : words) w = random();
  std::vector<int32_t> scale_zero(p.rows * groups, int32_t((0x6400u + 8u) << 16 | 0x0400u));
  cuda::GemvArgs a;
  a.weight = device_copy(words);
  a.scale_zero = device_copy(scale_zero);
  a.group_size = 128;
  return a;
}

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0 : sum / double(v.size());
}

}  // namespace

int main(int argc, char** argv) {
  bool act_order = false;
  int shape = -1;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--act-order")) {
      act_order = true;
    } else if (!std::strcmp(argv[i], "--shape") && i + 1 < argc) {
      shape = std::atoi(argv[++i]);
    } else {
      shape = -2;  // usage
      break;
    }
  }
  if (shape < -1 || shape >= int(cuda::int4_gemv_shapes().size())) {
    std::fprintf(stderr, "usage: int4_timeline [--act-order] [--shape N], N < %zu\n",
                 cuda::int4_gemv_shapes().size());
    return 2;
  }
  const int64_t hidden = 4096, inter = 11008;
  const std::vector<Product> products = {
      {"q|k|v (norm)", 3 * hidden, hidden, cuda::GemvInput::rms_norm_fragments, cuda::GemvOutput::store},
      {"o (+residual)", hidden, hidden, cuda::GemvInput::fragments, cuda::GemvOutput::add_to},
      {"gate|up (norm, swiglu)", 2 * inter, hidden, cuda::GemvInput::rms_norm_fragments,
       cuda::GemvOutput::swiglu},
      {"down (+residual)", hidden, inter, cuda::GemvInput::fragments, cuda::GemvOutput::add_to},
  };
  std::mt19937 random(7);
  std::normal_distribution<float> normal;
  auto random_vector = [&](int64_t size, float mean, float deviation) {
    std::vector<__nv_bfloat16> v(size);
    for (auto& e : v) e = __float2bfloat16(mean + deviation * normal(random));
    return device_copy(v);
  };
  // The step's vectors (K = 4096 and 11008 are whole slices of 64: no padding): the residual line in order
  // and in fragment order, the norm weight in fragment order, attention's output (attention left out) and
  // gate|up's, in fragment order.
  __nv_bfloat16 *x = random_vector(hidden, 0, 1), *x_fragments = random_vector(hidden, 0, 1),
                *norm_fragments = random_vector(hidden, 1, 0.1f),
                *attended_fragments = random_vector(hidden, 0, 1),
                *act_fragments = random_vector(inter, 0, 1), *qkv = random_vector(3 * hidden, 0, 0);
  // Act-order: each product's stored column order (a random permutation), through which its producer
  // stores the input.
  std::vector<int32_t*> stored_columns(products.size(), nullptr);
  if (act_order)
    for (size_t i = 0; i < products.size(); ++i) {
      std::vector<int32_t> order(products[i].k);
      for (size_t c = 0; c < order.size(); ++c) order[c] = int32_t(c);
      std::shuffle(order.begin(), order.end(), random);
      stored_columns[i] = device_copy(order);
    }
  unsigned* counters = nullptr;  // each call's tile counter, zeroed before each pass over the calls
  check(cudaMalloc(&counters, cuda::kInt4StampCalls * sizeof(unsigned)), "cudaMalloc");
  auto args_of = [&](int product, const cuda::GemvArgs& weight) {
    const Product& p = products[product];
    cuda::GemvArgs a = weight;
    const void* inputs[] = {x_fragments, attended_fragments, x_fragments, act_fragments};
    a.x = inputs[product];
    a.norm_weight = norm_fragments;
    a.eps = 1e-5f;
    a.out = product == 0 ? static_cast<void*>(qkv) : product == 2 ? nullptr : x;
    // o and down write the residual line for gate|up and the next q|k|v as well, gate|up down's input.
    if (product > 0) {
      a.out_fragments = product == 2 ? act_fragments : x_fragments;
      a.out_columns = stored_columns[(product + 1) % 4];
    }
    a.n = p.output == cuda::GemvOutput::swiglu ? p.rows / 2 : p.rows;
    a.k = p.k;
    a.input = p.input;
    a.output = p.output;
    a.int4_shape = shape;
    return a;
  };

  const int layers = 8, copies = 4;
  std::vector<std::vector<cuda::GemvArgs>> weights(products.size());
  for (size_t i = 0; i < products.size(); ++i)
    for (int c = 0; c < layers; ++c) weights[i].push_back(random_weight(products[i], random));

  cudaStream_t stream;
  check(cudaStreamCreate(&stream), "cudaStreamCreate");
  std::vector<unsigned long long> stamps(size_t(cuda::kInt4StampCalls) * cuda::kInt4StampBlocks *
                                         cuda::kInt4StampPhases);
  int device = 0, sms = 0;
  cudaGetDevice(&device);
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
  cudaDeviceProp properties;
  cudaGetDeviceProperties(&properties, device);
  std::printf("%s, %d multiprocessors; 4-bit %s g128, launch shape %s\n\n", properties.name, sms,
              act_order ? "act-order" : "RTN",
              shape < 0 ? "default" : cuda::int4_gemv_shapes()[shape].c_str());

  // Runs `calls` launches (product_of(i), weight_of(i)) back to back, then prints each product's means.
  auto run_chain = [&](const char* chain, int calls, auto product_of, auto weight_of) {
    cuda::read_int4_stamps(stamps.data());  // clears an earlier chain's
    for (int warm = 0; warm < 2; ++warm) {
      check(cudaMemsetAsync(counters, 0, calls * sizeof(unsigned), stream), "cudaMemsetAsync");
      for (int i = 0; i < calls; ++i) {
        cuda::GemvArgs a = args_of(product_of(i), weight_of(i));
        a.stamp_call = i;
        a.tile_counter = counters + i;
        cuda::gemv(cuda::ElementType::bfloat16, a, stream);
      }
    }
    check(cudaStreamSynchronize(stream), "chain");
    cuda::read_int4_stamps(stamps.data());
    struct Call {
      int product, blocks;
      double start, end;  // first block's entry, last block's exit (ns)
      std::vector<double> phase[cuda::kInt4StampPhases];
    };
    std::vector<Call> seen;
    for (int i = 0; i < calls; ++i) {
      Call c{product_of(i), 0, 1e300, 0, {}};
      for (int b = 0; b < cuda::kInt4StampBlocks; ++b) {
        const unsigned long long* s =
            &stamps[(size_t(i) * cuda::kInt4StampBlocks + b) * cuda::kInt4StampPhases];
        if (s[0] == 0 || s[5] < s[0]) continue;  // no such block in this call
        ++c.blocks;
        c.start = std::min(c.start, double(s[0]));
        c.end = std::max(c.end, double(s[5]));
        for (int p = 0; p < cuda::kInt4StampPhases; ++p) c.phase[p].push_back(double(s[p]));
      }
      seen.push_back(std::move(c));
    }
    std::printf("%s chain (µs; phases: mean over blocks)\n", chain);
    std::printf(
        "| product | blocks | period | span | pred. end → start | pred. end → release | start → release | "
        "release → staged | staged → fragments | fragments → tile 1 | tile 1 → exit | last exit − mean "
        "exit |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (size_t p = 0; p < products.size(); ++p) {
      std::vector<double> period, span, gap_start, gap_release, phases[5], tail;
      int blocks = 0;
      for (int i = 2; i + 1 < calls; ++i) {
        const Call &c = seen[i], &previous = seen[i - 1], &next = seen[i + 1];
        if (c.product != int(p) || c.blocks == 0) continue;
        blocks = c.blocks;
        period.push_back((next.start - c.start) / 1e3);
        span.push_back((c.end - c.start) / 1e3);
        gap_start.push_back((c.start - previous.end) / 1e3);
        gap_release.push_back((*std::min_element(c.phase[1].begin(), c.phase[1].end()) - previous.end) / 1e3);
        for (int q = 0; q < 5; ++q) {
          std::vector<double> d;
          for (int b = 0; b < c.blocks; ++b) d.push_back((c.phase[q + 1][b] - c.phase[q][b]) / 1e3);
          phases[q].push_back(mean(d));
        }
        tail.push_back((c.end - mean(c.phase[5])) / 1e3);
      }
      if (period.empty()) continue;
      std::printf("| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n",
                  products[p].name, blocks, mean(period), mean(span), mean(gap_start), mean(gap_release),
                  mean(phases[0]), mean(phases[1]), mean(phases[2]), mean(phases[3]), mean(phases[4]),
                  mean(tail));
    }
    // The timer's step: the smallest non-zero difference between two stamps of one block.
    double step = 1e300;
    for (const Call& c : seen)
      for (int b = 0; b < c.blocks; ++b)
        for (int q = 0; q + 1 < cuda::kInt4StampPhases; ++q) {
          const double d = c.phase[q + 1][b] - c.phase[q][b];
          if (d > 0) step = std::min(step, d);
        }
    std::printf("(timer step at most %.0f ns)\n\n", step);
  };
  const int calls = cuda::kInt4StampCalls;
  for (int product = 0; product < int(products.size()); ++product)
    run_chain(
        products[product].name, calls, [&](int) { return product; },
        [&](int i) { return weights[product][i % copies]; });
  run_chain(
      "layer", calls, [](int i) { return i % 4; }, [&](int i) { return weights[i % 4][i / 4 % layers]; });
  return 0;
}
