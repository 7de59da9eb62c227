// The sentencepiece tokenizer against the Python sentencepiece ids recorded by tools/make_fixtures.py, and
// damaged or unreadable tokenizer.model files refused before sentencepiece sees them.
#include <sys/stat.h>

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <functional>
#include <map>

#include "checkpoint/model_config.h"
#include "checkpoint/tokenizer.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace llmdrop;
namespace fs = std::filesystem;

namespace {

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// protobuf's wire format, enough to append fields to a ModelProto.
std::string varint(uint64_t v) {
  std::string out;
  for (; v >= 0x80; v >>= 7) out += char(0x80 | (v & 0x7F));
  return out + char(v);
}
std::string len_field(uint64_t number, const std::string& payload) {
  return varint(number << 3 | 2) + varint(payload.size()) + payload;
}
// protobuf merges a repeated message field, so an appended NormalizerSpec (3; denormalizer_spec: 5) holding
// only precompiled_charsmap (2) replaces the model's rules and keeps the rest of its spec.
std::string with_charsmap(const std::string& model, const std::string& charsmap, uint64_t spec = 3) {
  return model + len_field(spec, len_field(2, charsmap));
}
// The last normalizer_spec's precompiled_charsmap of a ModelProto.
std::string charsmap_of(const std::string& model) {
  std::string found;
  const std::function<void(std::string_view, int)> walk = [&](std::string_view data, int depth) {
    size_t pos = 0;
    const auto read_varint = [&] {
      uint64_t v = 0;
      for (int shift = 0; pos < data.size(); shift += 7) {
        const auto byte = static_cast<uint8_t>(data[pos++]);
        v |= uint64_t(byte & 0x7F) << shift;
        if (!(byte & 0x80)) break;
      }
      return v;
    };
    while (pos < data.size()) {
      const uint64_t key = read_varint();
      if ((key & 7) == 0) read_varint();
      if ((key & 7) == 1) pos += 8;
      if ((key & 7) == 5) pos += 4;
      if ((key & 7) != 2) continue;
      const size_t length = read_varint();
      const std::string_view payload = data.substr(pos, length);
      pos += length;
      if (depth == 0 && key >> 3 == 3) walk(payload, 1);
      if (depth == 1 && key >> 3 == 2) found = payload;
    }
  };
  walk(model, 0);
  return found;
}

// A precompiled_charsmap: darts-clone double-array units, then the NUL-terminated replacement strings.
struct Charsmap {
  std::vector<uint32_t> units;
  std::string normalized;

  static Charsmap parse(const std::string& blob) {
    const auto u32 = [&](size_t at) {
      uint32_t v = 0;
      for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<uint8_t>(blob[at + k]);
      return v;
    };
    Charsmap m;
    const uint32_t trie_bytes = u32(0);
    for (size_t i = 0; i < trie_bytes / 4; ++i) m.units.push_back(u32(4 + 4 * i));
    m.normalized = blob.substr(4 + trie_bytes);
    return m;
  }
  std::string blob(std::optional<uint32_t> trie_bytes = std::nullopt) const {
    std::string out;
    const auto put = [&](uint32_t v) {
      for (int k = 0; k < 4; ++k) out += char((v >> (8 * k)) & 0xFF);
    };
    put(trie_bytes.value_or(static_cast<uint32_t>(units.size() * 4)));
    for (uint32_t u : units) put(u);
    return out + normalized;
  }

  // darts-clone's unit layout.
  static uint32_t offset(uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); }
  static bool has_leaf(uint32_t u) { return (u >> 8) & 1; }
  static bool labelled(uint32_t u, uint32_t c) { return (u & (0x80000000u | 0xFFu)) == c; }
  static uint32_t edge(uint32_t offset, bool leaf, uint32_t label) {  // offset < 2^21
    return (offset << 10) | (leaf ? 1u << 8 : 0u) | label;
  }
  uint32_t root() const { return offset(units[0]); }
  // The first byte with an edge out of the root.
  uint32_t root_edge() const {
    for (uint32_t c = 0; c < 256; ++c)
      if (labelled(units[root() ^ c], c)) return c;
    return 256;
  }
  // Where the value unit of the first leaf met depth-first sits.
  std::optional<uint32_t> first_leaf(uint32_t node, int depth = 0) const {
    for (uint32_t c = 0; c < 256 && depth < 8; ++c) {
      const uint32_t u = units[node ^ c];
      if (!labelled(u, c)) continue;
      const uint32_t child = (node ^ c) ^ offset(u);
      if (has_leaf(u)) return child;
      if (auto leaf = first_leaf(child, depth + 1)) return leaf;
    }
    return std::nullopt;
  }
};

