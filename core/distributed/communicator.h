#pragma once
// The ranks of a job spread over several devices, talking through PyTorch's c10d: NCCL between GPUs, Gloo on
// the CPU. One rank per device. Ranks of one process (`--devices cuda:0,cuda:1`) meet in an in-memory store;
// ranks of several processes or hosts meet in a TCPStore at MASTER_ADDR:MASTER_PORT, as torchrun sets it up
// (RANK, WORLD_SIZE, LOCAL_RANK).
#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llmdrop {

class Communicator {
 public:
  virtual ~Communicator() = default;
  int rank() const { return rank_; }
  int size() const { return size_; }
  const c10::Device& device() const { return device_; }

  // Element-wise sum over the ranks, in place; every rank passes a tensor of the same shape and dtype.
  virtual void all_reduce_sum(at::Tensor& tensor) const = 0;
  // Every rank's `tensor` (same shape on all), concatenated along dim 0 in rank order.
  virtual at::Tensor all_gather(const at::Tensor& tensor) const = 0;

  // One communicator per device of this process, rank i on devices[i] (all CPUs or all GPUs, each one this
  // machine has: see check_device); BadInput for a mix or a repeated GPU.
  static std::vector<std::shared_ptr<Communicator>> in_process(const std::vector<c10::Device>& devices);
  // This process's rank of a torchrun-style launch when WORLD_SIZE > 1 (rendezvous at MASTER_ADDR /
  // MASTER_PORT), on `device`; nullopt when the environment names no launch.
  static std::optional<std::shared_ptr<Communicator>> from_environment(const c10::Device& device);

 protected:
  Communicator(int rank, int size, c10::Device device) : rank_(rank), size_(size), device_(device) {}

 private:
  int rank_, size_;
  c10::Device device_;
};

// Runs `work(rank)` for every communicator on a thread of its own and waits for all; rethrows the first
// error (by rank).
void run_ranks(const std::vector<std::shared_ptr<Communicator>>& ranks,
               const std::function<void(const std::shared_ptr<Communicator>&)>& work);

// The ranks' share of n items: [begin, end) of rank r of size, contiguous, the first n % size ranks one
// longer.
std::pair<int64_t, int64_t> rank_share(int64_t n, int rank, int size);

}  // namespace llmdrop
