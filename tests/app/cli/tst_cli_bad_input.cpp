// The bad-input campaign's cases, each reproduced with a generated file and run as a user runs the CLI: no
// crash, no hang, no silent garbage. Each refusal is exit code 2 with one error line naming the file and the
// field (a hint may follow on indented lines).
#include <sys/stat.h>

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process_run.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using llmdrop::test::data_dir;
using llmdrop::test::model_dir;

namespace {
using Run = llmdrop::test::ProcessRun;

// A hang (a FIFO read, /dev/zero) fails the test after timeout_ms.
Run run_cli(const QStringList& args, const QString& home, int timeout_ms = 120000) {
  return llmdrop::test::run_program("LLMDROP_CLI", args,
                                    {{{"XDG_CACHE_HOME", home}, {"HOME", home}}, timeout_ms});
}

QString q(const fs::path& p) {
  return QString::fromStdString(p.string());
}

std::string nested(int depth, const std::string& inner) {
  return std::string(depth, '[') + inner + std::string(depth, ']');
}
}  // namespace

// Exit code 2 and a single "llmdrop: error: " line (continuation lines indented) that contains every
// fragment.
#define EXPECT_REFUSED(run, ...)                                                              \
  do {                                                                                        \
    const Run& r_ = (run);                                                                    \
    QVERIFY2(r_.finished, "the command did not finish (hang)");                               \
    QVERIFY2(r_.code == 2, ("exit code " + std::to_string(r_.code) + ": " + r_.err).c_str()); \
    QVERIFY2(llmdrop::test::ends_with_one_error(r_.err), r_.err.c_str());                     \
    for (const std::string& fragment_ : std::vector<std::string>{__VA_ARGS__})                \
      QVERIFY2(r_.err.find(fragment_) != std::string::npos,                                   \
               ("no '" + fragment_ + "' in: " + r_.err).c_str());                             \
  } while (0)