// A double array for `rules` (key → replacement) as sentencepiece reads it: one 256-unit block per trie node,
// unused units labelled so that no byte matches them.
Charsmap build_charsmap(const std::vector<std::pair<std::string, std::string>>& rules) {
  struct Node {
    std::map<uint8_t, size_t> next;
    int64_t value = -1;
  };
  std::vector<Node> nodes(1);
  Charsmap m;
  for (const auto& [key, to] : rules) {
    size_t n = 0;
    for (const unsigned char c : key) {
      if (!nodes[n].next.count(c)) {
        nodes[n].next[c] = nodes.size();
        nodes.emplace_back();
      }
      n = nodes[n].next[c];
    }
    nodes[n].value = static_cast<int64_t>(m.normalized.size());
    m.normalized += to + '\0';
  }
  const auto base = [](size_t node) { return static_cast<uint32_t>(256 * (node + 1)); };
  m.units.resize(256 * (nodes.size() + 1));
  for (size_t i = 0; i < m.units.size(); ++i) m.units[i] = (i & 0xFF) ^ 1;
  m.units[0] = Charsmap::edge(base(0), false, 0);
  for (size_t n = 0; n < nodes.size(); ++n)
    for (const auto& [c, child] : nodes[n].next) {
      const bool leaf = nodes[child].value >= 0;
      m.units[base(n) ^ c] = Charsmap::edge((base(n) ^ c) ^ base(child), leaf, c);
      if (leaf) m.units[base(child)] = static_cast<uint32_t>(nodes[child].value) | 0x80000000u;
    }
  return m;
}

// Damaged copies of a charsmap, each of which sentencepiece would read out of bounds or loop on.
std::vector<std::pair<std::string, std::string>> damaged(const Charsmap& good) {
  std::vector<std::pair<std::string, std::string>> out;
  const uint32_t trie_bytes = static_cast<uint32_t>(good.units.size() * 4);
  out.push_back({"trie size past the end", good.blob(0xFFFFFFF0u)});
  out.push_back(
      {"trie size just past the end", good.blob(trie_bytes + ((good.normalized.size() + 4) & ~3u))});
  out.push_back({"trie size not a multiple of 4", good.blob(trie_bytes - 2)});
  out.push_back({"no units", good.blob(0)});
  out.push_back({"blob shorter than its size field", good.blob().substr(0, 3)});
  Charsmap m = good;
  m.units[0] = Charsmap::edge((1u << 21) - 1, false, 0);
  out.push_back({"root offset out of range", m.blob()});
  const uint32_t c = good.root_edge();
  m = good;
  m.units[good.root() ^ c] = Charsmap::edge((1u << 21) - 1, false, c);
  out.push_back({"edge offset out of range", m.blob()});
  m = good;
  m.units[good.root() ^ c] = Charsmap::edge(c, false, c);  // leads back to the root
  out.push_back({"a cycle", m.blob()});
  m = good;
  m.units[*good.first_leaf(good.root())] = static_cast<uint32_t>(good.normalized.size() + 5) | 0x80000000u;
  out.push_back({"leaf value out of range", m.blob()});
  m = good;
  for (char& ch : m.normalized)
    if (ch == '\0') ch = 'x';
  out.push_back({"missing NUL", m.blob()});
  return out;
}

