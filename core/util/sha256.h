#pragma once
// SHA-256 (FIPS 180-4), for fingerprints of weights and data in reproducibility records.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace llmdrop {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  void update(const std::string& text) { update(text.data(), text.size()); }
  std::string hex_digest();  // finishes the hash

 private:
  void block(const uint8_t* chunk);
  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t length_ = 0;
};

std::string sha256_hex(const std::string& text);
std::string sha256_file(const std::filesystem::path& path);  // throws BadInput when unreadable

}  // namespace llmdrop
