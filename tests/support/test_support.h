#pragma once
// Shared helpers of the test suites: fixture locations, temporary model copies, error expectations.
#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace llmdrop::test {

std::filesystem::path data_dir();                       // tests/data
std::filesystem::path model_dir(const std::string& name);  // tests/data/models/NAME
nlohmann::json read_json(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& bytes);
void write_json(const std::filesystem::path& path, const nlohmann::json& j);
// Copies a fixture model directory into `target` (created), so a test may alter the copy.
void copy_model(const std::string& name, const std::filesystem::path& target);
// The device the engine tests run on: $LLMDROP_TEST_DEVICE, default cpu.
std::string test_device();

}  // namespace llmdrop::test

// Fails the test unless `statement` throws an exception whose message contains `fragment`.
#define EXPECT_THROW_WITH(statement, fragment)                                                          \
  do {                                                                                                  \
    std::string caught_;                                                                                \
    try {                                                                                               \
      statement;                                                                                        \
    } catch (const std::exception& e_) {                                                                \
      caught_ = e_.what();                                                                              \
      if (caught_.empty()) caught_ = "(empty message)";                                                 \
    }                                                                                                   \
    QVERIFY2(!caught_.empty(), "expected an exception mentioning: " fragment);                          \
    QVERIFY2(caught_.find(fragment) != std::string::npos, ("message was: " + caught_).c_str());          \
  } while (0)
