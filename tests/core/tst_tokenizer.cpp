// The sentencepiece tokenizer against the Python sentencepiece ids recorded by tools/make_fixtures.py.
#include <QtTest>

#include "checkpoint/model_config.h"
#include "checkpoint/tokenizer.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace llmdrop;

class TokenizerTest : public QObject {
  Q_OBJECT

 private slots:
  void idsEqualPythonSentencepiece_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");  // JSON array
    const auto ref = test::read_json(test::data_dir() / "tokenizer" / "reference.json");
    int i = 0;
    for (const auto& c : ref["cases"])
      QTest::newRow(("case " + std::to_string(i++)).c_str())
          << QString::fromStdString(c["text"].get<std::string>()) << QString::fromStdString(c["ids"].dump());
  }
  void idsEqualPythonSentencepiece() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const ModelConfig config = read_model_config(test::model_dir("llama"));
    const Tokenizer tok = Tokenizer::open(test::model_dir("llama"), config);
    const auto ids = tok.encode(text.toStdString());
    QCOMPARE(nlohmann::json(ids).dump(), expected.toStdString());
  }

  void decodeInvertsEncode() {
    const ModelConfig config = read_model_config(test::model_dir("llama"));
    const Tokenizer tok = Tokenizer::open(test::model_dir("llama"), config);
    for (std::string text :
         {"Hello world", "café naïve résumé", "emoji 🙂👍", "two  spaces and\nnew line"})
      QCOMPARE(tok.decode(tok.encode(text)), text);
    QCOMPARE(tok.bos_id().value_or(-1), int64_t(1));
    QCOMPARE(tok.eos_id().value_or(-1), int64_t(2));
    QCOMPARE(tok.vocab_size(), int64_t(384));
    EXPECT_ERROR(BadInput, tok.decode({5000}), "outside the vocabulary");
  }
};

QTEST_GUILESS_MAIN(TokenizerTest)
#include "tst_tokenizer.moc"
