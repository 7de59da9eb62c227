#include "support/test_support.h"

#include <QtTest>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace llmdrop::test {
namespace fs = std::filesystem;

fs::path data_dir() {
  const char* env = std::getenv("LLMDROP_TEST_DATA");
  return env ? env : LLMDROP_SOURCE_TEST_DATA;
}

fs::path model_dir(const std::string& name) {
  return data_dir() / "models" / name;
}

fs::path demo_model_dir() {
  return data_dir() / ".." / ".." / "resources" / "models" / "demo";
}

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return nlohmann::json::parse(in);
}

void write_file(const fs::path& path, const std::string& bytes) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

void write_json(const fs::path& path, const nlohmann::json& j) {
  write_file(path, j.dump(2));
}

void copy_model(const std::string& name, const fs::path& target) {
  fs::create_directories(target);
  fs::copy(model_dir(name), target, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

std::string test_device() {
  const char* env = std::getenv("LLMDROP_TEST_DEVICE");
  return env && *env ? env : "cpu";
}

void add_name_rows(const char* column, const std::vector<std::string>& names) {
  QTest::addColumn<QString>(column);
  for (const auto& name : names) QTest::newRow(name.c_str()) << QString::fromStdString(name);
}

}  // namespace llmdrop::test
