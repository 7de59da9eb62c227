// tokenizer.json against Hugging Face tokenizers: the ids and decoded text that Python's tokenizers 0.23.2
// gives for 3,100 texts (tokenizers and texts by tools/make_tokenizer_json_fixtures.sh, references by
// tools/gpu/run.sh tokenizer_check → tests/data/tokenizer_json/), and files that are malformed or ask for
// what is not supported refused with one line naming the field.
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "checkpoint/checkpoint.h"
#include "checkpoint/tokenizer.h"
#include "checkpoint/tokenizer_json.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace llmdrop;
namespace fs = std::filesystem;

namespace {

fs::path fixtures() {
  return test::data_dir() / "tokenizer_json";
}

std::string ids_text(const std::vector<int64_t>& ids) {
  std::string s;
  for (const int64_t id : ids) {
    if (!s.empty()) s += ',';
    s += std::to_string(id);
  }
  return s;
}

// Each way a file can be wrong or ask for what is not supported: a JSON merge patch on the GPT-2 fixture, and
// the one BadInput line it must give.
struct BadFile {
  const char *name, *change, *message;
};
const BadFile kBadFiles[] = {
    {"WordPiece", R"({"model": {"type": "WordPiece"}})",
     "model is of type 'WordPiece': only BPE tokenizers are supported"},
    {"dropout", R"({"model": {"dropout": 0.1}})", "model.dropout is set"},
    {"unknown merge", R"({"model": {"merges": ["Ġ zzz"]}})",
     "model.merges[0] names 'zzz', which is not in the vocabulary"},
    {"merge shape", R"({"model": {"merges": [3]}})", R"(model.merges[0] must be "a b")"},
    {"huge id", R"({"model": {"vocab": {"x": 4294967296}}})",
     "model.vocab gives 'x' an id that is not an integer in [0, 2^31)"},
    {"vocab type", R"({"model": {"vocab": [1, 2]}})", "model.vocab must be an object"},
    {"invalid regex",
     R"({"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"}})",
     "pre_tokenizer.pattern: invalid regular expression '(unclosed'"},
    {"behavior", R"({"pre_tokenizer": {"type": "Split", "pattern": {"String": " "}, "behavior": "x"}})",
     "pre_tokenizer.behavior 'x' is not a split behavior"},
    {"normalizer", R"({"normalizer": {"type": "BertNormalizer"}})",
     "normalizer is a normalizer of type 'BertNormalizer', which is not supported"},
    {"post-processor", R"({"post_processor": {"type": "BertProcessing"}})",
     "post_processor is a post-processor of type 'BertProcessing', which is not supported"},
    {"added token id", R"({"added_tokens": [{"id": -1, "content": "x"}]})",
     "added_tokens[0].id must be between 0 and 2147483647, not -1"},
    {"missing vocab", R"({"model": {"vocab": null}})", "model: missing field 'vocab'"},
    {"deep nesting", "", "JSON nested deeper than 256 levels"},
};

}  // namespace

class TokenizerJsonTest : public QObject {
  Q_OBJECT

 private slots:
  void idsAndDecodingEqualTheLibrarys_data() {
    test::add_name_rows("name", {"gpt2", "llama3", "qwen2", "sentencepiece", "metaspace"});
  }

