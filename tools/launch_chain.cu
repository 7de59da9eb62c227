// What a dependency between two decode products costs (#24): a chain of phases, each streaming its own bytes
// of "weights" from memory and then writing a small vector that the next phase reads in every block (as each
// product reads the residual line), run four ways:
//   launches   one kernel per phase, in a CUDA graph, each released by griddepcontrol.wait after issuing its
//              first loads (programmatic dependent launch, as the fused decode step chains its kernels);
//   plain      the same kernels without early launch;
//   barrier    one persistent kernel (cooperative launch) that goes through all phases, a software grid
//              barrier between them, each phase's first loads issued before its barrier;
//   ring       the persistent kernel with one producer warp per block that streams the block's share of every
//              phase's weights into a ring of shared-memory slots (bulk copies completing on mbarriers), on
//              through the grid barriers, while the other warps wait for the barrier and consume the slots:
//              what a persistent decode layer could reach when the weights never wait for a dependency.
// Prints, per phase size, each way's time per phase and its streaming rate; the difference between two ways
// at size 0 is the difference of their dependency costs. Built and run by tools/gpu/run.sh launch_chain
// (nvcc only, no libtorch):
//   launch_chain [PHASES]
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

constexpr int kThreads = 512;
constexpr int kVector = 4096;                // floats of the vector each phase hands to the next
constexpr size_t kPool = size_t(512) << 20;  // bytes the phases' weights rotate through (10× the L2)

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    std::fprintf(stderr, "launch_chain: %s: %s\n", what, cudaGetErrorString(status));
    std::exit(1);
  }
}

struct Phase {
  const uint4* weights;  // chunks of 16 bytes
  size_t chunks;
  const float* in;  // (kVector) the previous phase's vector
  float* out;       // (kVector)
};

// Phase p's weights: its own bytes of the pool, far enough from the last phases' that they come from memory.
__host__ __device__ Phase phase_of(int p, const uint4* pool, size_t bytes, float* vectors) {
  const size_t slots = bytes ? kPool / bytes : 1;
  return {pool + (size_t(p) % slots) * (bytes / 16), bytes / 16, vectors + size_t(p) * kVector,
          vectors + size_t(p + 1) * kVector};
}

__device__ __forceinline__ void wait_for_predecessor() {
  asm volatile("griddepcontrol.wait;" ::: "memory");
}
__device__ __forceinline__ void allow_successor() {
  asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
}

__device__ __forceinline__ uint4 first_load(const Phase& f) {
  const size_t c = size_t(blockIdx.x) * kThreads + threadIdx.x;
  return c < f.chunks ? __ldcs(f.weights + c) : make_uint4(0, 0, 0, 0);
}

// The rest of the phase once its predecessor's vector is there: every block reads the whole vector, streams
// its share of the weights, and writes its share of the next vector.
__device__ __forceinline__ void finish_phase(const Phase& f, uint4 first) {
  float acc = __uint_as_float((first.x ^ first.y ^ first.z ^ first.w) & 0x3fffffffu) * 1e-30f;
  for (int i = threadIdx.x; i < kVector; i += kThreads) acc += f.in[i];
  const size_t stride = size_t(gridDim.x) * kThreads;
  for (size_t c = size_t(blockIdx.x) * kThreads + threadIdx.x + stride; c < f.chunks; c += 4 * stride) {
    uint4 v[4];  // four loads in flight per thread
#pragma unroll
    for (int u = 0; u < 4; ++u)
      v[u] = c + u * stride < f.chunks ? __ldcs(f.weights + c + u * stride) : make_uint4(0, 0, 0, 0);
#pragma unroll
    for (int u = 0; u < 4; ++u)
      acc += __uint_as_float((v[u].x ^ v[u].y ^ v[u].z ^ v[u].w) & 0x3fffffffu) * 1e-30f;
  }
  for (int i = blockIdx.x * kThreads + threadIdx.x; i < kVector; i += gridDim.x * kThreads) f.out[i] = acc;
}

template <bool kEarly>
__global__ void __launch_bounds__(kThreads) phase_kernel(Phase f) {
  const uint4 first = first_load(f);
  if constexpr (kEarly) {
    wait_for_predecessor();
    allow_successor();
  }
  finish_phase(f, first);
}

