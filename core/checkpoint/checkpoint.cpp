#include "checkpoint/checkpoint.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "checkpoint/family.h"
#include "checkpoint/quant_scheme.h"
#include "util/error.h"
#include "util/input.h"
#include "util/sha256.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {

// A name that stays one folder below its parent (a ref of "../../.." must not leave the entry).
bool is_plain_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// The commit refs/<revision> names, when it is a plain snapshot name.
std::string ref_commit(const fs::path& entry, const std::string& revision) {
  const fs::path ref = entry / "refs" / revision;
  if (!is_plain_name(revision) || !is_plain_file(ref)) return "";
  std::string commit = read_file(ref, 4096);
  while (!commit.empty() && std::isspace(static_cast<unsigned char>(commit.back()))) commit.pop_back();
  return is_plain_name(commit) ? commit : "";
}

// Every decoder layer below num_hidden_layers must have weights unless both of its modules are dropped, and
// no tensor may belong to a layer beyond it: checked on the names alone, before anything is allocated.
void check_layers(const fs::path& dir, const ModelConfig& config, const TensorStore& tensors) {
  std::set<int64_t> present;
  const std::string prefix = "model.layers.";
  for (const auto& name : tensors.names()) {
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const size_t end = name.find('.', prefix.size());
    const std::string digits = name.substr(prefix.size(), end - prefix.size());
    if (digits.empty() || digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), ::isdigit))
      continue;
    const int64_t layer = std::stoll(digits);
    if (layer >= config.num_layers)
      throw_bad_input((dir / "config.json").string() + ": field 'num_hidden_layers' is " +
                      std::to_string(config.num_layers) + ", but the weights hold tensor '" + name + "'");
    present.insert(layer);
  }
  for (int64_t i = 0; i < config.num_layers; ++i)
    if (!present.count(i) && !(config.drops.attn_dropped(i) && config.drops.mlp_dropped(i)))
      throw_bad_input((dir / "config.json").string() + ": field 'num_hidden_layers' is " +
                      std::to_string(config.num_layers) + ", but the weights hold no tensor of layer " +
                      std::to_string(i) + " (" + std::to_string(present.size()) + " layers have weights)");
}

}  // namespace

fs::path resolve_model_dir(const fs::path& path, const std::string& revision) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw_bad_input("model path " + path.string() + " does not exist");
  if (!fs::is_directory(path, ec)) throw_bad_input("model path " + path.string() + " is not a directory");
  if (fs::exists(path / "config.json", ec)) return path;
  const fs::path snapshots = path / "snapshots";
  if (fs::is_directory(snapshots, ec)) {
    const std::string commit = ref_commit(path, revision);
    if (!commit.empty() && fs::exists(snapshots / commit / "config.json", ec)) return snapshots / commit;
    if (revision != "main") {
      if (is_plain_name(revision) && fs::exists(snapshots / revision / "config.json", ec))
        return snapshots / revision;  // a commit hash
      throw_bad_input(path.string() + " holds no snapshot of revision '" + revision + "' (no refs/" +
                      revision + ", no snapshots/" + revision + "/config.json)");
    }
    fs::path newest;
    fs::file_time_type newest_time{};
    for (const auto& entry : fs::directory_iterator(snapshots, ec)) {
      if (!fs::exists(entry.path() / "config.json", ec)) continue;
      auto t = fs::last_write_time(entry.path(), ec);
      if (newest.empty() || t > newest_time) newest = entry.path(), newest_time = t;
    }
    if (!newest.empty()) return newest;
    throw_bad_input(path.string() +
                    " looks like a Hugging Face cache entry but has no snapshot with a config.json");
  }
  throw_bad_input("no config.json in " + path.string() + " (expected a Hugging Face model directory)");
}

Checkpoint Checkpoint::open(const fs::path& path) {
  Checkpoint ckpt;
  ckpt.dir = resolve_model_dir(path);
  ckpt.config = read_model_config(ckpt.dir);
  ckpt.tensors = TensorStore::open(ckpt.dir);
  check_layers(ckpt.dir, ckpt.config, *ckpt.tensors);
  return ckpt;
}

DropPlan modules_without_weights(const Checkpoint& checkpoint) {
  DropPlan absent;
  if (!checkpoint.tensors) return absent;
  const ModelFamily& family = family_for(checkpoint.config.model_type);
  const TensorStore& tensors = *checkpoint.tensors;
  auto stored = [&](const std::string& weight) {
    return tensors.contains(weight) || tensors.contains(packed_prefix(weight) + ".qweight");
  };
  for (int64_t i = 0; i < checkpoint.config.num_layers; ++i) {
    if (!stored(family.attention(checkpoint.config, i).qkv.front().weight)) absent.attn.insert(i);
    if (!stored(family.mlp(checkpoint.config, i).gate_up.front().weight)) absent.mlp.insert(i);
  }
  return absent;
}

std::string weights_fingerprint(const Checkpoint& checkpoint) {
  Sha256 h;
  h.update(read_file(checkpoint.dir / "config.json", kMaxMetadataBytes));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(checkpoint.dir))
    if (entry.path().extension() == ".safetensors" && is_plain_file(entry.path()))  // a stray FIFO would hang
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), 8);
    std::string header(std::min<uint64_t>(n, std::min<uint64_t>(fs::file_size(file), 100'000'000)), '\0');
    in.read(header.data(), static_cast<std::streamsize>(header.size()));
    // Size and modification time stand in for the data, which is too large to hash on every request.
    const auto mtime = fs::last_write_time(file).time_since_epoch().count();
    h.update(file.filename().string() + ":" + std::to_string(fs::file_size(file)) + ":" +
             std::to_string(mtime) + ":");
    h.update(header);
  }
  return h.hex_digest();
}

}  // namespace llmdrop
