#pragma once
// What every fuzz target shares: a scratch folder of its own (readers that take a path get the input as a
// file), the rule that llmdrop::Error is the only acceptable exception, and generated seeds.
//
// A target defines LLVMFuzzerTestOneInput and fuzz_seeds(). Run with LLMDROP_FUZZ_WRITE_SEEDS=DIR, it writes
// its generated seeds into DIR and exits (tests/fuzz/run_fuzzer.cmake does this before fuzzing).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace llmdrop::fuzz {

using Seeds = std::vector<std::pair<std::string, std::string>>;  // file name → bytes

// A folder of this process (made on first use in $TMPDIR, removed at exit).
const std::filesystem::path& scratch_dir();
// scratch_dir()/relative holding `bytes` (folders made as needed, the file replaced); returns the path.
std::filesystem::path write_input(const std::filesystem::path& relative, std::string_view bytes);
std::string_view as_text(const uint8_t* data, size_t size);
// The source tree (for fixtures under tests/data and resources/).
std::filesystem::path source_dir();

// Runs `read`. llmdrop::Error is how a reader refuses bad input; any other exception is a finding: its type
// and message are printed and the process aborts (libFuzzer saves the input).
void expect_only_errors(const std::function<void()>& read);

// Bad JSON every reader must refuse cleanly: nesting 130,000 levels deep (arrays, objects, and inside a
// valid prefix), empty and blank input, a lone BOM, truncated text, invalid UTF-8, huge numbers.
Seeds json_seeds();
// `json` as one file of each shape a JSON reader meets: plain, BOM-prefixed, with blank lines around it.
Seeds json_variants(const std::string& name, const std::string& json);
void append(Seeds& seeds, const Seeds& more);

}  // namespace llmdrop::fuzz

// Defined by each target.
llmdrop::fuzz::Seeds fuzz_seeds();
