// Ctrl-C during `llmdrop eval`, pressed as a user presses it (issue #27): the finished task is printed and
// kept in --out, every finished document in --log-samples, exit 130 with where they are and how to go on;
// --resume then ends with the numbers of a run that was never interrupted.
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process_run.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using llmdrop::test::data_dir;

namespace {

constexpr int kBoolqCopies = 25;  // × 8 documents: a second task long enough to interrupt

// arc_easy as in the test set, and boolq's 8 documents repeated, each copy's passages numbered so that no two
// documents share a context.
void write_eval_data(const fs::path& root) {
  const fs::path source = data_dir() / "eval" / "shared";
  fs::create_directories(root / "arc_easy");
  fs::copy_file(source / "arc_easy" / "test.jsonl", root / "arc_easy" / "test.jsonl");
  std::ifstream in(source / "boolq" / "validation.jsonl");
  std::vector<nlohmann::json> docs;
  for (std::string line; std::getline(in, line);) docs.push_back(nlohmann::json::parse(line));
  std::string boolq;
  for (int copy = 0; copy < kBoolqCopies; ++copy)
    for (auto doc : docs) {
      std::string query = doc["query"];
      query.insert(query.find("\nQuestion:"), " (" + std::to_string(copy) + ")");
      doc["query"] = query;
      boolq += doc.dump() + "\n";
    }
  llmdrop::test::write_file(root / "boolq" / "validation.jsonl", boolq);
}

size_t line_count(const QString& file) {
  std::ifstream in(file.toStdString());
  size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

}  // namespace

class CliEvalInterruptTest : public QObject {
  Q_OBJECT

 private slots:
  void ctrlCKeepsTheFinishedTaskAndResumeFinishesTheRun() {
    QTemporaryDir tmp;
    write_eval_data(fs::path(tmp.path().toStdString()) / "data");
    const QString results = tmp.filePath("results.json"), samples = tmp.filePath("samples.jsonl");
    const QStringList eval = {
        "eval",
        QString::fromStdString((data_dir() / ".." / ".." / "resources" / "models" / "demo").string()),
        "--tasks",
        "arc_easy,boolq",
        "--data-dir",
        tmp.filePath("data")};
    const std::vector<std::pair<QString, QString>> env = {{"HOME", tmp.path()}};
    const auto uninterrupted = llmdrop::test::run_program(
        "LLMDROP_CLI", eval + QStringList{"--out", tmp.filePath("full.json")}, {env});
    QVERIFY2(uninterrupted.code == 0, uninterrupted.err.c_str());
    const auto full = llmdrop::test::read_json(tmp.filePath("full.json").toStdString());

    QProcess p;
    QProcessEnvironment process_env = QProcessEnvironment::systemEnvironment();
    process_env.insert("HOME", tmp.path());
    p.setProcessEnvironment(process_env);
    p.start(QString::fromLocal8Bit(qgetenv("LLMDROP_CLI")),
            eval + QStringList{"--out", results, "--log-samples", samples});
    p.setReadChannel(QProcess::StandardError);  // progress lines come on stderr
    // Interrupt once boolq (documents 9–208 of the run) is some documents in.
    const QRegularExpression boolq_progress(R"(\[eval\] (\d+)/208 boolq)");
    std::string err;
    auto boolq_started = [&] {
      auto it = boolq_progress.globalMatch(QString::fromStdString(err));
      while (it.hasNext())
        if (it.next().captured(1).toInt() >= 8 + 10) return true;
      return false;
    };
    while (!boolq_started() && p.waitForReadyRead(60000)) err += p.readAllStandardError().toStdString();
    QVERIFY2(boolq_started(), err.c_str());
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(120000));
    err += p.readAllStandardError().toStdString();
    const std::string out = p.readAllStandardOutput().toStdString();
    QCOMPARE(p.exitCode(), 130);

    // The finished task printed; where it is kept and how to go on said.
    QVERIFY2(out.find("| arc_easy | 0 | 8 | acc |") != std::string::npos, out.c_str());
    QVERIFY2(out.find("boolq") == std::string::npos, out.c_str());
    for (const std::string& said :
         {std::string("interrupted with 1 of 2 tasks complete (arc_easy); incomplete: boolq"),
          "results of the complete tasks: " + results.toStdString(),
          "every finished document: " + samples.toStdString(),
          std::string("run the same command again with --resume"),
          std::string("llmdrop: error: cancelled (Ctrl-C)")})
      QVERIFY2(err.find(said) != std::string::npos, ("missing '" + said + "' in:\n" + err).c_str());
    const auto kept = llmdrop::test::read_json(results.toStdString());
    QCOMPARE(kept["results"], nlohmann::json({{"arc_easy", full["results"]["arc_easy"]}}));
    QCOMPARE(kept["tasks_incomplete"], nlohmann::json::array({"boolq"}));
    // The header, arc_easy's 8 documents and the boolq documents finished before Ctrl-C.
    const size_t logged = line_count(samples);
    QVERIFY2(logged >= 1 + 8 + 10 && logged < 1 + 8 + 8 * kBoolqCopies, std::to_string(logged).c_str());

    const auto resumed = llmdrop::test::run_program(
        "LLMDROP_CLI", eval + QStringList{"--out", results, "--log-samples", samples, "--resume"}, {env});
    QVERIFY2(resumed.code == 0, resumed.err.c_str());
    QVERIFY2(resumed.out.find("| boolq | 0 | 200 | acc |") != std::string::npos, resumed.out.c_str());
    // One record per document: none was scored twice.
    QCOMPARE(line_count(samples), size_t(1 + 8 + 8 * kBoolqCopies));
    const auto finished = llmdrop::test::read_json(results.toStdString());
    QCOMPARE(finished["results"], full["results"]);
    QCOMPARE(finished["tasks_incomplete"], nlohmann::json::array());
  }
};

QTEST_GUILESS_MAIN(CliEvalInterruptTest)
#include "tst_cli_eval_interrupt.moc"
