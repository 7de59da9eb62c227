#include "fuzz_support.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string_view>
#include <system_error>
#include <typeinfo>

#include <cxxabi.h>
#include <unistd.h>

#include "util/error.h"

namespace llmdrop::fuzz {
namespace fs = std::filesystem;

namespace {

fs::path make_scratch_dir() {
  std::string pattern = (fs::temp_directory_path() / "llmdrop-fuzz-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    std::perror("fuzz: mkdtemp");
    std::abort();
  }
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(scratch_dir(), ec);
  });
  return pattern;
}

void write_bytes(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
}

std::string demangled(const char* name) {
  int status = 0;
  char* readable = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string result = status == 0 && readable ? readable : name;
  std::free(readable);
  return result;
}

}  // namespace

const fs::path& scratch_dir() {
  static const fs::path& dir = *new fs::path(make_scratch_dir());  // never destroyed: the atexit hook uses it
  return dir;
}

fs::path write_input(const fs::path& relative, std::string_view bytes) {
  const fs::path path = scratch_dir() / relative;
  fs::create_directories(path.parent_path());
  write_bytes(path, bytes);
  return path;
}

std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

fs::path source_dir() {
  return LLMDROP_FUZZ_SOURCE_DIR;
}

void expect_only_errors(const std::function<void()>& read) {
  try {
    read();
  } catch (const Error&) {
    // the reader refused the input, as it should
  } catch (const std::exception& e) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    std::fprintf(stderr, "\nFINDING: an exception other than llmdrop::Error escaped: %s: %s\n",
                 demangled(type ? type->name() : "?").c_str(), e.what());
    std::abort();
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    std::fprintf(stderr, "\nFINDING: a non-std exception escaped: %s\n",
                 demangled(type ? type->name() : "?").c_str());
    std::abort();
  }
}

Seeds json_seeds() {
  constexpr int kDeep = 130000;
  auto repeat = [](std::string_view s, int n) {
    std::string out;
    out.reserve(s.size() * n);
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  return {
      {"deep-arrays.json", repeat("[", kDeep) + repeat("]", kDeep)},
      {"deep-arrays-unclosed.json", repeat("[", kDeep)},
      {"deep-objects.json", repeat("{\"a\":", kDeep) + "1" + repeat("}", kDeep)},
      {"deep-in-object.json",
       "{\"x\": " + repeat("[{\"a\":", kDeep / 2) + "0" + repeat("}]", kDeep / 2) + "}"},
      {"empty.json", ""},
      {"blank.json", "\n\n  \r\n\t\n"},
      {"bom-only.json", "\xEF\xBB\xBF"},
      {"bom-blank.json", "\xEF\xBB\xBF\n\n"},
      {"null.json", "null"},
      {"string.json", "\"text\""},
      {"number.json", "1099511627780"},
      {"array.json", "[1, 2, 3]"},
      {"empty-object.json", "{}"},
      {"truncated.json", "{\"a\": [1, 2"},
      {"bad-utf8.json", "{\"a\": \"\xC3\x28\xFF\"}"},
      {"huge-numbers.json",
       "[1e12, 1099511627780, 18446744073709551616, -9223372036854775809, 1e400, -1e400]"},
      {"nul.json", std::string("{\"a\":\0 1}", 9)},
  };
}

Seeds json_variants(const std::string& name, const std::string& json) {
  return {
      {name, json},
      {"bom-" + name, "\xEF\xBB\xBF" + json},
      {"blank-lines-" + name, "\n\n" + json + "\n\n\n"},
      {"crlf-" + name, json + "\r\n"},
  };
}

void append(Seeds& seeds, const Seeds& more) {
  seeds.insert(seeds.end(), more.begin(), more.end());
}

}  // namespace llmdrop::fuzz

// libFuzzer calls this once before fuzzing; with LLMDROP_FUZZ_WRITE_SEEDS=DIR it writes the target's
// generated seeds there instead.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  if (const char* dir = std::getenv("LLMDROP_FUZZ_WRITE_SEEDS"); dir && *dir) {
    std::filesystem::create_directories(dir);
    const auto seeds = fuzz_seeds();
    for (const auto& [name, bytes] : seeds)
      llmdrop::fuzz::write_bytes(std::filesystem::path(dir) / name, bytes);
    std::printf("wrote %zu generated seeds to %s\n", seeds.size(), dir);
    std::exit(0);
  }
  return 0;
}
