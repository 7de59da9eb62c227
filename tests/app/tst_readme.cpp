// Every command of README.md's ```sh blocks, run as written and in order (later examples use what earlier
// ones wrote), in a scratch folder that mirrors the checkout: a link to each top-level entry of the source
// tree and `build` linked to this build, so the README's paths resolve as from the top of a checkout while
// whatever the commands write stays in the scratch folder. build/bin is first on PATH; HOME and
// XDG_CACHE_HOME point into the scratch folder (score caches, user task folders). A command must exit 0. Only
// the commands kNotRun names are skipped, each with its reason in the log.
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

// README commands this test does not run, and why.
const std::vector<std::pair<QRegularExpression, QString>> kNotRun = {
    {QRegularExpression(R"(^tools/setup\.sh )"),
     "installs packages and builds: this test runs in that build"},
    {QRegularExpression(R"(--device cuda)"), "needs a CUDA GPU"},
    {QRegularExpression(R"(--devices (cuda|all))"), "needs several CUDA GPUs"},
    {QRegularExpression(R"(^torchrun )"), "needs torchrun (Python's torch) and several hosts"},
    {QRegularExpression(R"(^(build/bin/)?llmdrop-workbench (?!.*--screenshot))"),
     "opens the workbench's window and waits for its user"},
};

// The commands of the ```sh blocks: one per line, a line ending in a backslash continued on the next.
QStringList readme_commands(const fs::path& readme) {
  std::ifstream in(readme);
  QStringList commands;
  bool in_block = false;
  QString pending;
  for (std::string raw; std::getline(in, raw);) {
    const QString line = QString::fromStdString(raw);
    if (!in_block) {
      in_block = line.trimmed() == "```sh";
      continue;
    }
    if (line.trimmed() == "```") {
      in_block = false;
      continue;
    }
    pending += line;
    if (line.endsWith('\\')) {
      pending += '\n';
      continue;
    }
    if (!pending.trimmed().isEmpty()) commands << pending.trimmed();
    pending.clear();
  }
  return commands;
}

}  // namespace

class ReadmeTest : public QObject {
  Q_OBJECT
  QTemporaryDir scratch_;

 private slots:
  void initTestCase() {
    QVERIFY(scratch_.isValid());
    const fs::path work = scratch_.path().toStdString();
    for (const auto& entry : fs::directory_iterator(LLMDROP_SOURCE_DIR)) {
      const std::string name = entry.path().filename().string();
      if (name != "build" && name[0] != '.') fs::create_symlink(entry.path(), work / name);
    }
    fs::create_directory_symlink(LLMDROP_BINARY_DIR, work / "build");
    fs::create_directories(work / "home");
  }

  void commandRunsAsWritten_data() {
    QTest::addColumn<QString>("command");
    const QStringList commands = readme_commands(fs::path(LLMDROP_SOURCE_DIR) / "README.md");
    QVERIFY2(commands.size() >= 20, "README.md lost its ```sh blocks?");
    for (int i = 0; i < commands.size(); ++i)
      QTest::newRow(QString("%1").arg(i + 1, 2, 10, QChar('0')).toUtf8()) << commands[i];
  }

  void commandRunsAsWritten() {
    QFETCH(QString, command);
    for (const auto& [pattern, reason] : kNotRun)
      if (pattern.match(command).hasMatch()) QSKIP(qPrintable("not run (" + reason + "): " + command));
    QProcess p;
    p.setWorkingDirectory(scratch_.path());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PATH", QString(LLMDROP_BINARY_DIR) + "/bin:" + env.value("PATH"));
    env.insert("HOME", scratch_.filePath("home"));
    env.insert("XDG_CACHE_HOME", scratch_.filePath("home/.cache"));
    p.setProcessEnvironment(env);
    p.setStandardInputFile(QProcess::nullDevice());
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);  // progress and errors go to the test log
    const auto start = std::chrono::steady_clock::now();
    p.start("sh", {"-c", command});
    const bool finished = p.waitForFinished(480000);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    qInfo().noquote() << QString::number(seconds, 'f', 1) + " s: " + command;
    if (!finished) p.kill();
    QVERIFY2(finished, qPrintable("still running after 480 s: " + command));
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
             qPrintable(QString("exit code %1: %2\n%3")
                            .arg(p.exitCode())
                            .arg(command, QString::fromUtf8(p.readAllStandardOutput()))));
  }
};

QTEST_GUILESS_MAIN(ReadmeTest)
#include "tst_readme.moc"