// Grid barrier on a counter that only grows (zeroed before each launch): the n-th barrier waits for it to
// reach n · blocks. The first of the block's last `threads` threads arrives with a release add and spins with
// acquire loads; `threads` threads (named barrier 1) take part.
__device__ void grid_barrier(unsigned* count, unsigned n, int threads) {
  asm volatile("bar.sync 1, %0;" ::"r"(threads) : "memory");
  if (threadIdx.x == blockDim.x - threads) {  // the first taking part
    const unsigned target = n * gridDim.x;
    asm volatile("red.release.gpu.global.add.u32 [%0], 1;" ::"l"(count) : "memory");
    unsigned seen = 0;
    do asm volatile("ld.acquire.gpu.global.u32 %0, [%1];" : "=r"(seen) : "l"(count) : "memory");
    while (seen < target);
  }
  asm volatile("bar.sync 1, %0;" ::"r"(threads) : "memory");
}

__global__ void __launch_bounds__(kThreads)
    phases_kernel(const uint4* pool, size_t bytes, float* vectors, int phases, unsigned* barrier) {
  for (int p = 0; p < phases; ++p) {
    const Phase f = phase_of(p, pool, bytes, vectors);
    const uint4 first = first_load(f);
    if (p > 0) grid_barrier(barrier, p, kThreads);
    finish_phase(f, first);
  }
}

// ---- ring: a producer warp streaming every phase's weights through shared memory ----

constexpr int kSlotBytes = 16 << 10, kSlots = 12;  // 192 KB of ring per block
constexpr int kConsumers = kThreads - 32;          // warp 0 produces

__device__ __forceinline__ unsigned shared_address(const void* p) {
  return static_cast<unsigned>(__cvta_generic_to_shared(p));
}
__device__ __forceinline__ void mbarrier_init(uint64_t* bar, unsigned count) {
  asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(shared_address(bar)), "r"(count) : "memory");
}
__device__ __forceinline__ void mbarrier_expect(uint64_t* bar, unsigned bytes) {
  asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(shared_address(bar)), "r"(bytes)
               : "memory");
}
__device__ __forceinline__ void mbarrier_arrive(uint64_t* bar) {
  asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" ::"r"(shared_address(bar)) : "memory");
}
__device__ __forceinline__ void mbarrier_wait(uint64_t* bar, unsigned parity) {
  asm volatile(
      "{\n .reg .pred done;\n wait:\n"
      " mbarrier.try_wait.parity.shared::cta.b64 done, [%0], %1;\n"
      " @!done bra wait;\n}" ::"r"(shared_address(bar)),
      "r"(parity)
      : "memory");
}
__device__ __forceinline__ void bulk_copy(void* to, const void* from, unsigned bytes, uint64_t* full) {
  asm volatile(
      "cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];" ::"r"(
          shared_address(to)),
      "l"(from), "r"(bytes), "r"(shared_address(full))
      : "memory");
}

// Block b's share of a phase: chunks [begin, end) of 16 bytes, cut into slot-sized pieces.
struct Share {
  size_t begin, end;
  __device__ Share(const Phase& f)
      : begin(f.chunks * blockIdx.x / gridDim.x), end(f.chunks * (blockIdx.x + 1) / gridDim.x) {}
  __device__ int pieces() const { return int((end - begin + kSlotBytes / 16 - 1) / (kSlotBytes / 16)); }
  __device__ unsigned piece_chunks(int i) const {
    const size_t from = begin + size_t(i) * (kSlotBytes / 16);
    return unsigned(min(end - from, size_t(kSlotBytes / 16)));
  }
};

