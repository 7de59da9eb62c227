#include "model/decode_graph.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <iostream>

#ifdef LLMDROP_WITH_CUDA
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include "distributed/communicator.h"
#include "model/kv_cache.h"
#include "model/model.h"

namespace llmdrop {

struct DecodeGraph::Impl {
  const Model& model;
  KVCache& cache;
  bool want_graph;
  int64_t steps = 0;
  // The graph's fixed inputs and output; a step overwrites token with its argmax and position with the next.
  at::Tensor token, position, logits;
  int64_t next_position = -1;  // what `position` holds on the device after the last step, -1 before any
#ifdef LLMDROP_WITH_CUDA
  std::unique_ptr<at::cuda::CUDAGraph> graph;
#endif

  Impl(const Model& m, KVCache& c, bool use_graph)
      : model(m), cache(c), want_graph(use_graph && m.device().is_cuda() && !m.streamed() && !m.placed()) {}

  // Whether every tensor-parallel rank captured its step: a graph replayed on some ranks only would leave the
  // others' collectives waiting, so one failure sends all back to plain steps (the captured collectives never
  // ran, so the ranks stay in step).
  bool all_captured(bool captured) const {
    const Communicator* ranks = model.tensor_parallel();
    if (!ranks) return captured;
    at::Tensor failures =
        at::full({1}, captured ? 0.0 : 1.0, at::TensorOptions().dtype(at::kFloat).device(model.device()));
    ranks->all_reduce_sum(failures);
    return failures.item<float>() == 0;
  }

  // The fixed-shape step, run eagerly or captured.
  void run() {
    logits = model.decode_step(token, position, cache);  // (B, 1, V)
    if (logits.device() == token.device())
      at::argmax_out(token, logits, -1);
    else  // layers placed over several devices: the logits come from the last
      token.copy_(logits.argmax(-1));
    position.add_(1);
  }

#ifdef LLMDROP_WITH_CUDA
  // Captures run() on a side stream (the first step ran uncaptured, which warmed up kernels and the
  // allocator). Returns false, leaving plain steps, when capture fails.
  bool capture() {
    bool captured = false;
    try {
      c10::cuda::device_synchronize();  // the side stream must see the inputs written on the current one
      {
        const auto stream = c10::cuda::getStreamFromPool(false, model.device().index());
        c10::cuda::CUDAStreamGuard guard(stream);
        graph = std::make_unique<at::cuda::CUDAGraph>();
        // Thread-local: in the default global mode a synchronising call from any other thread (another
        // session's job copying its inputs) invalidates this capture and fails itself.
        graph->capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
        try {
          run();
        } catch (...) {
          // End the failed capture (and its allocator pool): left open, it would fail every later CUDA call
          // of the process ("operation not permitted when stream is capturing").
          try {
            graph->capture_end();
          } catch (...) {
          }
          throw;
        }
        graph->capture_end();
      }
      c10::cuda::device_synchronize();
      captured = true;
    } catch (const std::exception& e) {
      std::cerr << "llmdrop: CUDA graph capture failed, decoding without graphs: " << e.what() << "\n";
    }
    if (all_captured(captured)) return true;
    graph.reset();
    want_graph = false;
    return false;
  }
#endif
};

DecodeGraph::DecodeGraph(const Model& model, KVCache& cache, bool use_graph)
    : impl_(std::make_unique<Impl>(model, cache, use_graph)) {}

DecodeGraph::~DecodeGraph() = default;

bool DecodeGraph::uses_graph() const {
#ifdef LLMDROP_WITH_CUDA
  return impl_->graph != nullptr;
#else
  return false;
#endif
}

at::Tensor DecodeGraph::step(const at::Tensor& token) {
  Impl& g = *impl_;
  c10::InferenceMode inference;
  // On the CPU the cached forward attends to exactly the filled part of the cache. On a GPU every step is the
  // fixed-shape one, replayed as a graph or run eagerly: the same kernels, so the same tokens either way.
  if (!g.model.device().is_cuda()) {
    g.logits = g.model.forward(token, &g.cache, nullptr, /*last_only=*/true);
    g.token = g.logits.argmax(-1);
    ++g.steps;
    return g.logits;
  }
  if (!g.token.defined()) {  // on the input's device (`token` may come from the last of several)
    g.token = at::empty(token.sizes(), token.options().device(g.model.device()));
    g.position = at::empty({1}, g.token.options().dtype(at::kLong));
  }
  if (!token.is_same(g.token)) g.token.copy_(token);
  if (g.next_position != g.cache.length()) g.position.fill_(g.cache.length());
  bool replayed = false;
#ifdef LLMDROP_WITH_CUDA
  if (g.graph || (g.want_graph && g.steps > 0 && g.capture())) {
    g.graph->replay();
    replayed = true;
  }
#endif
  if (!replayed) g.run();
  g.cache.advance(1);
  g.next_position = g.cache.length();
  ++g.steps;
  return g.logits;
}

const at::Tensor& DecodeGraph::greedy_token() const {
  return impl_->token;
}

}  // namespace llmdrop
