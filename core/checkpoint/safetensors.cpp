#include "checkpoint/safetensors.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "util/error.h"
#include "util/input.h"
#include "util/mapped_file.h"

namespace llmdrop {
namespace fs = std::filesystem;

const char* to_string(StorageDType dtype) {
  switch (dtype) {
    case StorageDType::F32:
      return "F32";
    case StorageDType::F16:
      return "F16";
    case StorageDType::BF16:
      return "BF16";
    case StorageDType::I32:
      return "I32";
  }
  return "?";
}

size_t element_size(StorageDType dtype) {
  return dtype == StorageDType::F32 || dtype == StorageDType::I32 ? 4 : 2;
}

int64_t TensorInfo::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

namespace {

StorageDType parse_dtype(const std::string& s, const std::string& where) {
  if (s == "F32") return StorageDType::F32;
  if (s == "F16") return StorageDType::F16;
  if (s == "BF16") return StorageDType::BF16;
  if (s == "I32") return StorageDType::I32;  // packed quantized weights (GPTQ, AWQ)
  static const std::set<std::string> known = {"F64", "I64", "I16", "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2"};
  if (known.count(s))
    throw_bad_input(where + ": dtype " + s + " is not supported (F32, F16, BF16 and I32 are)");
  throw_bad_input(where + ": unknown dtype string '" + s + "'");
}

at::ScalarType scalar_type(StorageDType dtype) {
  switch (dtype) {
    case StorageDType::F32:
      return at::kFloat;
    case StorageDType::F16:
      return at::kHalf;
    case StorageDType::BF16:
      return at::kBFloat16;
    case StorageDType::I32:
      return at::kInt;
  }
  return at::kFloat;
}

}  // namespace

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const fs::path& path) {
  auto result = std::make_shared<SafetensorsFile>();
  result->file_ = MappedFile::open(path);
  const MappedFile& file = *result->file_;
  const std::string where = path.string();
  if (file.size() < 8) throw_bad_input(where + ": truncated safetensors file (no header length)");
  uint64_t header_len = 0;
  std::memcpy(&header_len, file.data(), 8);  // little-endian u64, as is the host
  if (header_len > file.size() - 8)
    throw_bad_input(where + ": header length " + std::to_string(header_len) + " exceeds the file size " +
                    std::to_string(file.size()) + " (truncated or corrupt file)");
  const size_t data_start = 8 + header_len;
  const size_t data_size = file.size() - data_start;

  const nlohmann::json header = parse_json(
      std::string_view(reinterpret_cast<const char*>(file.data()) + 8, header_len), where + ": header");
  if (!header.is_object()) throw_bad_input(where + ": header is not a JSON object");

  std::vector<std::pair<size_t, size_t>> ranges;  // relative to the data section
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") continue;
    const std::string at_tensor = where + ": tensor '" + name + "'";
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
        !entry.contains("data_offsets"))
      throw_bad_input(at_tensor + " needs dtype, shape and data_offsets");
    const auto& dtype = entry["dtype"];
    const auto& shape = entry["shape"];
    const auto& offsets = entry["data_offsets"];
    if (!dtype.is_string()) throw_bad_input(at_tensor + ": dtype is not a string");
    if (!shape.is_array() || !offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
      throw_bad_input(at_tensor + ": malformed shape or data_offsets");
    TensorInfo info;
    info.dtype = parse_dtype(dtype.get<std::string>(), at_tensor);
    uint64_t elements = 1;
    for (const auto& d : shape) {
      if (!d.is_number_unsigned() || d.get<uint64_t>() > uint64_t(INT64_MAX))
        throw_bad_input(at_tensor + ": shape entries must be non-negative integers");
      if (__builtin_mul_overflow(elements, d.get<uint64_t>(), &elements))
        throw_bad_input(at_tensor + ": shape is too large");
      info.shape.push_back(d.get<int64_t>());
    }
    uint64_t bytes = 0;
    if (__builtin_mul_overflow(elements, uint64_t(element_size(info.dtype)), &bytes))
      throw_bad_input(at_tensor + ": shape is too large");
    const auto begin = offsets[0].get<uint64_t>();
    const auto end = offsets[1].get<uint64_t>();
    if (begin > end) throw_bad_input(at_tensor + ": data_offsets begin after they end");
    if (end > data_size)
      throw_bad_input(at_tensor + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                      "] run past the end of the file (" + std::to_string(data_size) +
                      " data bytes; truncated file?)");
    if ((end - begin) != bytes)
      throw_bad_input(at_tensor + ": " + std::to_string(end - begin) +
                      " bytes do not hold its shape and dtype");
    info.begin = data_start + begin;
    info.end = data_start + end;
    ranges.emplace_back(begin, end);
    result->tensors_.emplace(name, std::move(info));
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first < ranges[i - 1].second)
      throw_bad_input(where + ": tensors' data_offsets overlap (" + std::to_string(ranges[i].first) + " < " +
                      std::to_string(ranges[i - 1].second) + ")");
  }
  return result;
}

