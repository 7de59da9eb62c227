// The include graph points one way: inside core util ← {checkpoint, distributed} ← model ← {analysis, eval,
// bench, export, quant, heal} ← session ← project; core never includes Qt; widgets never include app; core
// and widgets never include app. Read from the #include lines of the source tree (LLMDROP_SOURCE_DIR, or the
// one this test was built from).
#include <QtTest>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// The level of each core folder; a file may include its own level and below. jobs/ is the contract every
// level shares, so it sits with util.
const std::map<std::string, int> kCoreLevels = {
    {"util", 0},     {"jobs", 0},    {"checkpoint", 1}, {"distributed", 1}, {"model", 2},
    {"analysis", 3}, {"eval", 3},    {"bench", 3},      {"export", 3},      {"quant", 3},
    {"heal", 3},     {"session", 4}, {"project", 5},
};

fs::path source_dir() {
  if (const char* env = std::getenv("LLMDROP_SOURCE_DIR"); env && *env) return env;
  return LLMDROP_SOURCE_DIR;
}

struct Include {
  std::string file;  // relative to the source root
  int line = 0;
  std::string target;  // what is between the quotes or angle brackets
};

std::vector<Include> includes_under(const fs::path& root, const std::string& folder) {
  std::vector<Include> out;
  for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".h" && ext != ".cpp" && ext != ".cu" && ext != ".cuh")) continue;
    std::ifstream in(entry.path());
    int number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      const size_t at = line.find_first_not_of(" \t");
      if (at == std::string::npos || line.compare(at, 8, "#include") != 0) continue;
      const size_t open = line.find_first_of("\"<", at + 8);
      const size_t close = open == std::string::npos ? open : line.find_first_of("\">", open + 1);
      if (close == std::string::npos) continue;
      out.push_back(
          {fs::relative(entry.path(), root).string(), number, line.substr(open + 1, close - open - 1)});
    }
  }
  return out;
}

std::string first_component(const std::string& path) {
  return path.substr(0, path.find('/'));
}

// Every include of `folder`'s files that breaks the rules, as "file:line: include".
std::vector<std::string> violations(const fs::path& root) {
  std::vector<std::string> bad;
  auto report = [&](const Include& inc, const std::string& why) {
    bad.push_back(inc.file + ":" + std::to_string(inc.line) + ": " + inc.target + " (" + why + ")");
  };
  for (const auto& inc : includes_under(root, "core")) {
    const std::string own = first_component(fs::path(inc.file).lexically_relative("core").string());
    const std::string target = first_component(inc.target);
    if (inc.target.rfind("Q", 0) == 0 || inc.target.rfind("qt", 0) == 0) report(inc, "core includes Qt");
    if (!kCoreLevels.count(own)) {
      report(inc, "core/" + own + " has no level in the layering test");
      continue;
    }
    const auto level = kCoreLevels.find(target);
    if (level != kCoreLevels.end() && level->second > kCoreLevels.at(own))
      report(inc, "core/" + own + " may not include core/" + target);
  }
  for (const auto& inc : includes_under(root, "widgets"))
    if (first_component(inc.target) == "app" || first_component(inc.target) == "cli" ||
        first_component(inc.target) == "workbench" || inc.target == "main_window.h")
      report(inc, "widgets include app");
  std::sort(bad.begin(), bad.end());
  return bad;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

}  // namespace

class LayeringTest : public QObject {
  Q_OBJECT

 private slots:
  void includesPointDownward() {
    const auto bad = violations(source_dir());
    QVERIFY2(bad.empty(), ("includes against the layering:" + joined(bad)).c_str());
  }

  // The check itself: an upward include added to a copy of the tree is found.
  void anUpwardIncludeIsFound() {
    QTemporaryDir tmp;
    const fs::path copy = tmp.path().toStdString();
    fs::create_directories(copy / "core" / "checkpoint");
    fs::create_directories(copy / "core" / "session");
    fs::create_directories(copy / "widgets");
    std::ofstream(copy / "core" / "checkpoint" / "a.cpp")
        << "#include \"util/error.h\"\n#include \"session/session.h\"\n";
    std::ofstream(copy / "core" / "session" / "b.cpp") << "#include \"model/model.h\"\n#include <QString>\n";
    std::ofstream(copy / "widgets" / "c.cpp") << "#include \"main_window.h\"\n";
    const auto bad = violations(copy);
    QCOMPARE(bad.size(), size_t(3));
    QVERIFY2(bad[0].find("core/checkpoint/a.cpp:2: session/session.h") == 0, bad[0].c_str());
    QVERIFY2(bad[1].find("core/session/b.cpp:2: QString (core includes Qt)") == 0, bad[1].c_str());
    QVERIFY2(bad[2].find("widgets/c.cpp:1: main_window.h") == 0, bad[2].c_str());
  }
};

QTEST_GUILESS_MAIN(LayeringTest)
#include "tst_layering.moc"