  // Every text: ids without and with the post-processor's special tokens, decode with and without skipping
  // special tokens.
  void idsAndDecodingEqualTheLibrarys() {
    QFETCH(QString, name);
    const fs::path dir = fixtures() / name.toStdString();
    const TokenizerJson tokenizer = TokenizerJson::open(dir / "tokenizer.json");
    const auto texts = test::read_json(fixtures() / "texts.json");
    const auto reference = test::read_json(dir / "reference.json");
    const auto& cases = reference["cases"];
    QCOMPARE(cases.size(), texts.size());
    QVERIFY(texts.size() >= 3000);
    const auto prefix = reference["special_tokens_around"]["prefix"].get<std::vector<int64_t>>();
    const auto suffix = reference["special_tokens_around"]["suffix"].get<std::vector<int64_t>>();
    int mismatches = 0;
    for (size_t i = 0; i < texts.size() && mismatches < 5; ++i) {
      const std::string text = texts[i].get<std::string>();
      const auto& c = cases[i];
      const auto ids = c["ids"].get<std::vector<int64_t>>();
      std::vector<int64_t> with_special = prefix;
      with_special.insert(with_special.end(), ids.begin(), ids.end());
      with_special.insert(with_special.end(), suffix.begin(), suffix.end());
      if (c.contains("ids_with_special_tokens"))
        with_special = c["ids_with_special_tokens"].get<std::vector<int64_t>>();
      const std::string decoded = c.value("decoded", text);
      const std::string skipping = c.value("decoded_skipping_special", decoded);
      const auto ours = tokenizer.encode(text);
      std::string what;
      if (ours != ids)
        what = "ids " + ids_text(ours) + " (theirs " + ids_text(ids) + ")";
      else if (tokenizer.encode(text, true) != with_special)
        what = "ids with special tokens";
      else if (tokenizer.decode(ids) != decoded)
        what = "decoded '" + tokenizer.decode(ids) + "'";
      else if (tokenizer.decode(ids, true) != skipping)
        what = "decoded skipping special tokens";
      if (!what.empty()) {
        ++mismatches;
        qWarning("%s text %zu '%s': %s", qPrintable(name), i, text.c_str(), what.c_str());
      }
    }
    QCOMPARE(mismatches, 0);
  }