const fs::path& SafetensorsFile::path() const {
  return file_->path();
}

at::Tensor SafetensorsFile::view(const std::string& name) const {
  const TensorInfo& info = tensors_.at(name);
  auto keep_alive = file_;
  void* data = const_cast<std::byte*>(file_->data() + info.begin);
  return at::from_blob(
      data, info.shape, [keep_alive](void*) {}, at::TensorOptions().dtype(scalar_type(info.dtype)));
}

std::shared_ptr<TensorStore> TensorStore::open(const fs::path& model_dir) {
  auto store = std::make_shared<TensorStore>();
  store->dir_ = model_dir;
  const fs::path single = model_dir / "model.safetensors";
  const fs::path index_path = model_dir / "model.safetensors.index.json";
  if (fs::exists(single)) {
    store->files_.push_back(SafetensorsFile::open(single));
  } else if (fs::exists(index_path)) {
    const nlohmann::json index = read_json_file(index_path);
    const auto* weight_map = json_find(index, "weight_map");
    if (!weight_map || !weight_map->is_object())
      throw_bad_input(index_path.string() + " has no weight_map object");
    std::map<std::string, const SafetensorsFile*> opened;
    for (const auto& [name, file_name] : weight_map->items()) {
      const std::string shard =
          json_string(file_name, index_path.string() + ": weight_map[\"" + name + "\"]");
      // A plain file name in the model folder ("model..v2.safetensors" is one); no path may leave it.
      if (shard.empty() || shard == "." || shard == ".." || shard.find('/') != std::string::npos ||
          shard.find('\\') != std::string::npos)
        throw_bad_input(index_path.string() + ": shard name '" + shard + "' leaves the model directory");
      if (!opened.count(shard)) {
        store->files_.push_back(SafetensorsFile::open(model_dir / shard));
        opened[shard] = store->files_.back().get();
      }
      if (!opened[shard]->tensors().count(name))
        throw_bad_input(index_path.string() + " maps '" + name + "' to " + shard +
                        ", which does not contain it");
      store->index_[name] = opened[shard];
    }
    return store;
  } else {
    if (fs::exists(model_dir / "pytorch_model.bin") || fs::exists(model_dir / "pytorch_model.bin.index.json"))
      throw_bad_input(model_dir.string() +
                      " holds PyTorch .bin weights; only safetensors checkpoints are supported");
    throw_bad_input("no model.safetensors or model.safetensors.index.json in " + model_dir.string());
  }
  for (const auto& file : store->files_)
    for (const auto& [name, info] : file->tensors()) store->index_[name] = file.get();
  return store;
}

const TensorInfo& TensorStore::info(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end())
    throw_bad_input("tensor '" + name + "' is missing from the checkpoint in " + dir_.string());
  return it->second->tensors().at(name);
}

at::Tensor TensorStore::view(const std::string& name) const {
  info(name);
  return index_.at(name)->view(name);
}

std::vector<std::string> TensorStore::names() const {
  std::vector<std::string> out;
  for (const auto& [name, file] : index_) out.push_back(name);
  return out;
}

StorageDType TensorStore::main_dtype() const {
  std::map<StorageDType, int64_t> count;
  for (const auto& [name, file] : index_) {
    const auto& info = file->tensors().at(name);
    if (info.dtype != StorageDType::I32) count[info.dtype] += info.numel();  // floating point parameters
  }
  StorageDType best = StorageDType::F32;
  int64_t most = -1;
  for (const auto& [dtype, n] : count)
    if (n > most) best = dtype, most = n;
  return best;
}

}  // namespace llmdrop