// kBarrier false: the same without the grid barrier (wrong results, timing only): how fast the ring streams
// with no dependency to wait for.
template <bool kBarrier>
__global__ void __launch_bounds__(kThreads)
    ring_kernel(const uint4* pool, size_t bytes, float* vectors, int phases, unsigned* barrier) {
  extern __shared__ uint4 ring[];  // (kSlots, kSlotBytes / 16)
  __shared__ uint64_t full[kSlots], empty[kSlots];
  if (threadIdx.x == 0) {
    for (int s = 0; s < kSlots; ++s) mbarrier_init(&full[s], 1), mbarrier_init(&empty[s], kConsumers / 32);
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  }
  __syncthreads();
  if (threadIdx.x < 32) {  // the producer: lane 0 fills slot after slot, phase after phase
    if (threadIdx.x != 0) return;
    for (int p = 0, use = 0; p < phases; ++p) {
      const Phase f = phase_of(p, pool, bytes, vectors);
      const Share share(f);
      for (int i = 0; i < share.pieces(); ++i, ++use) {
        const int slot = use % kSlots;
        if (use >= kSlots) mbarrier_wait(&empty[slot], (use / kSlots - 1) & 1);
        const unsigned n = share.piece_chunks(i);
        mbarrier_expect(&full[slot], n * 16);
        bulk_copy(ring + slot * (kSlotBytes / 16), f.weights + share.begin + size_t(i) * (kSlotBytes / 16),
                  n * 16, &full[slot]);
      }
    }
    return;
  }
  const int consumer = threadIdx.x - 32;
  for (int p = 0, use = 0; p < phases; ++p) {
    const Phase f = phase_of(p, pool, bytes, vectors);
    if (kBarrier && p > 0) grid_barrier(barrier, p, kConsumers);
    float acc = 0;
    for (int i = consumer; i < kVector; i += kConsumers) acc += f.in[i];
    const Share share(f);
    for (int i = 0; i < share.pieces(); ++i, ++use) {
      const int slot = use % kSlots;
      mbarrier_wait(&full[slot], (use / kSlots) & 1);
      const uint4* piece = ring + slot * (kSlotBytes / 16);
      for (unsigned c = consumer; c < share.piece_chunks(i); c += kConsumers) {
        const uint4 v = piece[c];
        acc += __uint_as_float((v.x ^ v.y ^ v.z ^ v.w) & 0x3fffffffu) * 1e-30f;
      }
      __syncwarp();
      if (consumer % 32 == 0) mbarrier_arrive(&empty[slot]);
    }
    for (int i = blockIdx.x * kConsumers + consumer; i < kVector; i += gridDim.x * kConsumers) f.out[i] = acc;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int phases = argc > 1 ? std::atoi(argv[1]) : 160;  // 5 per layer, 32 layers
  int device = 0, sms = 0;
  check(cudaGetDevice(&device), "cudaGetDevice");
  check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device), "attribute");
  // One block per multiprocessor, as the 4-bit products run (their registers leave room for no second one:
  // here shared memory keeps a second out), or two, so that a successor's blocks can start beside its
  // predecessor's.
  constexpr int kOneBlockShared = 120 << 10;
  for (const void* kernel :
       {reinterpret_cast<const void*>(phase_kernel<true>), reinterpret_cast<const void*>(phase_kernel<false>),
        reinterpret_cast<const void*>(phases_kernel)})
    check(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, kOneBlockShared),
          "shared memory");
  constexpr int kRingShared = kSlots * kSlotBytes;
  for (const void* kernel :
       {reinterpret_cast<const void*>(ring_kernel<true>), reinterpret_cast<const void*>(ring_kernel<false>)})
    check(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, kRingShared),
          "shared memory");
  uint4* pool = nullptr;
  float* vectors = nullptr;
  unsigned* barrier = nullptr;
  check(cudaMalloc(&pool, kPool), "cudaMalloc");
  check(cudaMemset(pool, 1, kPool), "cudaMemset");
  check(cudaMalloc(&vectors, size_t(phases + 1) * kVector * sizeof(float)), "cudaMalloc");
  check(cudaMemset(vectors, 0, size_t(phases + 1) * kVector * sizeof(float)), "cudaMemset");
  check(cudaMalloc(&barrier, sizeof(unsigned)), "cudaMalloc");
  check(cudaMemset(barrier, 0, sizeof(unsigned)), "cudaMemset");
  cudaStream_t stream;
  check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "stream");
  cudaEvent_t start, stop;
  check(cudaEventCreate(&start), "event");
  check(cudaEventCreate(&stop), "event");

  // Microseconds per phase: the mean of 10 timed runs after 3 untimed ones.
  auto time_per_phase = [&](auto&& run) {
    for (int i = 0; i < 3; ++i) run();
    check(cudaEventRecord(start, stream), "record");
    for (int i = 0; i < 10; ++i) run();
    check(cudaEventRecord(stop, stream), "record");
    check(cudaEventSynchronize(stop), "synchronize");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, start, stop), "elapsed");
    return 1e3 * ms / 10 / phases;
  };
  int blocks = sms;
  size_t shared = 0;
  auto chain_graph = [&](size_t bytes, bool early) {
    cudaGraph_t graph;
    cudaGraphExec_t exec;
    check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), "capture");
    for (int p = 0; p < phases; ++p) {
      cudaLaunchAttribute attribute;
      attribute.id = cudaLaunchAttributeProgrammaticStreamSerialization;
      attribute.val.programmaticStreamSerializationAllowed = 1;
      cudaLaunchConfig_t config = {};
      config.gridDim = blocks;
      config.blockDim = kThreads;
      config.dynamicSmemBytes = shared;
      config.stream = stream;
      config.attrs = &attribute;
      config.numAttrs = early ? 1 : 0;
      const Phase f = phase_of(p, pool, bytes, vectors);
      check(early ? cudaLaunchKernelEx(&config, phase_kernel<true>, f)
                  : cudaLaunchKernelEx(&config, phase_kernel<false>, f),
            "launch");
    }
    check(cudaStreamEndCapture(stream, &graph), "end capture");
    check(cudaGraphInstantiate(&exec, graph, 0), "instantiate");
    check(cudaGraphDestroy(graph), "destroy");
    return exec;
  };

  std::printf("%d phases of %d threads a block on %d SMs, a %d-float vector between phases\n", phases,
              kThreads, sms, kVector);
  std::printf(
      "| blocks per SM | bytes per phase | launches µs | plain µs | barrier µs | ring µs | ring, no barrier "
      "µs | "
      "launches GB/s | barrier GB/s | ring GB/s | ring, no barrier GB/s |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const int per_sm : {1, 2}) {
    blocks = sms * per_sm;
    shared = per_sm == 1 ? kOneBlockShared : 0;
    for (const size_t bytes :
         {size_t(0), size_t(2) << 20, size_t(8) << 20, size_t(24) << 20, size_t(45) << 20}) {
      double each[2];
      for (const bool early : {true, false}) {
        cudaGraphExec_t exec = chain_graph(bytes, early);
        each[early ? 0 : 1] = time_per_phase([&] { check(cudaGraphLaunch(exec, stream), "graph launch"); });
        check(cudaGraphExecDestroy(exec), "destroy");
      }
      int count = phases;
      size_t size = bytes;
      void* args[] = {&pool, &size, &vectors, &count, &barrier};
      auto persistent = [&](const void* kernel, size_t kernel_shared) {
        return time_per_phase([&] {
          check(cudaMemsetAsync(barrier, 0, sizeof(unsigned), stream), "cudaMemsetAsync");
          check(cudaLaunchCooperativeKernel(kernel, blocks, kThreads, args, kernel_shared, stream),
                "cooperative launch");
        });
      };
      const double barrier_us = persistent(reinterpret_cast<const void*>(phases_kernel), shared);
      // The ring needs its shared memory: one block per multiprocessor only.
      const bool ring = per_sm == 1;
      const double ring_us =
                       ring ? persistent(reinterpret_cast<const void*>(ring_kernel<true>), kRingShared) : 0,
                   free_us =
                       ring ? persistent(reinterpret_cast<const void*>(ring_kernel<false>), kRingShared) : 0;
      auto rate = [&](double us) { return us > 0 ? bytes / us / 1e3 : 0.0; };
      std::printf("| %d | %zu | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f |\n", per_sm,
                  bytes, each[0], each[1], barrier_us, ring_us, free_us, rate(each[0]), rate(barrier_us),
                  rate(ring_us), rate(free_us));
    }
  }
  return 0;
}
