#pragma once
// Shared helpers of the test suites: fixture locations, temporary model copies, error expectations.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace llmdrop::test {

std::filesystem::path data_dir();                          // tests/data
std::filesystem::path model_dir(const std::string& name);  // tests/data/models/NAME
std::filesystem::path demo_model_dir();                    // resources/models/demo
nlohmann::json read_json(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& bytes);  // creates missing folders
void write_json(const std::filesystem::path& path, const nlohmann::json& j);
// Copies a fixture model directory into `target` (created), so a test may alter the copy.
void copy_model(const std::string& name, const std::filesystem::path& target);
// The device the engine tests run on: $LLMDROP_TEST_DEVICE, default cpu.
std::string test_device();
// In a Qt Test data function: a QString column `column` and one row per name, named by it.
void add_name_rows(const char* column, const std::vector<std::string>& names);

}  // namespace llmdrop::test

// Fails the test unless `statement` throws an llmdrop::Error of `kind` (BadInput, Runtime, Cancelled) whose
// message contains `fragment`. Only for suites that link core.
#define EXPECT_ERROR(error_kind, statement, fragment)                                                      \
  do {                                                                                                     \
    std::string caught_;                                                                                   \
    bool right_kind_ = false;                                                                              \
    try {                                                                                                  \
      statement;                                                                                           \
    } catch (const llmdrop::Error& e_) {                                                                   \
      caught_ = e_.what();                                                                                 \
      right_kind_ = e_.kind() == llmdrop::Error::Kind::error_kind;                                         \
    }                                                                                                      \
    const std::string expected_ = fragment;                                                                \
    QVERIFY2(right_kind_,                                                                                  \
             ("expected a " #error_kind " error mentioning: " + expected_ + "; got: " + caught_).c_str()); \
    QVERIFY2(caught_.find(expected_) != std::string::npos, ("message was: " + caught_).c_str());           \
  } while (0)