class CliBadInputTest : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  fs::path path(const std::string& name) { return fs::path(tmp_.path().toStdString()) / name; }
  QString home() { return tmp_.path(); }
  // A copy of the tiny llama fixture whose config.json gets `patch` merged in.
  fs::path model_with(const std::string& name, const nlohmann::json& patch) {
    const fs::path dir = path(name);
    llmdrop::test::copy_model("llama", dir);
    auto config = llmdrop::test::read_json(dir / "config.json");
    config.merge_patch(patch);
    llmdrop::test::write_json(dir / "config.json", config);
    return dir;
  }
  QString eval_data() { return q(data_dir() / "eval" / "hf"); }

 private slots:
  // 1 and 9: a resumed samples log must come from the same task definitions, data and weights.
  void resumeChecksTasksDataAndWeights() {
    const QString log = q(path("g.jsonl"));
    const QStringList base = {
        "eval", q(model_dir("llama")), "--tasks", "gsm8k",          "--data-dir", eval_data(),     "--limit",
        "2",    "--num-fewshot",       "0",       "--max-gen-toks", "4",          "--log-samples", log};
    const Run first = run_cli(base + QStringList{"--json"}, home());
    QVERIFY2(first.code == 0, first.err.c_str());
    // The same task with a renamed filter: the log's records lack the new filter's field.
    auto task = llmdrop::test::read_json(data_dir() / ".." / ".." / "resources" / "tasks" / "gsm8k.json");
    task["filters"][0]["name"] = "renamed";
    llmdrop::test::write_json(path("tasks/gsm8k.json"), task);
    qputenv("LLMDROP_TASKS_DIR", path("tasks").c_str());
    const Run renamed = run_cli(base + QStringList{"--resume"}, home());
    qunsetenv("LLMDROP_TASKS_DIR");
    EXPECT_REFUSED(renamed, "g.jsonl was written by another run", "tasks.gsm8k.definition_sha256");
    // Another data file under the same task: refused, not the old file's accuracy.
    const fs::path other = path("other/gsm8k/test.jsonl");
    llmdrop::test::write_file(other, R"({"question": "What is 2 + 2?", "answer": "2 + 2 = 4\n#### 4"})"
                                     "\n"
                                     R"({"question": "What is 3 + 3?", "answer": "3 + 3 = 6\n#### 6"})"
                                     "\n");
    QStringList with_other = base;
    with_other[with_other.indexOf("--data-dir") + 1] = q(path("other"));
    EXPECT_REFUSED(run_cli(with_other + QStringList{"--resume"}, home()), "tasks.gsm8k.data");
    // A record whose metric field was removed by hand: named, not undefined behaviour.
    std::ifstream in(log.toStdString());
    std::string header, record, rest;
    std::getline(in, header);
    std::getline(in, record);
    for (std::string line; std::getline(in, line);) rest += line + "\n";
    auto r = nlohmann::json::parse(record);
    r["exact_match"].erase("strict-match");
    llmdrop::test::write_file(log.toStdString(), header + "\n" + r.dump() + "\n" + rest);
    EXPECT_REFUSED(run_cli(base + QStringList{"--resume"}, home()), "g.jsonl", "exact_match.strict-match");
    r["exact_match"]["strict-match"] = "yes";  // wrong type
    llmdrop::test::write_file(log.toStdString(), header + "\n" + r.dump() + "\n" + rest);
    EXPECT_REFUSED(run_cli(base + QStringList{"--resume"}, home()),
                   "exact_match.strict-match' must be a number");
    // The untouched log resumes with every record reused.
    llmdrop::test::write_file(log.toStdString(), header + "\n" + record + "\n" + rest);
    const Run resumed = run_cli(base + QStringList{"--resume", "--json"}, home());
    QVERIFY2(resumed.code == 0, resumed.err.c_str());
    QCOMPARE(nlohmann::json::parse(resumed.out)["tasks"]["gsm8k"]["metrics"],
             nlohmann::json::parse(first.out)["tasks"]["gsm8k"]["metrics"]);
  }

  // 2: empty data, blank lines, an empty split list.
  void emptyDataAndSplitListsAreRefused() {
    llmdrop::test::write_file(path("empty.jsonl"), "");
    llmdrop::test::write_file(path("blank.jsonl"), "\n   \n\n");
    for (const char* file : {"empty.jsonl", "blank.jsonl"})
      EXPECT_REFUSED(run_cli({"eval", q(model_dir("llama")), "--tasks", "arc_easy", "--data",
                              "arc_easy=" + q(path(file))},
                             home()),
                     "no documents in", file);
    auto task = llmdrop::test::read_json(data_dir() / ".." / ".." / "resources" / "tasks" / "arc_easy.json");
    task["task"] = "empty_split";
    task["splits"]["test"] = nlohmann::json::array();
    llmdrop::test::write_json(path("tasks2/empty_split.json"), task);
    qputenv("LLMDROP_TASKS_DIR", path("tasks2").c_str());
    const Run r =
        run_cli({"eval", q(model_dir("llama")), "--tasks", "empty_split", "--data-dir", eval_data()}, home());
    qunsetenv("LLMDROP_TASKS_DIR");
    EXPECT_REFUSED(r, "empty_split.json", "field 'test' must not be an empty list");
  }

  // 3: ~130k nesting levels anywhere in config.json, in an eval record, in calibration data.
  void deepJsonIsRefusedNamingTheFile() {
    for (const char* key : {"drop_attn_list", "rope_parameters", "unrelated"}) {
      const fs::path dir = path(std::string("deep-") + key);
      llmdrop::test::copy_model("llama", dir);
      std::string config = llmdrop::test::read_json(dir / "config.json").dump();
      config.insert(1, "\"" + std::string(key) + "\": " + nested(130000, "1") + ", ");
      llmdrop::test::write_file(dir / "config.json", config);
      EXPECT_REFUSED(run_cli({"info", q(dir)}, home()), "config.json: JSON nested deeper than 256 levels");
      const Run exported =
          run_cli({"drop", q(dir), "--target", "attn", "--n", "1", "--data",
                   q(data_dir() / "calibration" / "calib.jsonl"), "--out", q(path("deep-out"))},
                  home());
      EXPECT_REFUSED(exported, "config.json: JSON nested deeper");
      QVERIFY(!fs::exists(path(".deep-out.partial")) && !fs::exists(path("deep-out")));
    }
    llmdrop::test::write_file(path("deep_arc.jsonl"), R"({"question": "q", "choices": )" +
                                                          nested(130000, "\"a\"") + R"(, "answerKey": "A"})");
    EXPECT_REFUSED(run_cli({"eval", q(model_dir("llama")), "--tasks", "arc_easy", "--data",
                            "arc_easy=" + q(path("deep_arc.jsonl"))},
                           home()),
                   "deep_arc.jsonl:1: JSON nested deeper than 256");
    llmdrop::test::write_file(path("deep_calib.json"), "[" + nested(130000, "{}") + "]");
    EXPECT_REFUSED(run_cli({"score", q(model_dir("llama")), "--data", q(path("deep_calib.json")), "--samples",
                            "1", "--seq-len", "16"},
                           home()),
                   "deep_calib.json: JSON nested deeper");
  }

  // 7: "--out DIR/" (the README's own form) names the folder DIR.
  void trailingSlashOutputsAreTheFolder() {
    const QString calib = q(data_dir() / "calibration" / "calib.jsonl");
    const QStringList drop = {"drop", q(model_dir("llama")), "--target", "block",     "--n", "2", "--data",
                              calib,  "--samples",           "4",        "--seq-len", "32"};
    for (const auto& [name, extra] : std::vector<std::pair<std::string, QStringList>>{
             {"slash-config", {}}, {"slash-pruned", {"--prune-weights"}}}) {
      const Run r = run_cli(drop + extra + QStringList{"--out", q(path(name)) + "/"}, home());
      QVERIFY2(r.code == 0, r.err.c_str());
      QVERIFY(fs::is_regular_file(path(name) / "config.json"));
      QVERIFY(!fs::exists(path(name) / ("." + name + ".partial")) &&
              !fs::exists(path("." + name + ".partial")));
    }
    const Run q4 = run_cli({"quantize", q(model_dir("llama")), "--method", "rtn", "--group-size", "32",
                            "--out", q(path("slash-rtn")) + "//"},
                           home());
    QVERIFY2(q4.code == 0, q4.err.c_str());
    QVERIFY(fs::is_regular_file(path("slash-rtn") / "config.json"));
    // An existing non-empty target is refused before any work, not after it.
    EXPECT_REFUSED(
        run_cli({"quantize", q(model_dir("llama")), "--method", "rtn", "--out", q(path("slash-rtn"))},
                home()),
        "already exists and is not an empty directory");
  }

  // 10: FIFOs and devices where files are expected never block.
  void specialFilesNeverHang() {
    struct Case {
      const char* file;
      bool fifo;  // else a symlink to /dev/zero
    };
    for (const Case c :
         {Case{"config.json", true}, Case{"model.safetensors", true}, Case{"tokenizer.model", true},
          Case{"generation_config.json", true}, Case{"stray.safetensors", true},
          Case{"tokenizer.model", false}, Case{"config.json", false}}) {
      const fs::path dir = path(std::string("special-") + c.file + (c.fifo ? "-fifo" : "-zero"));
      llmdrop::test::copy_model("llama", dir);
      fs::remove(dir / c.file);
      if (c.fifo)
        QCOMPARE(::mkfifo((dir / c.file).c_str(), 0600), 0);
      else
        fs::create_symlink("/dev/zero", dir / c.file);
      const Run r = run_cli({"tokenize", q(dir), "--text", "Hello"}, home(), 30000);
      QVERIFY2(r.finished, (dir.string() + " hung").c_str());
      if (std::string(c.file) == "stray.safetensors") {  // not part of the checkpoint: ignored
        QVERIFY2(r.code == 0, r.err.c_str());
        const Run scored = run_cli({"score", q(dir), "--data", q(data_dir() / "calibration" / "calib.jsonl"),
                                    "--samples", "2", "--seq-len", "16"},
                                   home(), 60000);
        QVERIFY2(scored.code == 0, scored.err.c_str());
        continue;
      }
      EXPECT_REFUSED(r, c.file, "is not a regular file");
    }
    for (const char* command : {"score", "perplexity"})
      EXPECT_REFUSED(run_cli({command, q(model_dir("llama")), "--data", "/dev/zero"}, home(), 30000),
                     "/dev/zero is not a regular file");
  }

  // 11: config values no model has are refused before anything is allocated.
  void configValuesAreValidated_data() {
    QTest::addColumn<QString>("patch");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("layers 1e9") << R"({"num_hidden_layers": 1000000000})"
                                << "field 'num_hidden_layers' must be between 1 and 16384";
    QTest::newRow("layers 1e12") << R"({"num_hidden_layers": 1000000000000})"
                                 << "num_hidden_layers";
    QTest::newRow("layers 7") << R"({"num_hidden_layers": 7})"
                              << "hold no tensor of layer 6";
    QTest::newRow("layers 5") << R"({"num_hidden_layers": 5})"
                              << "but the weights hold tensor 'model.layers.5.";
    QTest::newRow("eps < 0") << R"({"rms_norm_eps": -1e-5})"
                             << "field 'rms_norm_eps' must be above 0";
    QTest::newRow("theta 0") << R"({"rope_parameters": {"rope_theta": 0, "rope_type": "default"}})"
                             << "field 'rope_theta' must be above 0";
    QTest::newRow("theta < 0") << R"({"rope_parameters": {"rope_theta": -10000.0, "rope_type": "default"}})"
                               << "field 'rope_theta' must be above 0";
    QTest::newRow("factor 1e-308")
        << R"({"rope_parameters": {"rope_theta": 10000.0, "rope_type": "linear", "factor": 1e-308}})"
        << "field 'factor' must be at least 1";
    QTest::newRow("bits 2^40+4")
        << R"({"quantization_config": {"quant_method": "gptq", "bits": 1099511627780}})"
        << "quantization_config.bits must be between 1 and 64, not 1099511627780";
    QTest::newRow("desc_act string")
        << R"({"quantization_config": {"quant_method": "gptq", "bits": 4, "desc_act": "yes"}})"
        << "quantization_config.desc_act must be true or false";
    QTest::newRow("group_size text")
        << R"({"quantization_config": {"quant_method": "gptq", "bits": 4, "group_size": "128"}})"
        << "quantization_config.group_size must be an integer";
    QTest::newRow("eos beyond vocab") << R"({"eos_token_id": 100000})"
                                      << "field 'eos_token_id' must be between 0 and 383";
    QTest::newRow("drop index type") << R"({"drop_attn_list": [1, "2"]})"
                                     << "drop_attn_list[1] must be an integer";
    QTest::newRow("drop index huge") << R"({"drop_mlp_list": [18446744073709551615]})"
                                     << "drop_mlp_list[0] is too large";
  }
  void configValuesAreValidated() {
    QFETCH(QString, patch);
    QFETCH(QString, fragment);
    const fs::path dir =
        model_with("cfg-" + std::string(QTest::currentDataTag()), nlohmann::json::parse(patch.toStdString()));
    for (const char* command : {"info", "logprobs"}) {
      QStringList args = {command, q(dir)};
      if (std::string(command) == "logprobs")
        args << "--ids"
             << "1,5,9";
      const Run r = run_cli(args, home(), 60000);
      EXPECT_REFUSED(r, "config.json", fragment.toStdString());
    }
  }

  // 12: no output path may lie inside the model folder.
  void outputsInsideTheModelAreRefused() {
    const fs::path dir = path("protected");
    llmdrop::test::copy_model("llama", dir);
    const auto before = llmdrop::test::read_json(dir / "config.json");
    const auto weights = fs::file_size(dir / "model.safetensors");
    const QString calib = q(data_dir() / "calibration" / "calib.jsonl");
    EXPECT_REFUSED(run_cli({"score", q(dir), "--data", calib, "--samples", "2", "--seq-len", "16", "--out",
                            q(dir / "model.safetensors")},
                           home()),
                   "is inside the model folder");
    EXPECT_REFUSED(run_cli({"eval", q(dir), "--tasks", "arc_easy", "--data-dir", eval_data(), "--limit", "1",
                            "--out", q(dir / "config.json")},
                           home()),
                   "is inside the model folder");
    EXPECT_REFUSED(run_cli({"eval", q(dir), "--tasks", "arc_easy", "--data-dir", eval_data(), "--limit", "1",
                            "--log-samples", q(dir / "samples.jsonl")},
                           home()),
                   "is inside the model folder");
    EXPECT_REFUSED(run_cli({"bench", q(dir), "--contexts", "4", "--csv", q(dir / "speed.csv")}, home()),
                   "is inside the model folder");
    EXPECT_REFUSED(
        run_cli({"drop", q(dir), "--target", "attn", "--n", "1", "--data", calib, "--out", q(dir / "x")},
                home()),
        "is inside the source model folder");
    QCOMPARE(llmdrop::test::read_json(dir / "config.json"), before);
    QCOMPARE(fs::file_size(dir / "model.safetensors"), weights);
    QVERIFY(!fs::exists(dir / "samples.jsonl") && !fs::exists(dir / "speed.csv"));
  }

  // 13: library messages and exit code 1 where the user's input was at fault.
  void libraryErrorsBecomeBadInputLines() {
    fs::create_directories(path("a-directory.txt"));
    EXPECT_REFUSED(
        run_cli({"perplexity", q(model_dir("llama")), "--data", q(path("a-directory.txt"))}, home()),
        "a-directory.txt is a directory, not a file");
    EXPECT_REFUSED(run_cli({"score", q(model_dir("llama")), "--data", q(path("a-directory.txt"))}, home()),
                   "a-directory.txt is a directory, not a file");
    // A template index beyond any integer.
    auto task = llmdrop::test::read_json(data_dir() / ".." / ".." / "resources" / "tasks" / "arc_easy.json");
    task["task"] = "huge_index";
    for (auto& layout : task["layouts"]) layout["doc_to_text"] = "{{choices.99999999999999999999}}";
    llmdrop::test::write_json(path("tasks3/huge_index.json"), task);
    qputenv("LLMDROP_TASKS_DIR", path("tasks3").c_str());
    llmdrop::test::write_file(path("listed.jsonl"), R"({"query": "q", "choices": ["a", "b"], "gold": 0})"
                                                    "\n");
    const Run huge = run_cli({"eval", q(model_dir("llama")), "--tasks", "huge_index", "--data",
                              "huge_index=" + q(path("listed.jsonl"))},
                             home());
    qunsetenv("LLMDROP_TASKS_DIR");
    EXPECT_REFUSED(huge, "has no field 'choices.99999999999999999999'");
    // Extreme counts are usage errors, not signed overflows.
    const QString calib = q(data_dir() / "calibration" / "calib.jsonl");
    EXPECT_REFUSED(
        run_cli({"score", q(model_dir("llama")), "--data", calib, "--samples", "9223372036854775807"},
                home()),
        "--samples must be between 1 and");
    EXPECT_REFUSED(
        run_cli({"score", q(model_dir("llama")), "--data", calib, "--seq-len", "4611686018427387904"},
                home()),
        "--seq-len must be between 1 and");
    EXPECT_REFUSED(
        run_cli({"score", q(model_dir("llama")), "--data", calib, "--batch-size", "9223372036854775807"},
                home()),
        "--batch-size must be between 1 and");
    EXPECT_REFUSED(run_cli({"bench", q(model_dir("llama")), "--contexts", "9223372036854775807"}, home()),
                   "--contexts expects");
    // float16 on a CPU libtorch without half matrix products is the user's choice of dtype, not a crash.
    const Run half =
        run_cli({"logprobs", q(model_dir("llama")), "--ids", "1,5,9", "--dtype", "float16"}, home());
    if (half.code != 0) EXPECT_REFUSED(half, "float16 is not available on cpu");
  }

  // A message of several lines keeps them all: the places searched and the hint, each indented below the
  // "llmdrop: error:" line (they used to be cut off after the first line).
  void multiLineErrorsKeepTheirHint() {
    const Run missing =
        run_cli({"eval", q(model_dir("llama")), "--tasks", "arc_easy", "--data-dir", q(path("no-data-here"))},
                home());
    EXPECT_REFUSED(
        missing, "llmdrop: error: no data for task arc_easy: looked for\n",
        "\n  " + path("no-data-here/arc_easy/test.jsonl").string(),
        "\n  give the folder holding arc_easy/ (llmdrop: --data-dir DIR; llmdrop eval also takes --data "
        "arc_easy=FILE)\n");
    QVERIFY2(missing.err.find("loading") == std::string::npos,
             missing.err.c_str());  // before the model loads
  }

  // The CPU thread count a user sets must be a count: refused by name, not read as zero or ignored.
  void badThreadCountIsRefused() {
    for (const char* value : {"abc", "0", "100000"}) {
      const Run r = llmdrop::test::run_program(
          "LLMDROP_CLI", {"logprobs", q(model_dir("llama")), "--ids", "1,2,3"},
          {{{"HOME", home()}, {"XDG_CACHE_HOME", home()}, {"LLMDROP_THREADS", value}}});
      EXPECT_REFUSED(r, "LLMDROP_THREADS='" + std::string(value) + "' must be a thread count from 1 to 1024");
    }
  }

  // A model whose weights cannot fit is refused before anything is loaded: 70B in float32 (276 GB) on this
  // machine, with what would fit (tst_engine checks the advice for given free memory).
  void modelsThatCannotFitAreRefusedBeforeLoading() {
    const Run r = run_cli({"score", "--random-weights", "--shape", "llama2-70b", "--samples", "1",
                           "--seq-len", "2", "--dtype", "float32"},
                          home());
    EXPECT_REFUSED(r, "the model needs 275.9 GB of weights on cpu, which has", " GB free: use ");
  }

  // 14: the smaller ones.
  void smallerCases() {
    // "choices": null is no list of answers.
    llmdrop::test::write_file(path("null_choices.jsonl"), R"({"query": "q", "choices": null, "gold": 0})"
                                                          "\n");
    EXPECT_REFUSED(run_cli({"eval", q(model_dir("llama")), "--tasks", "arc_easy", "--data",
                            "arc_easy=" + q(path("null_choices.jsonl"))},
                           home()),
                   "null_choices.jsonl", "is null, not a list");
    // --num-fewshot 0 needs no few-shot split: a gsm8k folder with only its test file evaluates.
    fs::create_directories(path("test-only/gsm8k"));
    fs::copy_file(data_dir() / "eval" / "hf" / "gsm8k" / "test.jsonl", path("test-only/gsm8k/test.jsonl"));
    const Run zero =
        run_cli({"eval", q(model_dir("llama")), "--tasks", "gsm8k", "--data-dir", q(path("test-only")),
                 "--num-fewshot", "0", "--limit", "1", "--max-gen-toks", "2"},
                home());
    QVERIFY2(zero.code == 0, zero.err.c_str());
    EXPECT_REFUSED(run_cli({"eval", q(model_dir("llama")), "--tasks", "gsm8k", "--data-dir",
                            q(path("test-only")), "--limit", "1", "--max-gen-toks", "2"},
                           home()),
                   "no few-shot data");
    // A legitimate shard name containing ".." loads; a shard path leaving the folder does not.
    const fs::path sharded = path("dotdot");
    llmdrop::test::copy_model("llama", sharded);
    fs::rename(sharded / "model.safetensors", sharded / "model..part1.safetensors");
    nlohmann::json map = nlohmann::json::object();
    std::ifstream st(model_dir("llama") / "model.safetensors", std::ios::binary);
    uint64_t n = 0;
    st.read(reinterpret_cast<char*>(&n), 8);
    std::string header(n, '\0');
    st.read(header.data(), std::streamsize(n));
    const auto tensors = nlohmann::json::parse(header);
    for (const auto& [name, value] : tensors.items())
      if (name != "__metadata__") map[name] = "model..part1.safetensors";
    llmdrop::test::write_json(sharded / "model.safetensors.index.json", {{"weight_map", map}});
    const Run dotdot = run_cli({"logprobs", q(sharded), "--ids", "1,5,9", "--json"}, home());
    QVERIFY2(dotdot.code == 0, dotdot.err.c_str());
    QCOMPARE(
        nlohmann::json::parse(dotdot.out)["logprobs"],
        nlohmann::json::parse(run_cli({"logprobs", q(model_dir("llama")), "--ids", "1,5,9", "--json"}, home())
                                  .out)["logprobs"]);
    map.begin().value() = "../llama/model.safetensors";
    llmdrop::test::write_json(sharded / "model.safetensors.index.json", {{"weight_map", map}});
    EXPECT_REFUSED(run_cli({"info", q(sharded)}, home()), "leaves the model directory");
  }
};

QTEST_GUILESS_MAIN(CliBadInputTest)
#include "tst_cli_bad_input.moc"
