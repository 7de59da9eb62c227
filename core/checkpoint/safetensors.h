#pragma once
// safetensors files (single or sharded through model.safetensors.index.json), memory-mapped and validated
// before any tensor is touched. This header stays free of torch so that GUI code can read metadata.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace llmdrop {

class MappedFile;

enum class StorageDType { F32, F16, BF16, I32 };
const char* to_string(StorageDType dtype);
size_t element_size(StorageDType dtype);

struct TensorInfo {
  StorageDType dtype = StorageDType::F32;
  std::vector<int64_t> shape;
  size_t begin = 0;  // absolute byte offsets in the file
  size_t end = 0;
  int64_t numel() const;
};

class SafetensorsFile {
 public:
  // Throws Error(BadInput) naming the file and the problem: truncated file, header length past the end,
  // malformed JSON, unknown dtype, offsets past the end of the file or overlapping, size/shape mismatch.
  static std::shared_ptr<SafetensorsFile> open(const std::filesystem::path& path);

  const std::map<std::string, TensorInfo>& tensors() const { return tensors_; }
  const std::filesystem::path& path() const;
  // A CPU tensor viewing the mapped bytes (read-only memory: copy before writing).
  at::Tensor view(const std::string& name) const;

 private:
  std::shared_ptr<MappedFile> file_;
  std::map<std::string, TensorInfo> tensors_;
};

// All tensors of a checkpoint directory.
class TensorStore {
 public:
  static std::shared_ptr<TensorStore> open(const std::filesystem::path& model_dir);

  bool contains(const std::string& name) const { return index_.count(name) != 0; }
  const TensorInfo& info(const std::string& name) const;  // throws BadInput when missing
  at::Tensor view(const std::string& name) const;         // CPU view in the stored dtype
  std::vector<std::string> names() const;
  // The floating-point dtype most parameters are stored in.
  StorageDType main_dtype() const;

 private:
  std::filesystem::path dir_;
  std::vector<std::shared_ptr<SafetensorsFile>> files_;
  std::map<std::string, const SafetensorsFile*> index_;
};

}  // namespace llmdrop
