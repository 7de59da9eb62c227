// A safetensors file: SafetensorsFile::open (header length, JSON header, dtypes, shapes, offsets), then
// TensorStore::open on its folder and a read of every tensor's first and last byte through its view.
#include <ATen/ATen.h>

#include <cstring>

#include "checkpoint/safetensors.h"
#include "fuzz_support.h"

namespace {

std::string safetensors(const std::string& header, size_t data_bytes, uint64_t header_len) {
  std::string out(8, '\0');
  std::memcpy(out.data(), &header_len, 8);
  return out + header + std::string(data_bytes, '\x01');
}

std::string safetensors(const std::string& header, size_t data_bytes) {
  return safetensors(header, data_bytes, header.size());
}

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  const std::string valid =
      R"({"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
      R"("b":{"dtype":"BF16","shape":[3],"data_offsets":[16,22]},)"
      R"("c":{"dtype":"I32","shape":[],"data_offsets":[24,28]},)"
      R"("d":{"dtype":"F16","shape":[0,4],"data_offsets":[28,28]}})";
  llmdrop::fuzz::Seeds seeds = {
      {"valid.safetensors", safetensors(valid, 28)},
      {"empty-header.safetensors", safetensors("{}", 0)},
      {"padded-header.safetensors",
       safetensors(R"({"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}   )", 2)},
      {"empty.safetensors", ""},
      {"short.safetensors", "\x10\x00\x00"},
      {"header-past-end.safetensors", safetensors("{}", 0, 1000)},
      {"header-len-huge.safetensors", safetensors("{}", 0, 1099511627780ull)},
      {"header-len-max.safetensors", safetensors("{}", 0, ~uint64_t(0))},
      {"missing-key.safetensors", safetensors(R"({"a":{"dtype":"F32","shape":[1]}})", 4)},
      {"wrong-types.safetensors",
       safetensors(R"({"a":{"dtype":7,"shape":"1","data_offsets":{"0":1}}, "b": [], "c": null})", 4)},
      {"negative-shape.safetensors",
       safetensors(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4)},
      {"float-shape.safetensors",
       safetensors(R"({"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}})", 4)},
      {"huge-shape.safetensors",
       safetensors(R"({"a":{"dtype":"F32","shape":[1099511627780,1099511627780],"data_offsets":[0,4]}})", 4)},
      {"huge-shape-zero.safetensors",
       safetensors(R"({"a":{"dtype":"F32","shape":[0,9223372036854775807,4],"data_offsets":[0,0]}})", 0)},
      {"huge-offsets.safetensors",
       safetensors(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[1e12,1099511627780]}})", 4)},
      {"overlap.safetensors", safetensors(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                          R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                                          8)},
      {"backwards.safetensors", safetensors(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}})", 4)},
      {"unknown-dtype.safetensors",
       safetensors(R"({"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}})", 8)},
      {"bom-header.safetensors", safetensors("\xEF\xBB\xBF" + valid, 28)},
  };
  for (const auto& [name, json] : llmdrop::fuzz::json_seeds())
    seeds.emplace_back("header-" + name, safetensors(json, 4));
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = llmdrop::fuzz::write_input("model/model.safetensors", llmdrop::fuzz::as_text(data, size));
  llmdrop::fuzz::expect_only_errors([&] { llmdrop::SafetensorsFile::open(path); });
  llmdrop::fuzz::expect_only_errors([&] {
    const auto store = llmdrop::TensorStore::open(path.parent_path());
    store->main_dtype();
    volatile uint8_t sink = 0;
    for (const auto& name : store->names()) {
      const auto& info = store->info(name);
      const at::Tensor view = store->view(name);
      if (static_cast<size_t>(view.nbytes()) != info.end - info.begin) __builtin_trap();
      if (view.nbytes() > 0) {
        const auto* bytes = static_cast<const uint8_t*>(view.data_ptr());
        sink = sink + bytes[0] + bytes[view.nbytes() - 1];
      }
    }
  });
  return 0;
}
