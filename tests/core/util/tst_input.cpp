// The input layer every reader uses (regular files, sizes, JSON depth, typed fields, checked arithmetic) and
// the output side (atomic writes by concurrent writers, output paths), with the readers' regressions found by
// the bad-input campaign.
#include <sys/stat.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <barrier>
#include <thread>

#include "analysis/calibration.h"
#include "checkpoint/checkpoint.h"
#include "eval/dataset.h"
#include "support/test_support.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/input.h"
#include "util/sha256.h"

using namespace llmdrop;
namespace fs = std::filesystem;

namespace {
std::string nested(int depth, const std::string& inner = "1") {
  return std::string(depth, '[') + inner + std::string(depth, ']');
}
}  // namespace

class InputTest : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  fs::path path(const std::string& name) { return fs::path(tmp_.path().toStdString()) / name; }

 private slots:
  void specialFilesAreRefusedWithoutBlocking() {
    const fs::path fifo = path("fifo.json");
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    // Opening a FIFO for reading blocks until a writer comes: these must return at once.
    EXPECT_ERROR(BadInput, read_file(fifo), "fifo.json is not a regular file");
    EXPECT_ERROR(BadInput, read_json_file(fifo), "is not a regular file");
    EXPECT_ERROR(BadInput, sha256_file(fifo), "is not a regular file");
    EXPECT_ERROR(BadInput, read_file("/dev/zero"), "/dev/zero is not a regular file");
    fs::create_symlink("/dev/zero", path("zero.txt"));
    EXPECT_ERROR(BadInput, read_text_documents(path("zero.txt")), "is not a regular file");
    EXPECT_ERROR(BadInput, sha256_file(path("zero.txt")), "is not a regular file");
    fs::create_directory(path("folder.txt"));
    EXPECT_ERROR(BadInput, read_file(path("folder.txt")), "is a directory, not a file");
    EXPECT_ERROR(BadInput, read_records(path("folder.txt")), "is a directory, not a file");
    EXPECT_ERROR(BadInput, read_file(path("missing.txt")), "missing.txt: no such file");
    QVERIFY(!is_plain_file(fifo) && !is_plain_file(path("folder.txt")) && !is_plain_file("/dev/zero"));
  }

  void sizesAreCheckedBeforeReading() {
    test::write_file(path("big.json"), std::string(3 * kMiB, ' '));
    EXPECT_ERROR(BadInput, read_file(path("big.json"), 2 * kMiB), "is 3 MiB, more than the 2 MiB");
    QCOMPARE(read_file(path("big.json"), 3 * kMiB).size(), size_t(3 * kMiB));
    QCOMPARE(regular_file_size(path("big.json")), uint64_t(3 * kMiB));
  }

  void deepJsonIsRefusedBeforeParsing() {
    EXPECT_ERROR(BadInput, parse_json(nested(130000), "deep.json"), "deep.json: JSON nested deeper than 256");
    EXPECT_ERROR(BadInput, parse_json("{\"a\": " + nested(257) + "}", "x"), "nested deeper than 256");
    QCOMPARE(parse_json(nested(256), "x").dump(), nested(256));
    // Brackets inside strings (escaped quotes included) are text, not nesting.
    const std::string text = "{\"s\": \"\\\"" + std::string(1000, '[') + "\"}";
    QCOMPARE(json_depth(text), 1);
    QCOMPARE(parse_json(text, "x")["s"].get<std::string>().size(), size_t(1001));
  }

  void parseErrorsNameTheOriginAndSkipTheBom() {
    EXPECT_ERROR(BadInput, parse_json("{\"a\": ", "f.json:3"), "f.json:3: not valid JSON");
    QCOMPARE(parse_json("\xEF\xBB\xBF{\"a\": 1}", "x")["a"].get<int>(), 1);
  }

  void typedFieldsNameFileAndField() {
    const auto j = nlohmann::json::parse(
        R"({"bits": 1099511627780, "big": 18446744073709551615, "text": "x", "half": 4.5, "whole": 4.0,
            "list": [1, "two"], "null": null})");
    EXPECT_ERROR(BadInput, json_int(j["bits"], "c.json: bits", 1, 64),
                 "c.json: bits must be between 1 and 64, not 1099511627780");
    EXPECT_ERROR(BadInput, json_int(j["big"], "c.json: big"), "c.json: big is too large");
    EXPECT_ERROR(BadInput, json_int(j["text"], "c.json: text"), "must be an integer, not a string \"x\"");
    EXPECT_ERROR(BadInput, json_int(j["half"], "c.json: half"), "must be an integer, not a number 4.5");
    QCOMPARE(json_int(j["whole"], "w"), int64_t(4));
    EXPECT_ERROR(BadInput, json_int_list(j["list"], "c.json: list", 0, 9),
                 "c.json: list[1] must be an integer");
    EXPECT_ERROR(BadInput, json_string(j["null"], "c.json: null"), "must be a string, not null");
    EXPECT_ERROR(BadInput, json_field(j, "absent", "c.json"), "c.json: missing field 'absent'");
    EXPECT_ERROR(BadInput, json_field(nlohmann::json::array(), "a", "c.json"), "must be a JSON object");
    QVERIFY(json_find(j, "null") == nullptr && json_find(j, "absent") == nullptr);
    QVERIFY(json_find(nlohmann::json(3), "a") == nullptr);
  }

  void sizeArithmeticIsChecked() {
    QCOMPARE(checked_mul(1 << 20, 1 << 20, "n"), int64_t(1) << 40);
    EXPECT_ERROR(BadInput, checked_mul(int64_t(1) << 40, int64_t(1) << 40, "samples × seq-len"),
                 "samples × seq-len is too large");
    EXPECT_ERROR(BadInput, checked_add(INT64_MAX, 1, "total"), "total is too large");
    EXPECT_ERROR(BadInput, checked_mul(-1, 2, "n"), "n is too large");
  }

  // Writers overlap for certain: each writes half its file, waits until every writer has, then finishes.
  // With one shared temporary name they would truncate and interleave each other's bytes.
  void concurrentWritersNeverLeaveInvalidJson() {
    const fs::path out = path("results.json");
    constexpr int kWriters = 4;
    std::barrier halfway(kWriters);
    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w)
      writers.emplace_back([&, w] {
        const std::string text = nlohmann::json{{"writer", w}, {"pad", std::string(1 << 18, 'a' + w)}}.dump();
        try {
          write_file_atomically(out, [&](std::ofstream& f) {
            f.write(text.data(), std::streamsize(text.size() / 2));
            f.flush();
            halfway.arrive_and_wait();
            f.write(text.data() + text.size() / 2, std::streamsize(text.size() - text.size() / 2));
          });
        } catch (const std::exception&) {
          ++failures;
        }
      });
    for (auto& t : writers) t.join();
    QCOMPARE(failures.load(), 0);
    const auto j = nlohmann::json::parse(read_file(out));  // one writer's whole document
    const int w = j["writer"].get<int>();
    QCOMPARE(j["pad"].get<std::string>(), std::string(1 << 18, 'a' + w));
    for (const auto& entry : fs::directory_iterator(tmp_.path().toStdString()))
      QVERIFY2(entry.path().extension() != ".tmp", entry.path().c_str());  // no temporary left behind
  }

  void outputPathsAreNormalisedAndKeptOutOfTheModel() {
    QCOMPARE(output_path(path("out/")), output_path(path("out")));
    QCOMPARE(output_path(path("out//")).filename().string(), std::string("out"));
    fs::create_directories(path("model"));
    EXPECT_ERROR(BadInput, refuse_output_inside(path("model/config.json"), path("model"), "the model folder"),
                 "is inside the model folder");
    EXPECT_ERROR(BadInput, refuse_output_inside(path("model/"), path("model"), "the model folder"),
                 "is inside the model folder");
    fs::create_directory_symlink(path("model"), path("link"));
    EXPECT_ERROR(BadInput, refuse_output_inside(path("link/x.json"), path("model"), "the model folder"),
                 "is inside the model folder");
    refuse_output_inside(path("model-scores.json"), path("model"), "the model folder");  // a sibling is fine
    EXPECT_ERROR(BadInput, write_file_atomically(path("model"), "{}"), "is a directory, not a file");
  }

  void bomPrefixedCalibrationJsonIsJson() {
    test::write_file(path("c4.json"), "\xEF\xBB\xBF[{\"text\": \"one\"}, {\"text\": \"two\"}]");
    QCOMPARE(read_text_documents(path("c4.json")), (std::vector<std::string>{"one", "two"}));
    test::write_file(path("c4.jsonl"), "\xEF\xBB\xBF{\"text\": \"one\"}\n\n{\"text\": \"two\"}\n");
    QCOMPARE(read_text_documents(path("c4.jsonl")), (std::vector<std::string>{"one", "two"}));
    test::write_file(path("deep.json"), "[" + std::string(100000, '{') + "]");
    EXPECT_ERROR(BadInput, read_text_documents(path("deep.json")), "deep.json: JSON nested deeper than 256");
  }

  void evalRecordsAreReadThroughTheLayer() {
    test::write_file(path("blank.jsonl"), "\n  \n\n");
    QVERIFY(read_records(path("blank.jsonl")).empty());
    test::write_file(path("deep.jsonl"),
                     "{\"query\": \"q\"}\n{\"choices\": " + nested(130000, "\"a\"") + "}\n");
    EXPECT_ERROR(BadInput, read_records(path("deep.jsonl")), "deep.jsonl:2: JSON nested deeper than 256");
    test::write_file(path("bom.jsonl"), "\xEF\xBB\xBF{\"query\": \"q\"}\n");
    QCOMPARE(read_records(path("bom.jsonl")).front()["query"].get<std::string>(), std::string("q"));
  }

  // A Hugging Face cache entry whose refs/main points outside it is resolved to its own newest snapshot.
  void cacheRefsCannotLeaveTheEntry() {
    const fs::path entry = path("hub/models--org--tiny");
    test::copy_model("llama", entry / "snapshots" / "abc123");
    test::copy_model("llama", path("hub/outside"));
    test::write_file(entry / "refs" / "main", "../../outside");
    QCOMPARE(resolve_model_dir(entry), entry / "snapshots" / "abc123");
    test::write_file(entry / "refs" / "main", "abc123\n");
    QCOMPARE(resolve_model_dir(entry), entry / "snapshots" / "abc123");
  }
};

QTEST_GUILESS_MAIN(InputTest)
#include "tst_input.moc"
