#pragma once
// Calibration data, built as LLM-Drop's "pt" preprocessing does: every document encoded without BOS and
// followed by EOS, all concatenated, cut into blocks of seq_len tokens (the remainder dropped), first n kept.
#include <ATen/core/Tensor.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace llmdrop {

class Tokenizer;

// A JSON array or JSON Lines of objects with a "text" field (LLM-Drop's c4_demo.json), or a plain text file
// (one document). Throws BadInput naming the file and line for anything else.
std::vector<std::string> read_text_documents(const std::filesystem::path& path);

// (n, seq_len) int64 token blocks. Throws BadInput when the documents yield fewer than n blocks — unless
// `at_most`: then as many as they yield (at least one).
at::Tensor calibration_blocks(const Tokenizer& tokenizer, const std::vector<std::string>& documents,
                              int64_t n, int64_t seq_len, bool at_most = false);

}  // namespace llmdrop
