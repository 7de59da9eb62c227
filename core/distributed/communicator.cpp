#include "distributed/communicator.h"

#include <ATen/ATen.h>
#include <torch/csrc/distributed/c10d/HashStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef LLMDROP_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef LLMDROP_WITH_NCCL
#include <c10/cuda/CUDAGuard.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cstdlib>
#include <exception>
#include <set>
#include <thread>

#include "util/error.h"

namespace llmdrop {

namespace {

// A c10d process group of either backend (Gloo or NCCL, the same calls).
template <class Group>
class GroupCommunicator : public Communicator {
 public:
  GroupCommunicator(c10::intrusive_ptr<Group> group, int rank, int size, c10::Device device)
      : Communicator(rank, size, device), group_(std::move(group)) {}

  void all_reduce_sum(at::Tensor& tensor) const override {
    std::vector<at::Tensor> tensors{tensor};
    group_->allreduce(tensors)->wait();
  }

  at::Tensor all_gather(const at::Tensor& tensor) const override {
    std::vector<at::Tensor> input{tensor.contiguous()};
    std::vector<std::vector<at::Tensor>> output(1);
    for (int r = 0; r < size(); ++r) output[0].push_back(at::empty_like(input[0]));
    group_->allgather(output, input)->wait();
    return at::cat(output[0]);
  }

 private:
  c10::intrusive_ptr<Group> group_;
};

std::shared_ptr<Communicator> make_rank(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                        const c10::Device& device) {
  if (device.is_cuda()) {
#ifdef LLMDROP_WITH_NCCL
    const c10::cuda::CUDAGuard guard(device);
    auto group = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, size);
    return std::make_shared<GroupCommunicator<c10d::ProcessGroupNCCL>>(std::move(group), rank, size, device);
#else
    throw_bad_input("this build has no NCCL: several GPUs need a CUDA build of libtorch with c10d NCCL");
#endif
  }
#ifdef LLMDROP_WITH_GLOO
  auto options = c10d::ProcessGroupGloo::Options::create();
  options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, size, options);
  return std::make_shared<GroupCommunicator<c10d::ProcessGroupGloo>>(std::move(group), rank, size, device);
#else
  throw_bad_input(
      "this build has no Gloo: ranks on the CPU need libtorch's c10d Gloo (libgloo-dev on Debian)");
#endif
}

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? std::optional<std::string>(value) : std::nullopt;
}

int environment_int(const char* name, int fallback) {
  const auto value = environment(name);
  if (!value) return fallback;
  try {
    size_t used = 0;
    const int parsed = std::stoi(*value, &used);
    if (used == value->size() && parsed >= 0) return parsed;
  } catch (const std::exception&) {
  }
  throw_bad_input(std::string(name) + "=" + *value + " is not a non-negative whole number");
}

}  // namespace

std::vector<std::shared_ptr<Communicator>> Communicator::in_process(const std::vector<c10::Device>& devices) {
  if (devices.empty()) throw_bad_input("no devices given");
  std::set<c10::DeviceIndex> gpus;
  for (const auto& d : devices) {
    if (d.is_cuda() != devices.front().is_cuda())
      throw_bad_input("--devices mixes the CPU and GPUs: give GPUs only, or the CPU only");
    if (d.is_cuda() && !gpus.insert(d.index()).second)
      throw_bad_input("--devices names " + d.str() + " twice: one rank per GPU");
  }
  const auto store = c10::make_intrusive<c10d::HashStore>();
  const int size = static_cast<int>(devices.size());
  std::vector<std::shared_ptr<Communicator>> ranks(devices.size());
  // The group constructors meet in the store: each waits for the others, so they are made side by side.
  std::vector<std::exception_ptr> errors(devices.size());
  std::vector<std::thread> threads;
  for (int r = 0; r < size; ++r)
    threads.emplace_back([&, r] {
      try {
        ranks[r] = make_rank(store, r, size, devices[r]);
      } catch (...) {
        errors[r] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  return ranks;
}

std::optional<std::shared_ptr<Communicator>> Communicator::from_environment(const c10::Device& device) {
  const int size = environment_int("WORLD_SIZE", 1);
  if (size <= 1) return std::nullopt;
  const int rank = environment_int("RANK", -1);
  if (rank < 0 || rank >= size)
    throw_bad_input("WORLD_SIZE=" + std::to_string(size) + " needs RANK in [0, " + std::to_string(size) +
                    ")");
  const auto host = environment("MASTER_ADDR");
  if (!host) throw_bad_input("WORLD_SIZE=" + std::to_string(size) + " needs MASTER_ADDR (and MASTER_PORT)");
  c10d::TCPStoreOptions options;
  options.port =
      static_cast<std::uint16_t>(environment_int("MASTER_PORT", c10d::TCPStoreOptions::kDefaultPort));
  options.isServer = rank == 0;
  options.numWorkers = static_cast<size_t>(size);
  auto store = c10::make_intrusive<c10d::TCPStore>(*host, options);
  return make_rank(c10::make_intrusive<c10d::PrefixStore>("llmdrop", store), rank, size, device);
}

void run_ranks(const std::vector<std::shared_ptr<Communicator>>& ranks,
               const std::function<void(const std::shared_ptr<Communicator>&)>& work) {
  std::vector<std::exception_ptr> errors(ranks.size());
  std::vector<std::thread> threads;
  for (size_t r = 0; r < ranks.size(); ++r)
    threads.emplace_back([&, r] {
      try {
        work(ranks[r]);
      } catch (...) {
        errors[r] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

std::pair<int64_t, int64_t> rank_share(int64_t n, int rank, int size) {
  const int64_t base = n / size, extra = n % size;
  const int64_t begin = rank * base + std::min<int64_t>(rank, extra);
  return {begin, begin + base + (rank < extra ? 1 : 0)};
}

}  // namespace llmdrop