  // A folder with both files (the demo model's tokenizer.model and the tokenizer.json that transformers'
  // AutoTokenizer converts it to, with Llama 2's tokenizer_config.json; tools/gpu/run.sh tokenizer_check) is
  // read as AutoTokenizer reads it: the fast tokenizer's ids and BOS on every text, where the sentencepiece
  // library gives other ids for 456 of them.
  void aFolderWithBothFilesGivesAutoTokenizersIds() {
    const fs::path converted = fixtures() / "converted-spm";
    const fs::path demo = test::data_dir() / ".." / ".." / "resources" / "models" / "demo";
    QTemporaryDir dir;
    for (const fs::path& file : {demo / "tokenizer.model", demo / "config.json", converted / "tokenizer.json",
                                 converted / "tokenizer_config.json"})
      fs::copy_file(file, fs::path(dir.path().toStdString()) / file.filename());
    const Tokenizer tokenizer = Tokenizer::open(dir.path().toStdString(), Checkpoint::open(demo).config);
    QCOMPARE(tokenizer.kind(), std::string("BPE tokenizer.json"));
    const auto texts = test::read_json(fixtures() / "texts.json");
    const auto reference = test::read_json(converted / "reference.json");
    QCOMPARE(reference["cases"].size(), texts.size());
    QCOMPARE(tokenizer.bos_id(), std::optional<int64_t>(reference["prefix"][0].get<int64_t>()));
    int mismatches = 0, sentencepiece_differs = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
      const auto& c = reference["cases"][i];
      sentencepiece_differs += c.contains("slow");
      const auto ours = tokenizer.encode(texts[i].get<std::string>());
      if (ours != c["fast"].get<std::vector<int64_t>>() && ++mismatches <= 5)
        qWarning("text %zu: ids %s (AutoTokenizer %s)", i, ids_text(ours).c_str(),
                 ids_text(c["fast"].get<std::vector<int64_t>>()).c_str());
    }
    QCOMPARE(mismatches, 0);
    QCOMPARE(sentencepiece_differs, 456);
  }

  void badFilesAreRefusedByField_data() {
    QTest::addColumn<int>("row");
    for (size_t i = 0; i < std::size(kBadFiles); ++i) QTest::newRow(kBadFiles[i].name) << int(i);
  }

  void badFilesAreRefusedByField() {
    QFETCH(int, row);
    const BadFile& bad = kBadFiles[row];
    nlohmann::json file = test::read_json(fixtures() / "gpt2" / "tokenizer.json");
    std::string text;
    if (*bad.change) {
      file.merge_patch(nlohmann::json::parse(bad.change));
      text = file.dump();
    } else {  // a piece of the vocabulary nested 300 levels deep
      text = file.dump();
      text.insert(text.find("\"vocab\":{") + 9,
                  "\"x\":" + std::string(300, '[') + std::string(300, ']') + ",");
    }
    EXPECT_ERROR(BadInput, TokenizerJson::parse(text, "t.json"), std::string("t.json: ") + bad.message);
    EXPECT_ERROR(BadInput, TokenizerJson::parse("{\"model\": ", "t.json"), "t.json: not valid JSON");
  }

  // tokenizers' documented example of each SplitDelimiterBehavior ("the-final--countdown" split on "-"), and
  // Digits: a word-level vocabulary (ignore_merges) shows the pieces.
  void splitBehaviorsFollowTheLibrarysDefinition_data() {
    QTest::addColumn<QString>("pre_tokenizer");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("pieces");
    const QString split =
        R"({"type": "Split", "pattern": {"String": "-"}, "behavior": "%1", "invert": false})";
    const QString text = "the-final--countdown";
    QTest::newRow("Removed") << split.arg("Removed") << text << QStringList{"the", "final", "countdown"};
    QTest::newRow("Isolated") << split.arg("Isolated") << text
                              << QStringList{"the", "-", "final", "-", "-", "countdown"};
    QTest::newRow("MergedWithPrevious")
        << split.arg("MergedWithPrevious") << text << QStringList{"the-", "final-", "-", "countdown"};
    QTest::newRow("MergedWithNext") << split.arg("MergedWithNext") << text
                                    << QStringList{"the", "-final", "-", "-countdown"};
    QTest::newRow("Contiguous") << split.arg("Contiguous") << text
                                << QStringList{"the", "-", "final", "--", "countdown"};
    QTest::newRow("inverted") << QString(split.arg("Removed")).replace("false", "true") << text
                              << QStringList{"-", "-", "-"};
    const QString digits = R"({"type": "Digits", "individual_digits": %1})";
    QTest::newRow("Digits") << digits.arg("false") << "abc123def4" << QStringList{"abc", "123", "def", "4"};
    QTest::newRow("individual Digits")
        << digits.arg("true") << "abc123def4" << QStringList{"abc", "1", "2", "3", "def", "4"};
  }

  void splitBehaviorsFollowTheLibrarysDefinition() {
    QFETCH(QString, pre_tokenizer);
    QFETCH(QString, text);
    QFETCH(QStringList, pieces);
    nlohmann::json vocab = nlohmann::json::object();
    for (const char* piece : {"the", "final", "countdown", "-", "the-", "final-", "-final", "-countdown",
                              "--", "abc", "def", "1", "2", "3", "4", "123"})
      vocab[piece] = vocab.size();
    const nlohmann::json file = {
        {"model",
         {{"type", "BPE"}, {"vocab", vocab}, {"merges", nlohmann::json::array()}, {"ignore_merges", true}}},
        {"pre_tokenizer", nlohmann::json::parse(pre_tokenizer.toStdString())}};
    const TokenizerJson tokenizer = TokenizerJson::parse(file.dump(), "t.json");
    QStringList ours;
    for (const int64_t id : tokenizer.encode(text.toStdString()))
      ours << QString::fromStdString(tokenizer.decode({id}));
    QCOMPARE(ours, pieces);
  }

  void invalidUtf8IsRefused() {
    const TokenizerJson tokenizer = TokenizerJson::open(fixtures() / "gpt2" / "tokenizer.json");
    EXPECT_ERROR(BadInput, tokenizer.encode("ok \xC3\x28 no"), "the text is not valid UTF-8 (byte 3)");
  }
};

QTEST_GUILESS_MAIN(TokenizerJsonTest)
#include "tst_tokenizer_json.moc"
