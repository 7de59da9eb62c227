// The llmdrop command line, run as a user runs it: exit codes, one-line errors, JSON outputs checked against
// the transformers fixtures and against each other.
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <csignal>
#include <nlohmann/json.hpp>

#include "support/process_run.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using llmdrop::test::data_dir;
using llmdrop::test::model_dir;

namespace {
using Run = llmdrop::test::ProcessRun;

// cache_dir keeps score caches of the test apart from the user's; `extra` adds environment variables.
Run run_cli(const QStringList& args, const QString& cache_dir = {},
            std::vector<std::pair<QString, QString>> extra = {}) {
  if (!cache_dir.isEmpty()) extra.emplace_back("XDG_CACHE_HOME", cache_dir);
  return llmdrop::test::run_program("LLMDROP_CLI", args, {extra});
}

QString model(const char* name) {
  return QString::fromStdString(model_dir(name).string());
}

QString join(const nlohmann::json& ids) {
  QStringList parts;
  for (const auto& id : ids) parts << QString::number(id.get<long long>());
  return parts.join(',');
}

double max_abs_diff(const nlohmann::json& a, const nlohmann::json& b) {
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(a[i].get<double>() - b[i].get<double>()));
  return worst;
}
}  // namespace

class CliTest : public QObject {
  Q_OBJECT

 private slots:
  void helpForEveryCommand() {
    QCOMPARE(run_cli({"--help"}).code, 0);
    for (const char* command : {"info", "tokenize", "logprobs", "generate", "perplexity", "score", "drop"}) {
      const Run r = run_cli({command, "--help"});
      QCOMPARE(r.code, 0);
      QVERIFY(r.out.find("--drop-attn") != std::string::npos);
      QVERIFY(r.out.find("--json") != std::string::npos);
    }
  }

  // --version / -V: CMake's project(VERSION) (given to this test by CMake as well), libtorch's and CUDA's.
  void versionNamesTheBuildAndItsLibtorch() {
    for (const char* flag : {"--version", "-V"}) {
      const Run r = run_cli({flag});
      QCOMPARE(r.code, 0);
      const QStringList lines = QString::fromStdString(r.out).split('\n');
      QCOMPARE(lines.size(), 3);  // two lines and the final newline
      QCOMPARE(lines[0], QString("llmdrop " LLMDROP_EXPECTED_VERSION));
      QVERIFY2(
          QRegularExpression(R"(^libtorch \d+\.\d+\.\d+, CUDA (not available|available \(\d+ devices?\))$)")
              .match(lines[1])
              .hasMatch(),
          r.out.c_str());
    }
  }

  // Off a terminal, progress is a few lines with rate and time left (it was one line per 250 ms: 229 lines
  // for the demo's held-out perplexity). 80 windows of about 0.1 s: the phase's first line, then one after
  // each further 10 % once 2 s have passed (at most 9), and the final line. The rate reads "N/s", or "N s
  // each" below one a second (a loaded machine, a sanitizer build).
  void progressOffTerminalIsAFewLinesWithRateAndTimeLeft() {
    const QString text = QString::fromStdString(
        (data_dir() / ".." / ".." / "resources" / "text" / "demo_heldout.txt").string());
    const Run r = run_cli({"perplexity", "--data", text, "--max-windows", "80"});
    QVERIFY2(r.code == 0, r.err.c_str());
    const QStringList lines = QString::fromStdString(r.err).trimmed().split('\n');
    const QStringList perplexity = lines.filter(QRegularExpression(R"(^\[perplexity\] )"));
    QVERIFY2(perplexity.size() >= 3 && perplexity.size() <= 11, r.err.c_str());
    QCOMPARE(lines.size() - perplexity.size(), 2);  // the load's first and final lines
    QVERIFY2(
        !perplexity
             .filter(QRegularExpression(
                 R"(^\[perplexity\] \d+/80 window \d+/80  \(\d+%, [\d.]+(/s| s each), \d+:\d\d left\)$)"))
             .isEmpty(),
        r.err.c_str());
    QVERIFY2(QRegularExpression(R"(^\[perplexity\] 80/80 done in \d+:\d\d \([\d.]+(/s| s each)\)$)")
                 .match(perplexity.last())
                 .hasMatch(),
             r.err.c_str());
  }

  // On a terminal (script(1) gives the command one), each job is one line rewritten in place: "\r" and
  // clear-line before every state, a newline only after the final one.
  void progressOnTerminalRewritesOneLine() {
    if (QStandardPaths::findExecutable("script").isEmpty()) QSKIP("script(1) is not installed");
    const QString text = QString::fromStdString(
        (data_dir() / ".." / ".." / "resources" / "text" / "demo_heldout.txt").string());
    QProcess p;
    p.start("script", {"-qefc",
                       QString::fromLocal8Bit(qgetenv("LLMDROP_CLI")) + " perplexity --data " + text +
                           " --max-windows 20",
                       "/dev/null"});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    const std::string out = p.readAllStandardOutput().toStdString();
    const QStringList lines = QString::fromStdString(out).split('\n');
    const QStringList perplexity = lines.filter("[perplexity]");
    QCOMPARE(perplexity.size(), 1);
    QVERIFY2(perplexity[0].count("\r\x1b[K[perplexity] ") >= 3, out.c_str());
    QVERIFY2(perplexity[0].contains(QRegularExpression(
                 R"(\r\x1b\[K\[perplexity\] 20/20 done in \d+:\d\d \([\d.]+(/s| s each)\)\r?$)")),
             out.c_str());
  }

  // A Hugging Face repo id as transformers finds it offline: the hub cache ($HF_HUB_CACHE, else $HF_HOME/hub,
  // else ~/.cache/huggingface/hub), refs/main → snapshots/<commit>, whose files are links; @revision picks
  // another snapshot by ref or by commit. Not found: every place searched and what to do.
  void repoIdResolvesThroughTheHuggingFaceCache() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString(), entry = root / "hub" / "models--org--tiny";
    auto snapshot = [&](const std::string& commit, const char* fixture) {
      fs::create_directories(entry / "snapshots" / commit);
      for (const auto& file : fs::directory_iterator(model_dir(fixture)))
        fs::create_symlink(file.path(), entry / "snapshots" / commit / file.path().filename());
    };
    snapshot("abc123", "llama");
    snapshot("def456", "mistral");
    llmdrop::test::write_file(entry / "refs" / "main", "abc123\n");
    llmdrop::test::write_file(entry / "refs" / "v2", "def456");
    auto info = [&](const QString& name, std::vector<std::pair<QString, QString>> env) {
      const Run r = run_cli({"info", name, "--json"}, {}, std::move(env));
      return r.code == 0 ? r.json() : nlohmann::json{{"code", r.code}, {"err", r.err}};
    };
    auto without_path = [](nlohmann::json j) {
      j.erase("path");
      return j;
    };
    const QString hub = QString::fromStdString((root / "hub").string());
    const auto main = info("org/tiny", {{"HF_HUB_CACHE", hub}});
    QCOMPARE(main.value("path", ""), (entry / "snapshots" / "abc123").string());
    QCOMPARE(without_path(main), without_path(info(model("llama"), {})));
    QCOMPARE(info("org/tiny", {{"HF_HUB_CACHE", ""}, {"HF_HOME", tmp.path()}}), main);
    fs::create_directories(root / "home" / ".cache" / "huggingface");
    fs::create_directory_symlink(root / "hub", root / "home" / ".cache" / "huggingface" / "hub");
    const auto from_home = info("org/tiny", {{"HF_HUB_CACHE", ""},
                                             {"HF_HOME", ""},
                                             {"XDG_CACHE_HOME", ""},
                                             {"HOME", QString::fromStdString((root / "home").string())}});
    QCOMPARE(without_path(from_home), without_path(main));
    for (const char* revision : {"org/tiny@v2", "org/tiny@def456"})
      QCOMPARE(info(revision, {{"HF_HUB_CACHE", hub}}).value("family", ""), std::string("mistral"));