fs::path write_model(const fs::path& dir, const std::string& bytes) {
  test::write_file(dir / "tokenizer.model", bytes);
  return dir;
}

}  // namespace

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

  // Normalizer rules (precompiled_charsmap) that the identity-normalized test tokenizer lacks, on its model.
  void soundNormalizerRulesApply() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    const ModelConfig config = read_model_config(test::model_dir("llama"));
    const std::string model = read_bytes(test::model_dir("llama") / "tokenizer.model");
    const Tokenizer plain = Tokenizer::open(test::model_dir("llama"), config);
    const Charsmap rules = build_charsmap({{"\xef\xbc\xa1", "A"},     // FULLWIDTH A
                                           {"\xef\xbc\xa2", "B"},     // FULLWIDTH B
                                           {"\xef\xac\x81", "fi"},    // LATIN SMALL LIGATURE FI
                                           {"\xc2\xa0", " "},         // NO-BREAK SPACE
                                           {"\xef\xac", "[prefix]"}}  // a leaf on the way to another
    );
    const std::string text = "\xef\xbc\xa1\xef\xbc\xa2 \xef\xac\x81ne\xc2\xa0x", same = "AB fine x";
    const Tokenizer tok =
        Tokenizer::open(write_model(root / "rules", with_charsmap(model, rules.blob())), config);
    QCOMPARE(tok.encode(text), plain.encode(same));
    QCOMPARE(tok.encode("\xef\xac\x82"), plain.encode("[prefix]\x82"));  // only the shorter rule matches
    QCOMPARE(tok.encode("Hello world"), plain.encode("Hello world"));
    // Denormalizer rules (used when decoding) are checked the same way.
    const Tokenizer denorm =
        Tokenizer::open(write_model(root / "denorm", with_charsmap(model, rules.blob(), 5)), config);
    QCOMPARE(denorm.encode("Hello"), plain.encode("Hello"));

    // 32 leaves on one path is sentencepiece's limit; 33 overflow its result array.
    std::vector<std::pair<std::string, std::string>> chain;
    for (int i = 1; i <= 33; ++i) chain.push_back({std::string(i, 'a'), "<" + std::to_string(i) + ">"});
    const Charsmap longest = build_charsmap({chain.begin(), chain.end() - 1});
    const Tokenizer chained =
        Tokenizer::open(write_model(root / "chain32", with_charsmap(model, longest.blob())), config);
    QCOMPARE(chained.encode(std::string(40, 'a')), plain.encode("<32><8>"));
    EXPECT_ERROR(
        BadInput,
        Tokenizer::open(write_model(root / "chain33", with_charsmap(model, build_charsmap(chain).blob())),
                        config),
        "tokenizer.model: normalizer rules (precompiled_charsmap) are damaged");
  }

  void damagedNormalizerRulesAreRefused() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    const ModelConfig config = read_model_config(test::model_dir("llama"));
    const std::string model = read_bytes(test::model_dir("llama") / "tokenizer.model");
    const Charsmap rules = build_charsmap({{"\xef\xbc\xa1", "A"}, {"\xef\xac\x81", "fi"}, {"\xef\xac", "x"}});
    int i = 0;
    for (const auto& [what, blob] : damaged(rules)) {
      const fs::path dir = root / std::to_string(i++);
      EXPECT_ERROR(
          BadInput, Tokenizer::open(write_model(dir, with_charsmap(model, blob)), config),
          (dir / "tokenizer.model").string() + ": normalizer rules (precompiled_charsmap) are damaged");
      EXPECT_ERROR(BadInput, Tokenizer::open(write_model(dir, with_charsmap(model, blob, 5)), config),
                   "denormalizer rules (precompiled_charsmap) are damaged");
      if (QTest::currentTestFailed()) QFAIL(what.c_str());
    }
  }

  // sentencepiece's own nmt_nfkc rules (spm_train's double array): accepted, tokenized exactly as spm_encode
  // does, and refused when damaged the same ways.
  void realNormalizerRulesMatchSpmEncode() {
    const QString spm_train = QStandardPaths::findExecutable("spm_train");
    const QString spm_encode = QStandardPaths::findExecutable("spm_encode");
    if (spm_train.isEmpty() || spm_encode.isEmpty())
      QSKIP("spm_train / spm_encode (Debian's sentencepiece) absent");
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    std::string corpus;
    for (int i = 0; i < 300; ++i)
      corpus += "Line " + std::to_string(i) +
                ": the quick brown fox jumps over the lazy dog, caf\xc3\xa9 \xef\xac\x81ne "
                "\xef\xbc\xa8\xef\xbd\x85\xef\xbd\x8c\xef\xbd\x8c\xef\xbd\x8f \xe2\x91\xa0 " +
                std::to_string(i * 7) + "\n";
    test::write_file(root / "corpus.txt", corpus);
    QProcess train;
    train.start(spm_train, {"--input=" + QString::fromStdString((root / "corpus.txt").string()),
                            "--model_prefix=" + QString::fromStdString((root / "nfkc").string()),
                            "--vocab_size=200", "--model_type=bpe", "--normalization_rule_name=nmt_nfkc",
                            "--hard_vocab_limit=false", "--num_threads=1", "--minloglevel=2"});
    QVERIFY(train.waitForFinished(120000) && train.exitCode() == 0);
    const std::string model = read_bytes(root / "nfkc.model");
    const Charsmap rules = Charsmap::parse(charsmap_of(model));
    QVERIFY(rules.units.size() > 1000);  // a real rule set

    const ModelConfig config = read_model_config(test::model_dir("llama"));
    const Tokenizer tok = Tokenizer::open(write_model(root / "good", model), config);
    const std::string text =
        "\xef\xbc\xa8\xef\xbd\x85\xef\xbd\x8c\xef\xbd\x8c\xef\xbd\x8f \xef\xac\x81ne \xe2\x85\xab "
        "caf\xc3\xa9 "
        "\xe2\x91\xa0\xe2\x91\xa1 x\xc2\xa0y";
    QProcess encode;
    encode.start(spm_encode,
                 {"--model=" + QString::fromStdString((root / "nfkc.model").string()), "--output_format=id"});
    encode.write(QByteArray::fromStdString(text + "\n"));
    encode.closeWriteChannel();
    QVERIFY(encode.waitForFinished(60000) && encode.exitCode() == 0);
    std::vector<int64_t> expected;
    for (const auto& id : QString::fromUtf8(encode.readAllStandardOutput()).split(' ', Qt::SkipEmptyParts))
      expected.push_back(id.trimmed().toLongLong());
    QCOMPARE(tok.encode(text), expected);

    int i = 0;
    for (const auto& [what, blob] : damaged(rules)) {
      const fs::path dir = root / std::to_string(i++);
      EXPECT_ERROR(BadInput, Tokenizer::open(write_model(dir, with_charsmap(model, blob)), config),
                   "normalizer rules (precompiled_charsmap) are damaged");
      if (QTest::currentTestFailed()) QFAIL(what.c_str());
    }
  }

  // Read through the input layer: a FIFO or a device would block or never end.
  void unreadableOrDamagedModelFilesAreRefused() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    const ModelConfig config = read_model_config(test::model_dir("llama"));
    fs::create_directories(root / "zero");
    fs::create_symlink("/dev/zero", root / "zero" / "tokenizer.model");
    EXPECT_ERROR(BadInput, Tokenizer::open(root / "zero", config), "is not a regular file");
    fs::create_directories(root / "fifo");
    QCOMPARE(::mkfifo((root / "fifo" / "tokenizer.model").c_str(), 0600), 0);
    EXPECT_ERROR(BadInput, Tokenizer::open(root / "fifo", config), "is not a regular file");
    fs::create_directories(root / "dir" / "tokenizer.model");
    EXPECT_ERROR(BadInput, Tokenizer::open(root / "dir", config), "is a directory");

    const std::string model = read_bytes(test::model_dir("llama") / "tokenizer.model");
    EXPECT_ERROR(BadInput,
                 Tokenizer::open(write_model(root / "cut", model.substr(0, model.size() - 3)), config),
                 "not a sentencepiece model");
    EXPECT_ERROR(
        BadInput,
        Tokenizer::open(write_model(root / "nul", model + len_field(1, len_field(1, std::string("a\0b", 3)))),
                        config),
        "contains a NUL byte");
    EXPECT_ERROR(BadInput,
                 Tokenizer::open(write_model(root / "empty", len_field(3, len_field(1, "identity"))), config),
                 "the vocabulary is empty");
    // sentencepiece's own checks still answer as BadInput.
    EXPECT_ERROR(
        BadInput,
        Tokenizer::open(write_model(root / "dup", model + len_field(1, len_field(1, "<unk>") + "\x18\x02")),
                        config),
        "cannot load");
  }
};

QTEST_GUILESS_MAIN(TokenizerTest)
#include "tst_tokenizer.moc"
