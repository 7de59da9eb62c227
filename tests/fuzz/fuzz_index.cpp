// A sharded checkpoint's model.safetensors.index.json: TensorStore::open on a folder holding the input beside
// two small valid shards, then every tensor's info and view. Seeds: the llama3 fixture's index and these.
#include <ATen/ATen.h>

#include <cstring>

#include "checkpoint/safetensors.h"
#include "fuzz_support.h"

namespace fs = std::filesystem;

namespace {

std::string shard(const std::string& header, size_t data_bytes) {
  const uint64_t length = header.size();
  std::string out(8, '\0');
  std::memcpy(out.data(), &length, 8);
  return out + header + std::string(data_bytes, '\x02');
}

// The folder with the shards (written once) that the index refers to.
const fs::path& model_dir() {
  static const fs::path& dir = *new fs::path([] {
    llmdrop::fuzz::write_input("model/model-00001-of-00002.safetensors",
                               shard(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                     R"("b":{"dtype":"BF16","shape":[2,2],"data_offsets":[8,16]}})",
                                     16));
    llmdrop::fuzz::write_input("model/model-00002-of-00002.safetensors",
                               shard(R"({"c":{"dtype":"F16","shape":[3],"data_offsets":[0,6]}})", 6));
    llmdrop::fuzz::write_input("model/broken.safetensors", "\x40\x00\x00\x00\x00\x00\x00\x00{\"a\":");
    return llmdrop::fuzz::scratch_dir() / "model";
  }());
  return dir;
}

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  const std::string one = "model-00001-of-00002.safetensors", two = "model-00002-of-00002.safetensors";
  auto index = [](const std::string& weight_map) {
    return R"({"metadata": {"total_size": 30}, "weight_map": {)" + weight_map + "}}";
  };
  llmdrop::fuzz::Seeds seeds = {
      {"missing-weight-map.json", R"({"metadata": {"total_size": 30}})"},
      {"weight-map-list.json", R"({"weight_map": [["a", "model-00001-of-00002.safetensors"]]})"},
      {"wrong-types.json", index(R"("a": 1, "b": null, "c": ["x"])")},
      {"missing-tensor.json", index(R"("z": ")" + one + R"(")")},
      {"missing-shard.json", index(R"("a": "model-00003-of-00003.safetensors")")},
      {"broken-shard.json", index(R"("a": "broken.safetensors")")},
      {"escape.json", index(R"("a": "../model/)" + one + R"(", "b": "/etc/passwd", "c": "..")")},
      {"self.json", index(R"("a": "model.safetensors.index.json")")},
      {"empty-name.json", index(R"("": ")" + one + R"(", "a": "")")},
      {"huge-numbers.json",
       R"({"metadata": {"total_size": 1099511627780}, "weight_map": {"a": ")" + one + R"("}, "n": 1e12})"},
  };
  llmdrop::fuzz::append(
      seeds, llmdrop::fuzz::json_variants("index.json", index(R"("a": ")" + one + R"(", "b": ")" + one +
                                                              R"(", "c": ")" + two + R"(")")));
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_seeds());
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fs::path dir = model_dir();
  llmdrop::fuzz::write_input("model/model.safetensors.index.json", llmdrop::fuzz::as_text(data, size));
  llmdrop::fuzz::expect_only_errors([&] {
    const auto store = llmdrop::TensorStore::open(dir);
    store->main_dtype();
    for (const auto& name : store->names()) {
      const auto& info = store->info(name);
      if (static_cast<size_t>(store->view(name).nbytes()) != info.end - info.begin) __builtin_trap();
    }
  });
  return 0;
}