    const Run missing = run_cli({"info", "org/none"}, {}, {{"HF_HUB_CACHE", hub}});
    QCOMPARE(missing.code, 2);
    QVERIFY2(llmdrop::test::ends_with_one_error(missing.err), missing.err.c_str());
    for (const std::string& said :
         {std::string("llmdrop: error: no model org/none: neither a folder nor in the Hugging Face cache\n"),
          "\n  searched: " + (root / "hub" / "models--org--none").string() +
              " (the hub cache, from $HF_HUB_CACHE)\n",
          std::string("\n  download it first (huggingface-cli download org/none)")})
      QVERIFY2(missing.err.find(said) != std::string::npos, missing.err.c_str());
    const Run no_revision = run_cli({"info", "org/tiny@v3"}, {}, {{"HF_HUB_CACHE", hub}});
    QCOMPARE(no_revision.code, 2);
    QVERIFY2(no_revision.err.find("no snapshot of revision 'v3'") != std::string::npos,
             no_revision.err.c_str());
  }

  void infoShowsKvBytesReducedByDroppedAttention() {
    const Run full = run_cli({"info", model("llama-bf16"), "--dtype", "bfloat16", "--json"});
    const Run dropped =
        run_cli({"info", model("llama-bf16"), "--dtype", "bfloat16", "--drop-attn", "1,2,4,5", "--json"});
    QCOMPARE(full.code, 0);
    QCOMPARE(dropped.code, 0);
    const auto f = full.json(), d = dropped.json();
    QCOMPARE(f["layers"].get<int>(), 6);
    QCOMPARE(f["kv_bytes_per_token"].get<long long>(),
             2LL * 6 * 2 * 16 * 2);  // K,V · layers · kv heads · dim · bf16
    // Exactly 4/L less.
    QCOMPARE(d["kv_bytes_per_token"].get<long long>() * 6,
             f["kv_bytes_per_token"].get<long long>() * (6 - 4));
    QCOMPARE(d["drop_attn_list"], nlohmann::json({1, 2, 4, 5}));
    QCOMPARE(f["stored_dtype"].get<std::string>(), std::string("BF16"));
  }

  void logprobsOnBf16CheckpointWithDropsMatchTransformers_data() {
    QTest::addColumn<int>("index");
    const auto ref = llmdrop::test::read_json(data_dir() / "reference" / "llama-bf16.json");
    for (size_t i = 0; i < ref["cases"].size(); ++i) {
      const auto& c = ref["cases"][i];
      QTest::newRow((c["dtype"].get<std::string>() + " attn" + c["drop_attn"].dump()).c_str()) << int(i);
    }
  }
  void logprobsOnBf16CheckpointWithDropsMatchTransformers() {
    QFETCH(int, index);
    const auto ref = llmdrop::test::read_json(data_dir() / "reference" / "llama-bf16.json");
    const auto& c = ref["cases"][index];
    QStringList args = {"logprobs",
                        model("llama-bf16"),
                        "--ids",
                        join(ref["ids"]),
                        "--json",
                        "--dtype",
                        QString::fromStdString(c["dtype"].get<std::string>())};
    if (!c["drop_attn"].empty()) args << "--drop-attn" << join(c["drop_attn"]);
    const Run r = run_cli(args);
    QCOMPARE(r.code, 0);
    const auto lp = r.json()["logprobs"];
    QCOMPARE(lp.size(), ref["ids"].size() - 1);
    const double diff = max_abs_diff(lp, c["logprobs"]);
    qInfo("max |Δ logprob| = %.3g", diff);
    QVERIFY(diff <= (c["dtype"] == "float32" ? 1e-4 : 2e-2));
  }

  void demoModelIsTheDefault() {
    const Run info = run_cli({"info", "--json"});
    QCOMPARE(info.code, 0);
    QVERIFY2(info.json()["path"].get<std::string>().ends_with("resources/models/demo"), info.out.c_str());
    QCOMPARE(info.json()["layers"].get<int>(), 12);
    // Greedy text equals transformers' greedy continuation (tests/data/reference/demo.json), spaces included.
    const Run gen = run_cli({"generate", "--prompt", "The most important thing about a computer program is",
                             "--max-new-tokens", "12", "--greedy", "--json"});
    QCOMPARE(gen.code, 0);
    const auto ref = llmdrop::test::read_json(data_dir() / "reference" / "demo.json");
    QCOMPARE(gen.json()["new_ids"],
             nlohmann::json(std::vector<int64_t>(ref["greedy"].begin(), ref["greedy"].begin() + 12)));
    QCOMPARE(gen.json()["text"].get<std::string>(), std::string(" to be able to do anything. -- Larry Wall"));
  }

  void scoreThenDropExportsTheReferenceChoice() {
    QTemporaryDir tmp;
    const auto ref = llmdrop::test::read_json(data_dir() / "reference" / "analysis.json");
    const QString calib = QString::fromStdString((data_dir() / "calibration" / "calib.jsonl").string());
    const QString scores = tmp.filePath("scores.json");
    const QStringList args = {"score", model("llama"), "--data", calib,   "--samples", "4",     "--seq-len",
                              "64",    "--target",     "all",    "--out", scores,      "--json"};
    const Run first = run_cli(args, tmp.path());
    QCOMPARE(first.code, 0);
    const auto j = first.json();
    QCOMPARE(j["reused"].get<bool>(), false);
    QCOMPARE(j["attn"]["similarity"].size(), size_t(6));
    for (size_t i = 0; i < 6; ++i) {
      const double sim = j["mlp"]["similarity"][i], imp = j["mlp"]["importance"][i];
      QVERIFY(std::abs(sim - ref["scores"]["mlp_norm"]["cosine"][i].get<double>()) < 1e-4);
      QVERIFY(std::abs(sim + imp - 1.0) < 1e-12);
    }
    QCOMPARE(run_cli(args, tmp.path()).json()["reused"].get<bool>(), true);  // same request: from --out
    const Run single = run_cli({"score", model("llama"), "--data", calib, "--samples", "4", "--seq-len", "64",
                                "--target", "attn", "--json"},
                               tmp.path());
    QCOMPARE(single.json()["reused"].get<bool>(), true);  // from the cache
    QCOMPARE(single.json()["similarity"], j["attn"]["similarity"]);

    const Run drop = run_cli({"drop", model("llama"), "--target", "attn", "--n", "2", "--scores", scores,
                              "--out", tmp.filePath("export"), "--json"},
                             tmp.path());
    QCOMPARE(drop.code, 0);
    QCOMPARE(drop.json()["drop_attn_list"], ref["selections"]["discrete_attn_2"]["drop_attn_list"]);
    const auto exported = llmdrop::test::read_json(tmp.filePath("export/config.json").toStdString());
    QCOMPARE(exported["drop_attn_list"], ref["selections"]["discrete_attn_2"]["drop_attn_list"]);
    const auto record = llmdrop::test::read_json(tmp.filePath("export/drop_record.json").toStdString());
    QCOMPARE(record["strategy"].get<std::string>(), std::string("discrete"));
    QVERIFY(record.contains("scores_request") && record.contains("source_fingerprint"));
    // Scores of another model are refused, as are scores made under other drops.
    const Run other = run_cli({"drop", model("llama-bf16"), "--target", "attn", "--n", "2", "--scores",
                               scores, "--out", tmp.filePath("y")},
                              tmp.path());
    QCOMPARE(other.code, 2);
    QVERIFY2(other.err.find("another model") != std::string::npos, other.err.c_str());
    const Run dropped = run_cli({"drop", model("llama"), "--drop-attn", "1", "--target", "attn", "--n", "2",
                                 "--scores", scores, "--out", tmp.filePath("z")},
                                tmp.path());
    QCOMPARE(dropped.code, 2);
    // An unwritable cache only warns; --out is written.
    llmdrop::test::write_file(tmp.filePath("not-a-dir").toStdString(), "");
    const Run uncached = run_cli({"score", model("llama"), "--data", calib, "--samples", "2", "--seq-len",
                                  "32", "--out", tmp.filePath("s2.json"), "--json"},
                                 tmp.filePath("not-a-dir"));
    QCOMPARE(uncached.code, 0);
    QVERIFY(uncached.err.find("cannot cache") != std::string::npos);
    QVERIFY(QFile::exists(tmp.filePath("s2.json")));
    const Run consecutive = run_cli({"drop", model("llama"), "--target", "attn", "--n", "2", "--strategy",
                                     "consecutive", "--scores", scores, "--out", tmp.filePath("x")},
                                    tmp.path());
    QCOMPARE(consecutive.code, 2);
  }

  // Without --target and --n, drop exports the lists given: pruned, the checkpoint gives the original's
  // log-probabilities with those modules dropped.
  void dropExportsTheListsGiven() {
    QTemporaryDir tmp;
    const QStringList drops = {"--drop-attn", "2,4", "--drop-mlp", "2"};
    const Run exported = run_cli(
        QStringList{"drop", model("llama"), "--prune-weights", "--out", tmp.filePath("p"), "--json"} + drops);
    QVERIFY2(exported.code == 0, exported.err.c_str());
    QCOMPARE(exported.json()["drop_attn_list"], nlohmann::json::array({2, 4}));
    const auto record = llmdrop::test::read_json(tmp.filePath("p/drop_record.json").toStdString());
    QCOMPARE(record["chosen"].get<std::string>(), std::string("given"));
    const QStringList ids = {"--ids", "1,20,30,40,50,60,70,80", "--json"};
    const auto pruned = run_cli(QStringList{"logprobs", tmp.filePath("p")} + ids).json()["logprobs"];
    const auto original = run_cli(QStringList{"logprobs", model("llama")} + ids + drops).json()["logprobs"];
    const auto full = run_cli(QStringList{"logprobs", model("llama")} + ids).json()["logprobs"];
    QCOMPARE(pruned.size(), size_t(7));
    QVERIFY(max_abs_diff(pruned, original) < 1e-5);
    QVERIFY(max_abs_diff(pruned, full) > 1e-3);
  }

  void tokenizeMatchesPythonSentencepiece() {
    const auto ref = llmdrop::test::read_json(data_dir() / "tokenizer" / "reference.json");
    const auto& c = ref["cases"][5];
    const Run r =
        run_cli({"tokenize", model("llama"), "--text", QString::fromStdString(c["text"]), "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.json()["ids"], c["ids"]);
  }

  // tokenize --decode turns ids back into text, and info names the tokenizer and its special tokens: for the
  // sentencepiece llama and for a copy of it whose tokenizer is the Llama 3-shaped tokenizer.json fixture.
  void tokenizeDecodesAndInfoNamesTheTokenizer() {
    QTemporaryDir tmp;
    const std::filesystem::path json_model = tmp.path().toStdString();
    for (const auto& f : std::filesystem::directory_iterator(model_dir("llama")))
      if (f.path().filename() != "tokenizer.model")
        std::filesystem::copy(f.path(), json_model / f.path().filename());
    for (const char* f : {"tokenizer.json", "tokenizer_config.json"})
      std::filesystem::copy(data_dir() / "tokenizer_json" / "llama3" / f, json_model / f);
    const QString text = "The license grants the right to copy, 3 times: ünïcode 😀.";
    struct Expected {
      QString model, kind, bos;
    };
    for (const Expected& e :
         {Expected{model("llama"), "sentencepiece tokenizer.model", "<s>"},
          Expected{QString::fromStdString(json_model.string()), "BPE tokenizer.json", "<|begin_of_text|>"}}) {
      const Run ids = run_cli({"tokenize", e.model, "--text", text, "--json"});
      QCOMPARE(ids.code, 0);
      QStringList list;
      for (const int64_t id : ids.json()["ids"].get<std::vector<int64_t>>()) list << QString::number(id);
      const Run back = run_cli({"tokenize", e.model, "--decode", list.join(","), "--json"});
      QVERIFY2(back.code == 0, back.err.c_str());
      QCOMPARE(QString::fromStdString(back.json()["text"].get<std::string>()), text);
      const auto info = run_cli({"info", e.model, "--json"}).json()["tokenizer"];
      QCOMPARE(QString::fromStdString(info["kind"].get<std::string>()), e.kind);
      QCOMPARE(QString::fromStdString(info["bos"]["token"].get<std::string>()), e.bos);
    }
    const Run neither = run_cli({"tokenize", model("llama")});
    QCOMPARE(neither.code, 2);
    QVERIFY2(
        neither.err.find("give --text TEXT (text to ids) or --decode IDS (ids to text)") != std::string::npos,
        neither.err.c_str());
  }

  void perplexityFollowsItsWindowDefinition() {
    // ppl over one window of seq_len must equal exp(-mean) of logprobs on [BOS] + first seq_len-1 tokens.
    QTemporaryDir tmp;
    const QString text_file = tmp.filePath("text.txt");
    const std::string text =
        "The licenses for most software are designed to take away your freedom to share "
        "and change it. By contrast, the GNU General Public License is intended to guarantee "
        "your freedom to share and change free software.";
    llmdrop::test::write_file(text_file.toStdString(), text);
    const Run ppl = run_cli({"perplexity", model("llama"), "--data", text_file, "--seq-len", "16",
                             "--max-windows", "1", "--json"});
    QCOMPARE(ppl.code, 0);
    QCOMPARE(ppl.json()["tokens"].get<int>(), 15);
    const auto ids =
        run_cli({"tokenize", model("llama"), "--text", QString::fromStdString(text), "--json"}).json()["ids"];
    nlohmann::json window = {1};
    for (int i = 0; i < 15; ++i) window.push_back(ids[i]);
    const auto lp = run_cli({"logprobs", model("llama"), "--ids", join(window), "--json"}).json()["logprobs"];
    double nll = 0;
    for (const auto& v : lp) nll -= v.get<double>();
    QVERIFY(std::abs(std::exp(nll / 15) - ppl.json()["ppl"].get<double>()) < 1e-6 * std::exp(nll / 15));
    // All windows: the count follows ceil(tokens / (seq_len - 1)).
    const Run all = run_cli({"perplexity", model("llama"), "--data", text_file, "--seq-len", "16", "--json"});
    QCOMPARE(all.json()["tokens"].get<size_t>(), ids.size());
    QCOMPARE(all.json()["windows"].get<size_t>(), (ids.size() + 14) / 15);
  }

  // Issue #23, the CPU path of several ranks: two Gloo ranks of one process (--devices cpu,cpu), with data
  // and with tensor parallelism, and two processes launched as torchrun launches them (WORLD_SIZE, RANK,
  // MASTER_ADDR, MASTER_PORT; rendezvous in a TCPStore) give one rank's scores; rank 1 of a launch prints
  // nothing. A device the machine lacks is one BadInput line.
  void severalRanksGiveOneRanksScores() {
    QTemporaryDir tmp;
    const QString calib = QString::fromStdString((data_dir() / "calibration" / "calib.jsonl").string());
    const QStringList args = {"score",     model("llama"), "--data", calib,        "--samples", "5",
                              "--seq-len", "48",           "--json", "--no-cache", "--device",  "cpu"};
    const Run one = run_cli(args, tmp.path());
    QVERIFY2(one.code == 0, one.err.c_str());
    auto largest_difference = [&](const Run& r) {
      double worst = 0;
      for (const char* kind : {"attn", "mlp", "block"})
        worst = std::max(worst, max_abs_diff(one.json()[kind]["similarity"], r.json()[kind]["similarity"]));
      return worst;
    };
    const Run data = run_cli(QStringList(args) << "--devices"
                                               << "cpu,cpu",
                             tmp.path());
    QVERIFY2(data.code == 0, data.err.c_str());
    QVERIFY(largest_difference(data) < 1e-12);
    const Run tensor = run_cli(QStringList(args) << "--devices"
                                                 << "cpu,cpu"
                                                 << "--parallel"
                                                 << "tensor",
                               tmp.path());
    QVERIFY2(tensor.code == 0, tensor.err.c_str());
    QVERIFY2(largest_difference(tensor) < 1e-6, qPrintable(QString::number(largest_difference(tensor))));

    const QString port = QString::number(20000 + QCoreApplication::applicationPid() % 20000);
    auto launch_env = [&](const char* rank) {
      return std::vector<std::pair<QString, QString>>{{"WORLD_SIZE", "2"},
                                                      {"RANK", rank},
                                                      {"MASTER_ADDR", "127.0.0.1"},
                                                      {"MASTER_PORT", port},
                                                      {"XDG_CACHE_HOME", tmp.path()}};
    };
    QProcess second;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& [name, value] : launch_env("1")) env.insert(name, value);
    second.setProcessEnvironment(env);
    second.start(qEnvironmentVariable("LLMDROP_CLI"), args);
    QVERIFY(second.waitForStarted());
    const Run first = run_cli(args, {}, launch_env("0"));
    QVERIFY(second.waitForFinished(120000));
    QVERIFY2(first.code == 0, first.err.c_str());
    QCOMPARE(second.exitCode(), 0);
    QVERIFY(second.readAllStandardOutput().isEmpty());
    QVERIFY(largest_difference(first) < 1e-12);

    const Run missing = run_cli(QStringList(args) << "--devices"
                                                  << "cuda:7",
                                tmp.path());
    QCOMPARE(missing.code, 2);
    QVERIFY(llmdrop::test::ends_with_one_error(missing.err));
    QVERIFY(missing.err.find("cuda:7") != std::string::npos);

    // One model with its layers placed over the devices (--parallel layers): the same scores; not with
    // streaming, and not over one device. (The GPU machine's `placement` task places over cuda:0 and the CPU,
    // where the hidden states really move.)
    const QStringList placed = QStringList(args) << "--devices"
                                                 << "cpu,cpu"
                                                 << "--parallel"
                                                 << "layers";
    const Run layers = run_cli(placed, tmp.path());
    QVERIFY2(layers.code == 0, layers.err.c_str());
    QVERIFY(largest_difference(layers) < 1e-12);
    // The layers really were placed (on the CPU both ranges are the same memory, so the scores alone cannot
    // tell): a small device refuses the placement, counting both shares on it.
    const Run crowded = run_cli(placed, tmp.path(), {{"LLMDROP_MEMORY_LIMIT", "1000"}});
    QCOMPARE(crowded.code, 2);
    QVERIFY(llmdrop::test::ends_with_one_error(crowded.err));
    QVERIFY2(crowded.err.find("placed over cpu,cpu, the model needs") != std::string::npos &&
                 crowded.err.find("of weights on cpu, which has 0 MB free") != std::string::npos,
             crowded.err.c_str());
    const Run streamed = run_cli(QStringList(placed) << "--stream-layers", tmp.path());
    QCOMPARE(streamed.code, 2);
    QVERIFY(llmdrop::test::ends_with_one_error(streamed.err));
    QVERIFY(streamed.err.find("--stream-layers and layers placed over several devices do not combine") !=
            std::string::npos);
    const Run alone = run_cli(QStringList(args) << "--devices"
                                                << "cpu"
                                                << "--parallel"
                                                << "layers",
                              tmp.path());
    QCOMPARE(alone.code, 2);
    QVERIFY(alone.err.find("--parallel layers needs at least two --devices") != std::string::npos);
  }

  // The commands that run one model (generate, perplexity) on several devices: two tensor-parallel Gloo ranks
  // and the layers placed over two devices give one device's tokens and perplexity (the windows in turn under
  // tensor parallelism: ranks running windows on two cores at once would mix their collectives); data
  // parallelism has nothing to split and is refused.
  void oneModelCommandsOnSeveralDevicesGiveOneDevicesResults() {
    const QString text = QString::fromStdString(
        (data_dir() / ".." / ".." / "resources" / "text" / "demo_heldout.txt").string());
    const QStringList generate = {"generate",         model("llama"), "--ids", "1,5,9,2",
                                  "--max-new-tokens", "12",           "--json"},
                      perplexity = {"perplexity", model("llama"),  "--data", text,    "--seq-len",
                                    "32",         "--max-windows", "8",      "--json"};
    const Run tokens = run_cli(generate), ppl = run_cli(perplexity);
    QVERIFY2(tokens.code == 0 && ppl.code == 0, (tokens.err + ppl.err).c_str());
    QCOMPARE(tokens.json()["new_ids"].size(), size_t(12));
    for (const char* how : {"tensor", "layers"}) {
      const QStringList several = {"--devices", "cpu,cpu", "--parallel", how};
      const Run t = run_cli(QStringList(generate) << several),
                q = run_cli(QStringList(perplexity) << several);
      QVERIFY2(t.code == 0 && q.code == 0, (t.err + q.err).c_str());
      QCOMPARE(t.json()["new_ids"], tokens.json()["new_ids"]);
      const double one = ppl.json()["ppl"].get<double>(), theirs = q.json()["ppl"].get<double>();
      QVERIFY2(std::abs(theirs - one) < 1e-6 * one,
               qPrintable(QString("%1: %2 vs %3").arg(how).arg(theirs).arg(one)));
    }
    for (const QStringList& args : {generate, perplexity}) {
      const Run data = run_cli(QStringList(args) << "--devices"
                                                 << "cpu,cpu");
      QCOMPARE(data.code, 2);
      QVERIFY(data.err.find("runs one model: with several devices give --parallel tensor or layers") !=
              std::string::npos);
    }
  }

  // On two cores the windows run one per core (for_each_on_cores), on one in order: the same value to the
  // last digit.
  void perplexityIsTheSameOnOneCoreAndOnTwo() {
    const QString text = QString::fromStdString(
        (data_dir() / ".." / ".." / "resources" / "text" / "demo_heldout.txt").string());
    const QStringList args = {"perplexity", model("llama"),  "--data", text,    "--seq-len",
                              "32",         "--max-windows", "24",     "--json"};
    const Run one = run_cli(args, {}, {{"LLMDROP_THREADS", "1"}}),
              two = run_cli(args, {}, {{"LLMDROP_THREADS", "2"}});
    QVERIFY2(one.code == 0 && two.code == 0, (one.err + two.err).c_str());
    QCOMPARE(two.json()["windows"].get<int>(), 24);
    QCOMPARE(two.out, one.out);
  }

  void generateIsDeterministicAndWellFormed() {
    const QStringList args = {"generate", model("llama"), "--prompt", "The license", "--max-new-tokens",
                              "6",        "--greedy",     "--json"};
    const Run a = run_cli(args), b = run_cli(args);
    QCOMPARE(a.code, 0);
    QCOMPARE(a.out, b.out);
    const auto j = a.json();
    QCOMPARE(j["ids"][0].get<int>(), 1);  // BOS
    QVERIFY(j["new_ids"].size() >= 1 && j["new_ids"].size() <= 6);
    const Run sampled = run_cli({"generate", model("llama"), "--prompt", "The license", "--max-new-tokens",
                                 "6", "--temperature", "0.8", "--top-p", "0.9", "--seed", "7", "--json"});
    QCOMPARE(sampled.code, 0);
    QCOMPARE(sampled.out, run_cli({"generate", model("llama"), "--prompt", "The license", "--max-new-tokens",
                                   "6", "--temperature", "0.8", "--top-p", "0.9", "--seed", "7", "--json"})
                              .out);
  }

  void generateFromIdsMatchesTransformersGreedy() {
    // --ids: the exact prompt ids, nothing prepended; transformers' fp32 greedy continuation of the first 8.
    const auto ref = llmdrop::test::read_json(data_dir() / "reference" / "llama.json");
    const auto ids = ref["ids"].get<std::vector<int64_t>>();
    const std::vector<int64_t> prompt(ids.begin(), ids.begin() + 8);
    const auto& expected = ref["cases"][0]["greedy"];
    QCOMPARE(ref["cases"][0]["dtype"].get<std::string>(), std::string("float32"));
    const Run r = run_cli({"generate", model("llama"), "--ids", join(prompt), "--max-new-tokens",
                           QString::number(expected.size()), "--dtype", "float32", "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.json()["ids"].dump(), nlohmann::json(prompt).dump());
    QCOMPARE(r.json()["new_ids"].dump(), expected.dump());
    const Run both = run_cli({"generate", model("llama"), "--ids", "1", "--prompt", "a"});
    QCOMPARE(both.code, 2);
    QVERIFY2(both.err.find("either --prompt TEXT or --ids IDS") != std::string::npos, both.err.c_str());
  }

  // A model whose vocabulary outgrows its tokenizer (the demo-vocabulary model, 4096 ids, beside the test
  // tokenizer's 384 pieces): ids without a piece stay in the ids printed and are left out of the text.
  void generateKeepsIdsTheTokenizerHasNoPieceFor() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    for (const char* file : {"config.json", "model.safetensors"})
      fs::create_symlink(data_dir() / "models" / "llama-demo-vocab" / file, dir / file);
    fs::create_symlink(data_dir() / "models" / "llama" / "tokenizer.model", dir / "tokenizer.model");
    const Run r = run_cli({"generate", QString::fromStdString(dir.string()), "--ids", "1,500,3000,42",
                           "--max-new-tokens", "8", "--dtype", "float32", "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.json()["ids"].dump(), std::string("[1,500,3000,42]"));
    const auto new_ids = r.json()["new_ids"].get<std::vector<int64_t>>();
    const auto past = std::count_if(new_ids.begin(), new_ids.end(), [](int64_t id) { return id >= 384; });
    QVERIFY2(past > 0, "the demo-vocabulary model should predict ids past the test tokenizer's pieces");
    QVERIFY2(r.err.find("2 prompt ids lie outside the tokenizer's 384 pieces") != std::string::npos,
             r.err.c_str());
    QVERIFY2(r.err.find(std::to_string(past) + " generated ids lie outside") != std::string::npos,
             r.err.c_str());
    QVERIFY(r.json()["text"].is_string());
  }

  void badInputExitsTwoWithOneLine_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("missing model dir") << QStringList{"info", "/nonexistent/model"} << "does not exist";
    QTest::newRow("drop index out of range")
        << QStringList{"info", model("llama"), "--drop-attn", "9"} << "out of range";
    QTest::newRow("malformed drop list")
        << QStringList{"info", model("llama"), "--drop-mlp", "1,x"} << "not a comma-separated list";
    QTest::newRow("bad dtype") << QStringList{"info", model("llama"), "--dtype", "int3"} << "dtype 'int3'";
    QTest::newRow("bad device") << QStringList{"info", model("llama"), "--device", "tpu"} << "device 'tpu'";
    QTest::newRow("unknown option") << QStringList{"info", model("llama"), "--frobnicate"}
                                    << "unknown option";
    QTest::newRow("missing ids") << QStringList{"logprobs", model("llama")} << "--ids is required";
    QTest::newRow("token out of vocabulary")
        << QStringList{"logprobs", model("llama"), "--ids", "1,999"} << "token ids must lie in";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command";
    QTest::newRow("NaN temperature") << QStringList{"generate", model("llama"),  "--prompt",
                                                    "a",        "--temperature", "nan"}
                                     << "--temperature must be a finite number";
    QTest::newRow("missing data file")
        << QStringList{"perplexity", model("llama"), "--data", "/nonexistent.txt"}
        << "/nonexistent.txt: no such file";
    QTest::newRow("drop without anything to drop")
        << QStringList{"drop", model("llama"), "--out", "/tmp/never-written"} << "nothing to drop";
    QTest::newRow("quantize without --out")
        << QStringList{"quantize", model("llama"), "--method", "rtn"} << "--out DIR is required";
    QTest::newRow("heal without training text")
        << QStringList{"heal", model("llama"), "--out", "/tmp/never-written"}
        << "--data FILE (training text)";
    QTest::newRow("heal with a learning rate of 0")
        << QStringList{"heal",
                       model("llama"),
                       "--data",
                       QString::fromStdString((data_dir() / "calibration" / "calib.jsonl").string()),
                       "--lr",
                       "0",
                       "--out",
                       "/tmp/never-written"}
        << "learning rate and alpha must be finite numbers > 0";
    QTest::newRow("gptq without calibration")
        << QStringList{"quantize", model("llama"), "--out", "/tmp/never-written"} << "--data FILE";
    QTest::newRow("awq with 3 bits") << QStringList{"quantize", model("llama"),
                                                    "--method", "awq",
                                                    "--bits",   "3",
                                                    "--out",    "/tmp/never-written"}
                                     << "4 bits";
    QTest::newRow("per-module bits on nothing")
        << QStringList{"quantize", model("llama"), "--method", "rtn",
                       "--bits",   "heads=8",      "--out",    "/tmp/never-written"}
        << "'heads' selects nothing";
    QTest::newRow("per-module bits without a number")
        << QStringList{"quantize", model("llama"), "--method", "rtn",
                       "--bits",   "attn=",        "--out",    "/tmp/never-written"}
        << "--bits expects N or SELECTION=N";
    QTest::newRow("per-module precision with AWQ")
        << QStringList{"quantize", model("llama"), "--method", "awq",
                       "--skip",   "layers.0.mlp", "--out",    "/tmp/never-written"}
        << "use GPTQ or RTN";
    QTest::newRow("unknown quantization method")
        << QStringList{"quantize", model("llama"), "--method", "hqq", "--out", "/tmp/never-written"}
        << "'hqq'";
    QTest::newRow("dequantize on a device that does not exist")
        << QStringList{"dequantize", model("llama"), "--device", "tpu", "--out", "/tmp/never-written"}
        << "device 'tpu'";
    QTest::newRow("dequantize a dense model")
        << QStringList{"dequantize", model("llama"), "--out", "/tmp/never-written"} << "not quantized";
  }

  // Ctrl-C during a quantization: exit 130 and nothing written (no output, no staging directory).
  void interruptedQuantizationLeavesNothing() {
    QTemporaryDir tmp;
    QProcess p;
    p.start(QString::fromLocal8Bit(qgetenv("LLMDROP_CLI")),
            {"quantize", "--method", "awq", "--data",
             QString::fromStdString((data_dir() / "calibration" / "calib.jsonl").string()), "--samples", "16",
             "--seq-len", "256", "--out", tmp.path() + "/q"});
    p.setReadChannel(QProcess::StandardError);  // progress lines come on stderr
    std::string err;
    while (err.find("quantizing layer ") == std::string::npos && p.waitForReadyRead(60000))
      err += p.readAllStandardError().toStdString();
    QVERIFY2(err.find("quantizing layer ") != std::string::npos, err.c_str());
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(120000));
    err += p.readAllStandardError().toStdString();
    QCOMPARE(p.exitCode(), 130);
    QVERIFY2(err.find("cancelled") != std::string::npos, err.c_str());
    QVERIFY(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
  }

  // --bits / --group-size per module and --skip: written as GPTQModel's dynamic rules; the checkpoint runs.
  void quantizeWritesPerModulePrecision() {
    QTemporaryDir tmp;
    const QString q = tmp.path() + "/q";
    const Run quantized = run_cli({"quantize", model("llama"), "--method", "rtn", "--bits", "4", "--bits",
                                   "attn=8", "--group-size", "32", "--group-size", "layers.4-5.mlp=64",
                                   "--skip", "lm_head,layers.0.mlp", "--out", q, "--json"});
    QVERIFY2(quantized.code == 0, quantized.err.c_str());
    QCOMPARE(quantized.json()["linears"].get<int>(), 6 * 7 - 3);
    QVERIFY(quantized.json()["peak_memory_bytes"].get<int64_t>() > 0);
    const auto config = llmdrop::test::read_json(q.toStdString() + "/config.json")["quantization_config"];
    QCOMPARE(config["bits"].get<int>(), 4);
    QCOMPARE(config["lm_head"].get<bool>(), false);
    QCOMPARE(config["dynamic"],
             nlohmann::json::parse("{\"+:model\\\\.layers\\\\.\\\\d+\\\\.self_attn\\\\.\": {\"bits\": 8},"
                                   "\"+:model\\\\.layers\\\\.(?:4|5)\\\\.mlp\\\\.\": {\"group_size\": 64},"
                                   "\"-:model\\\\.layers\\\\.(?:0)\\\\.mlp\\\\.\": {}}"));
    const Run info = run_cli({"info", q});
    QVERIFY2(info.out.find("GPTQ 4-bit, group 32, 3 per-module rules") != std::string::npos,
             info.out.c_str());
    const Run generated = run_cli({"generate", q, "--prompt", "The", "--max-new-tokens", "4", "--json"});
    QVERIFY2(generated.code == 0, generated.err.c_str());
  }

  // quantize → the packed checkpoint runs (perplexity close to the original at 8 bits) → dequantize gives the
  // same numbers from dense weights; drop lists survive both; the source is never written.
  void quantizeThenDequantizeKeepsTheNumbers() {
    QTemporaryDir tmp;
    const QString q = tmp.path() + "/q", dense = tmp.path() + "/dense", text = tmp.path() + "/t.txt";
    llmdrop::test::write_file(text.toStdString(),
                              "The license grants the right to copy and to change the program. ");
    const Run quantized =
        run_cli({"quantize",
                 model("llama"),
                 "--method",
                 "gptq",
                 "--bits",
                 "8",
                 "--group-size",
                 "32",
                 "--desc-act",
                 "--data",
                 QString::fromStdString((data_dir() / "calibration" / "calib.jsonl").string()),
                 "--samples",
                 "4",
                 "--seq-len",
                 "32",
                 "--drop-attn",
                 "2",
                 "--out",
                 q,
                 "--json"});
    QCOMPARE(quantized.code, 0);
    QCOMPARE(quantized.json()["linears"].get<int>(), 6 * 7 - 4);
    QVERIFY2(quantized.err.find("[quantize] 7/7 written") != std::string::npos, quantized.err.c_str());
    const auto config = llmdrop::test::read_json(q.toStdString() + "/config.json");
    QCOMPARE(config["quantization_config"]["quant_method"].get<std::string>(), std::string("gptq"));
    QCOMPARE(config["quantization_config"]["desc_act"].get<bool>(), true);
    QCOMPARE(config["drop_attn_list"], nlohmann::json::array({2}));
    const Run dequantized = run_cli({"dequantize", q, "--out", dense});
    QCOMPARE(dequantized.code, 0);
    // Progress per tensor written (each packed linear dequantized as the writer reaches it).
    QVERIFY2(dequantized.err.find("[dequantize] 0/52 writing ") != std::string::npos &&
                 dequantized.err.find("[dequantize] 52/52 written") != std::string::npos,
             dequantized.err.c_str());
    QVERIFY(!llmdrop::test::read_json(dense.toStdString() + "/config.json").contains("quantization_config"));
    auto ppl = [&](const QString& m, QStringList extra = {}) {
      const Run r =
          run_cli(QStringList{"perplexity", m, "--data", text, "--seq-len", "16", "--json"} + extra);
      return r.json()["ppl"].get<double>();
    };
    const double original = ppl(model("llama"), {"--drop-attn", "2"}), packed = ppl(q), unpacked = ppl(dense);
    QCOMPARE(packed, unpacked);
    QVERIFY2(std::abs(packed / original - 1) < 0.01,
             (std::to_string(packed) + " vs " + std::to_string(original)).c_str());
    QVERIFY(packed != original);
  }
  void badInputExitsTwoWithOneLine() {
    QFETCH(QStringList, args);
    QFETCH(QString, fragment);
    const Run r = run_cli(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.find(fragment.toStdString()) != std::string::npos, r.err.c_str());
    // Exactly one error, and it is the last thing printed (progress lines may precede it).
    QVERIFY2(llmdrop::test::ends_with_one_error(r.err), r.err.c_str());
  }

  // lm-eval-style evaluation: --json carries acc / acc_norm and, with --log-samples, every document's
  // prediction; the numbers are transformers' (tools/eval_reference.py fixture); --out is lm-eval's layout.
  void evalReportsPredictionsAndWritesLmEvalResults() {
    QTemporaryDir tmp;
    const QString out = tmp.filePath("results.json"), samples = tmp.filePath("samples.jsonl");
    const QString demo =
        QString::fromStdString((data_dir() / ".." / ".." / "resources" / "models" / "demo").string());
    const Run r = run_cli({"eval", demo, "--tasks", "arc_easy,boolq", "--data-dir",
                           QString::fromStdString((data_dir() / "eval" / "hf").string()), "--log-samples",
                           samples, "--out", out, "--json"},
                          tmp.path(), {{"HOME", tmp.path()}});
    QVERIFY2(r.code == 0, r.err.c_str());
    const auto j = r.json();
    const auto reference = llmdrop::test::read_json(data_dir() / "reference" / "eval" / "demo-testdata.json");
    for (const char* task : {"arc_easy", "boolq"}) {
      const auto& ours = j["tasks"][task];
      const auto& theirs = reference["tasks"][task];
      QVERIFY(std::abs(ours["acc"].get<double>() - theirs["metrics"]["acc"].get<double>()) < 1e-9);
      QCOMPARE(ours["items"].size(), theirs["docs"].size());
      for (size_t i = 0; i < ours["items"].size(); ++i) {
        QCOMPARE(ours["items"][i]["pred"], theirs["docs"][i]["pred"]);
        QCOMPARE(ours["items"][i]["gold"], theirs["docs"][i]["gold"]);
        QVERIFY(ours["items"][i].contains("pred_norm"));
      }
    }
    QVERIFY(std::abs(j["tasks"]["arc_easy"]["acc_norm"].get<double>() -
                     reference["tasks"]["arc_easy"]["metrics"]["acc_norm"].get<double>()) < 1e-9);
    const auto results = llmdrop::test::read_json(out.toStdString());
    QCOMPARE(results["results"]["boolq"]["acc,none"], j["tasks"]["boolq"]["acc"]);
    QCOMPARE(results["n-samples"]["boolq"]["effective"].get<int>(), 8);
    // The same log again without --resume would mix two runs: refused.
    const Run again =
        run_cli({"eval", demo, "--tasks", "arc_easy", "--data-dir",
                 QString::fromStdString((data_dir() / "eval" / "hf").string()), "--log-samples", samples},
                tmp.path(), {{"HOME", tmp.path()}});
    QCOMPARE(again.code, 2);
    QVERIFY2(again.err.find("pass --resume") != std::string::npos, again.err.c_str());
  }

  void evalRejectsBadTasksAndTaskFiles() {
    QTemporaryDir tmp;
    const Run unknown = run_cli({"eval", "--tasks", "arc_eazy"}, tmp.path(), {{"HOME", tmp.path()}});
    QCOMPARE(unknown.code, 2);
    QVERIFY2(unknown.err.find("unknown task 'arc_eazy'") != std::string::npos, unknown.err.c_str());
    llmdrop::test::write_file(fs::path(tmp.path().toStdString()) / "tasks" / "mine.json",
                              R"({"task": "mine", "output_type": "multiple_choice", "folders": ["mine"]})");
    const Run broken = run_cli({"eval", "--tasks", "mine"}, tmp.path(),
                               {{"HOME", tmp.path()}, {"LLMDROP_TASKS_DIR", tmp.filePath("tasks")}});
    QCOMPARE(broken.code, 2);
    QVERIFY2(broken.err.find("mine.json: field 'test_split' is missing") != std::string::npos,
             broken.err.c_str());
    const Run listed = run_cli({"tasks", "--json"}, tmp.path(), {{"HOME", tmp.path()}});
    QCOMPARE(listed.code, 0);
    QCOMPARE(listed.json().size(), size_t(12));
  }

  // The logit lens from the command line: a row per sub-layer, a cell per position, top-k most probable
  // first.
  void lensShowsEverySublayer() {
    const Run r = run_cli(
        {"lens", model("llama"), "--ids", "1,306,107,338", "--top-k", "3", "--drop-mlp", "2", "--json"});
    QVERIFY2(r.code == 0, r.err.c_str());
    const auto rows = r.json()["rows"];
    QCOMPARE(rows.size(), size_t(12));
    QCOMPARE(rows[5]["sublayer"].get<std::string>(), std::string("mlp"));
    QCOMPARE(rows[5]["dropped"].get<bool>(), true);  // layer 2's MLP
    for (const auto& row : rows)
      for (const auto& cell : row["positions"]) {
        QCOMPARE(cell["ids"].size(), size_t(3));
        QVERIFY(cell["probs"][0].get<double>() >= cell["probs"][1].get<double>());
      }
    QCOMPARE(rows[0]["positions"].size(), size_t(4));
    const Run text = run_cli({"lens", model("llama"), "--prompt", "The quick brown fox"});
    QVERIFY2(text.code == 0 && text.out.find("5 mlp") != std::string::npos, text.out.c_str());
    QCOMPARE(run_cli({"lens", model("llama")}).code, 2);  // neither --prompt nor --ids
  }

  // angular-last: Gromov et al.'s span choice for every n, and the consecutive drop it implies.
  void angularLastChoosesSpans() {
    const QString data = QString::fromStdString((data_dir() / "calibration" / "calib.jsonl").string());
    const Run scored = run_cli({"score", model("llama"), "--metric", "angular-last", "--data", data,
                                "--samples", "4", "--seq-len", "32", "--no-cache", "--json"});
    QVERIFY2(scored.code == 0, scored.err.c_str());
    const auto spans = scored.json()["spans"];
    QCOMPARE(spans.size(), size_t(6));
    QCOMPARE(spans[2]["n"].get<int>(), 3);
    QVERIFY(scored.json()["attn"]["similarity"].is_null());  // blocks only
    QTemporaryDir tmp;
    const Run dropped = run_cli({"drop", model("llama"), "--target", "block", "--n", "3", "--strategy",
                                 "consecutive", "--metric", "angular-last", "--data", data, "--samples", "4",
                                 "--seq-len", "32", "--out", tmp.path() + "/d", "--json"});
    QVERIFY2(dropped.code == 0, dropped.err.c_str());
    const int first = spans[2]["first"].get<int>();
    QCOMPARE(dropped.json()["drop_attn_list"], nlohmann::json::array({first, first + 1, first + 2}));
  }

  // task:NAME: one row set per task (NLL increases per gold-answer token, NaN → null for a dropped module),
  // cached like the other scores; drop --metric task:NAME drops that task's least important modules.
  void taskMetricScoresEachTask() {
    const QString data = QString::fromStdString((data_dir() / "calibration" / "calib.jsonl").string());
    const QString tasks_data = QString::fromStdString((data_dir() / "eval" / "hf").string());
    QTemporaryDir cache;
    qputenv("XDG_CACHE_HOME", cache.path().toUtf8());
    // The calibration, the tasks' documents and the plan both commands share.
    const QStringList shared = {"--limit",   "3", "--data-dir", tasks_data, "--data",      data,
                                "--samples", "2", "--seq-len",  "32",       "--drop-attn", "4"};
    const QStringList score =
        QStringList{"score", model("llama"), "--metric", "task:arc_easy,hellaswag", "--json"} + shared;
    const Run scored = run_cli(score);
    QVERIFY2(scored.code == 0, scored.err.c_str());
    const auto tasks = scored.json()["tasks"];
    QCOMPARE(tasks.size(), size_t(2));
    QCOMPARE(tasks[0]["task"], "arc_easy");
    QCOMPARE(tasks[1]["task"], "hellaswag");
    QCOMPARE(tasks[1]["documents"].get<int>(), 3);
    QVERIFY(tasks[1]["attn"]["nll_delta"][4].is_null());  // dropped
    QCOMPARE(tasks[1]["mlp"]["nll_delta"].size(), size_t(6));
    QVERIFY(!scored.json()["reused"].get<bool>());
    const Run again = run_cli(score);
    QVERIFY(again.json()["reused"].get<bool>());
    QCOMPARE(again.json()["tasks"], tasks);
    // Its table, and the drop it implies: the two MLPs whose loss hurts arc_easy's answers least.
    QStringList text = score;
    text.removeAll("--json");
    const Run table = run_cli(text);
    QVERIFY(table.out.find("hellaswag: 3 documents") != std::string::npos);
    std::vector<std::pair<double, int>> by_importance;
    for (int i = 0; i < 6; ++i) by_importance.push_back({tasks[0]["mlp"]["nll_delta"][i].get<double>(), i});
    std::sort(by_importance.begin(), by_importance.end());
    QTemporaryDir tmp;
    const Run dropped = run_cli(QStringList{"drop", model("llama"), "--target", "mlp", "--n", "2", "--metric",
                                            "task:arc_easy", "--out", tmp.path() + "/d", "--json"} +
                                shared);
    QVERIFY2(dropped.code == 0, dropped.err.c_str());
    QCOMPARE(dropped.json()["drop_mlp_list"],
             nlohmann::json::array({std::min(by_importance[0].second, by_importance[1].second),
                                    std::max(by_importance[0].second, by_importance[1].second)}));
    qunsetenv("XDG_CACHE_HOME");
    for (const QStringList& bad : {QStringList{"score", model("llama"), "--metric", "task:", "--data", data},
                                   QStringList{"score", model("llama"), "--metric", "task:no_such_task",
                                               "--data", data, "--data-dir", tasks_data},
                                   QStringList{"drop", model("llama"), "--target", "mlp", "--n", "1",
                                               "--metric", "task:arc_easy,hellaswag", "--data", data}}) {
      const Run r = run_cli(bad);
      QVERIFY2(r.code != 0 && r.err.find("llmdrop:") != std::string::npos, r.err.c_str());
    }
  }

  // Speed benchmark: LLM-Drop's rounds for the full model and each --compare configuration; the KV cache of a
  // configuration shrinks by exactly its dropped attention layers.
  void benchComparesDropConfigurations() {
    QTemporaryDir tmp;
    const QString csv = tmp.filePath("speed.csv");
    const Run r =
        run_cli({"bench", "--random-weights", "--shape", "tiny", "--contexts", "8,16:6", "--new-tokens", "4",
                 "--compare", "attn=0,1", "--compare", "block=2", "--csv", csv, "--json"});
    QVERIFY2(r.code == 0, r.err.c_str());
    const auto rounds = r.json()["rounds"];
    QCOMPARE(rounds.size(), size_t(6));
    for (const auto& row : rounds) {
      QVERIFY(row["decode_tokens_per_second"].get<double>() > 0);
      QVERIFY(row["prefill_tokens_per_second"].get<double>() > 0);
      QVERIFY(row["decode_p90_ms"].get<double>() >= row["decode_p50_ms"].get<double>());
      const std::string config = row["config"];
      const double expected = config == "full" ? 1.0 : config == "attn=0,1" ? 0.5 : 0.75;  // of 4 layers
      QCOMPARE(row["kv_cache_ratio"].get<double>(), expected);
      // tiny: 4 layers × 2 kv heads × 16 dims × K and V × 4 bytes = 1024 bytes per token without drops.
      // "16:6" gives that round 6 new tokens; "8" takes --new-tokens.
      const int64_t context = row["context"], new_tokens = row["new_tokens"];
      QCOMPARE(new_tokens, context == 16 ? int64_t(6) : int64_t(4));
      QCOMPARE(row["kv_cache_bytes"].get<int64_t>(), int64_t(1024 * expected) * (context + new_tokens));
      // What a decode step reads, by hand in float32: a layer is q|k|v 128×64, o 64×64, gate|up 256×64, down
      // 64×128 and two norms of 64 (the attention's share 128×64 + 64×64 + 64); the head 512×64 and the final
      // norm; the cache to the middle of the decode.
      const int64_t layer = 128 * 64 + 64 * 64 + 256 * 64 + 64 * 128 + 2 * 64,
                    attention = 128 * 64 + 64 * 64 + 64;
      const int64_t weights = 4 * layer + 512 * 64 + 64 -
                              (config == "attn=0,1"  ? 2 * attention
                               : config == "block=2" ? layer
                                                     : 0);
      QCOMPARE(row["decode_step_bytes"].get<int64_t>(),
               4 * weights + int64_t(1024 * expected) * (context + new_tokens / 2));
      QCOMPARE(row["roofline_decode_tokens_per_second"].get<double>(), 0.0);  // a GPU's figure
    }
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 7);
    QVERIFY(lines[0].startsWith(
        "Batch Size,Prefill Length,Decode Length,Prefill tokens/s,Decode tokens/s,Memory (VRAM)"));
    const Run bad = run_cli({"bench", "--random-weights", "--shape", "gpt5"});
    QCOMPARE(bad.code, 2);
    QVERIFY2(bad.err.find("unknown shape 'gpt5'") != std::string::npos, bad.err.c_str());
    const Run bad_compare = run_cli({"bench", "--random-weights", "--shape", "tiny", "--compare", "heads=1"});
    QCOMPARE(bad_compare.code, 2);
    const Run bad_round = run_cli({"bench", "--random-weights", "--shape", "tiny", "--contexts", "8,16:x"});
    QCOMPARE(bad_round.code, 2);
    QVERIFY2(bad_round.err.find("context:new tokens") != std::string::npos, bad_round.err.c_str());
  }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
