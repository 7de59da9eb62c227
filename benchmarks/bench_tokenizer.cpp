// Tokenizer speed: one text file encoded with a tokenizer.json, single-threaded, by ours (TokenizerJson) and,
// in the same run, by Hugging Face tokenizers: Python's where python3 has it (tools/tokenizer_json_speed.py,
// the GPU machine), else the Rust library through its Node bindings (tools/tokenizer_json_speed.mjs, which
// tools/make_tokenizer_json_fixtures.sh installs); a note when neither is there. Prints MB/s for both (best
// of
// --repeats, the word cache cleared before each of ours) and whether the ids agree.
//
//   bench_tokenizer [--tokenizer FILE] [--text FILE] [--repeats N]
//   (defaults: the Llama 3-shaped fixture of tests/data/tokenizer_json, ../shared's WikiText-2 test set)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "bench_args.h"
#include "checkpoint/tokenizer_json.h"
#include "util/error.h"
#include "util/input.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  llmdrop::bench::BenchArgs defaults;
  defaults.model = "-";  // no model
  defaults.integers = {{"repeats", 3}};
  defaults.strings = {{"tokenizer", ""}, {"text", ""}};
  auto args = llmdrop::bench::parse_bench_args("bench_tokenizer", argc, argv, defaults);
  if (!args) return 2;
  const fs::path source = fs::path(LLMDROP_SOURCE_DIR);
  const fs::path tokenizer_file = args->strings["tokenizer"].empty()
                                      ? source / "tests/data/tokenizer_json/llama3/tokenizer.json"
                                      : fs::path(args->strings["tokenizer"]);
  const fs::path text_file = args->strings["text"].empty()
                                 ? source / "../shared/data/lm_text/wikitext-2-raw/wiki.test.raw"
                                 : fs::path(args->strings["text"]);
  try {
    const std::string text = llmdrop::read_file(text_file);
    const double mb = double(text.size()) / 1e6;
    double best = 1e30;
    std::vector<int64_t> ids;
    for (int64_t r = 0; r < std::max<int64_t>(1, args->integers["repeats"]); ++r) {
      const auto tokenizer = llmdrop::TokenizerJson::open(tokenizer_file);  // a fresh word cache
      const auto start = std::chrono::steady_clock::now();
      ids = tokenizer.encode(text);
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::printf("%s (%.2f MB) with %s, single-threaded, best of %lld\n\n", text_file.c_str(), mb,
                tokenizer_file.c_str(), static_cast<long long>(args->integers["repeats"]));
    std::printf("| tokenizer | seconds | MB/s | tokens |\n|---|---|---|---|\n");
    std::printf("| ours (TokenizerJson) | %.3f | %.2f | %zu |\n", best, mb / best, ids.size());
    // The reference's JSON line, or empty when it could not run.
    auto reference = [&](const std::string& runner, const std::string& script) {
      const std::string command = runner + " " + (source / "tools" / script).string() + " '" +
                                  tokenizer_file.string() + "' '" + text_file.string() + "' " +
                                  std::to_string(args->integers["repeats"]) + " 2>/dev/null";
      FILE* pipe = popen(command.c_str(), "r");
      std::string reply;
      char buffer[4096];
      while (pipe && std::fgets(buffer, sizeof buffer, pipe)) reply += buffer;
      return pipe && pclose(pipe) == 0 ? reply : std::string();
    };
    std::string reply = reference("python3", "tokenizer_json_speed.py");
    if (reply.empty() && fs::exists(source / "node_modules/@anush008/tokenizers"))
      reply = reference("node", "tokenizer_json_speed.mjs");
    if (reply.empty()) {
      std::printf(
          "| Hugging Face tokenizers | not run: neither python3's tokenizers nor node's "
          "@anush008/tokenizers |||\n");
      return 0;
    }
    const auto theirs = nlohmann::json::parse(reply);
    const double seconds = theirs["seconds"].get<double>();
    std::printf("| Hugging Face %s | %.3f | %.2f | %lld |\n",
                theirs.value("implementation", std::string("tokenizers (Rust, via Node)")).c_str(), seconds,
                mb / seconds, theirs["tokens"].get<long long>());
    uint32_t hash = 0x811c9dc5;  // FNV-1a over the ids, as the reference script hashes them
    for (const int64_t id : ids)
      for (int b = 0; b < 4; ++b)
        hash = (hash ^ ((static_cast<uint32_t>(id) >> (8 * b)) & 0xff)) * 0x01000193u;
    std::printf("\nours / theirs: %.2fx the speed; ids %s\n", seconds / best,
                theirs["fnv1a"].get<uint32_t>() == hash && theirs["tokens"].get<size_t>() == ids.size()
                    ? "equal (count and FNV-1a hash)"
                    : "DIFFER");
  } catch (const llmdrop::Error& e) {
    std::fprintf(stderr, "bench_tokenizer: %s\n", e.what());
    return 1;
  }
  return 0;
}
