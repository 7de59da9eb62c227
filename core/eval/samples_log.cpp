#include "eval/samples_log.h"

#include "eval/text_ops.h"
#include "util/error.h"
#include "util/input.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {

// The header's fields whose values differ, as paths: "tasks.arc_easy.data, model_fingerprint".
void differing_fields(const nlohmann::json& found, const nlohmann::json& expected, const std::string& prefix,
                      std::string& out) {
  auto add = [&](const std::string& key) { out += (out.empty() ? "" : ", ") + prefix + key; };
  for (const auto& [key, value] : expected.items()) {
    const auto it = found.find(key);
    if (it == found.end())
      add(key);
    else if (it->is_object() && value.is_object())
      differing_fields(*it, value, prefix + key + ".", out);
    else if (*it != value)
      add(key);
  }
  for (const auto& [key, value] : found.items())
    if (!expected.contains(key)) add(key);
}

}  // namespace

SamplesLog::SamplesLog(const fs::path& path, const nlohmann::json& header, bool resume) : path_(path) {
  if (path.empty()) return;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    out_.open(path);
    out_ << header.dump() << "\n";
    if (!out_) throw_runtime("cannot write " + path.string());
    return;
  }
  if (!resume)
    throw_bad_input(path.string() + " exists; pass --resume to continue that run, or choose another file");
  const std::string content = read_file(path, kMaxDataBytes);
  size_t good_end = 0;  // just after the last complete record
  int64_t line_no = 0;
  bool header_seen = false;
  for (size_t pos = 0; pos < content.size();) {
    const size_t nl = content.find('\n', pos);
    const size_t end = nl == std::string::npos ? content.size() : nl + 1;
    const std::string line = content.substr(pos, end - pos);
    ++line_no;
    pos = end;
    if (text::strip(line).empty()) continue;
    const std::string where = path.string() + ":" + std::to_string(line_no);
    nlohmann::json record;
    try {
      record = parse_json(line, where);
    } catch (const Error&) {
      // A run killed mid-write leaves a partial last line: it is dropped. Anything else is a damaged file.
      if (pos >= content.size()) break;
      throw;
    }
    good_end = end;
    if (!header_seen) {
      header_seen = true;
      const auto* found = json_find(record, "llmdrop_samples");
      const nlohmann::json& expected = header.at("llmdrop_samples");
      if (!found || !found->is_object() || *found != expected) {
        std::string fields;
        if (found && found->is_object()) differing_fields(*found, expected, "", fields);
        throw_bad_input(path.string() + " was written by another run (" +
                        (fields.empty() ? "no samples header" : "differing: " + fields) +
                        "); choose another file to start afresh");
      }
      continue;
    }
    const std::string task = json_string(json_field(record, "task", where), where + ": field 'task'");
    const int64_t doc = json_int(json_field(record, "doc_id", where), where + ": field 'doc_id'", 0);
    done_[{task, doc}] = std::move(record);
  }
  if (good_end == 0) throw_bad_input(path.string() + " holds no samples header; choose another file");
  if (good_end < content.size()) fs::resize_file(path, good_end);
  const bool needs_newline = content[good_end - 1] != '\n';
  out_.open(path, std::ios::app);
  if (needs_newline) out_ << "\n";
  if (!out_) throw_runtime("cannot write " + path.string());
}

const nlohmann::json* SamplesLog::find(const std::string& task, int64_t doc) const {
  auto it = done_.find({task, doc});
  return it == done_.end() ? nullptr : &it->second;
}

void SamplesLog::append(const nlohmann::json& record) {
  if (!out_.is_open()) return;
  out_ << record.dump() << "\n";
}

void SamplesLog::flush() {
  if (!out_.is_open()) return;
  out_.flush();
  if (!out_) throw_runtime("cannot write " + path_.string());
}

}  // namespace llmdrop
