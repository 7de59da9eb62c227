// safetensors reading: hand-made files with known bytes, and every malformed-file case a user can meet; an
// export writing tensors that are made as they are written.
#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QtTest>
#include <cstring>

#include "checkpoint/checkpoint.h"
#include "checkpoint/safetensors.h"
#include "export/tensor_export.h"
#include "model/model.h"
#include "support/test_support.h"

using namespace llmdrop;
namespace fs = std::filesystem;

namespace {
// header length (u64 little-endian) + header + data
std::string safetensors_bytes(const std::string& header, const std::string& data) {
  uint64_t n = header.size();
  std::string out(8, '\0');
  std::memcpy(out.data(), &n, 8);
  return out + header + data;
}

std::string floats(std::initializer_list<float> values) {
  std::string out(values.size() * 4, '\0');
  std::memcpy(out.data(), std::data(values), out.size());
  return out;
}
}  // namespace

class SafetensorsTest : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  fs::path file(const char* name) { return fs::path(tmp_.path().toStdString()) / name; }

 private slots:
  void readsHandMadeFile() {
    // F32 (2,3) = 0..5 and BF16 (2) = {1.0, -2.0} (bit patterns 0x3F80, 0xC000).
    const std::string header =
        R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
        R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[24,28]},"__metadata__":{"format":"pt"}})";
    std::string data = floats({0, 1, 2, 3, 4, 5}) + std::string("\x80\x3F\x00\xC0", 4);
    test::write_file(file("ok.safetensors"), safetensors_bytes(header, data));
    auto st = SafetensorsFile::open(file("ok.safetensors"));
    QCOMPARE(st->tensors().size(), size_t(2));
    at::Tensor a = st->view("a");
    QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{2, 3}));
    QVERIFY(at::equal(a, at::arange(6, at::kFloat).view({2, 3})));
    at::Tensor b = st->view("b").to(at::kFloat);
    QCOMPARE(b[0].item<float>(), 1.0f);
    QCOMPARE(b[1].item<float>(), -2.0f);
  }

  void rejectsMalformedFiles_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("fragment");
    auto row = [](const char* name, const std::string& bytes, const char* fragment) {
      QTest::newRow(name) << QByteArray(bytes.data(), int(bytes.size())) << QString(fragment);
    };
    const std::string data = floats({1, 2});
    row("too short for a header length", "abc", "truncated");
    std::string huge_length(8, '\0');
    huge_length[1] = 4;  // 1024 bytes of header announced, 2 present
    row("header length larger than the file", huge_length + "{}", "exceeds the file size");
    row("header not JSON", safetensors_bytes("{nope", data), "not valid JSON");
    row("unknown dtype", safetensors_bytes(R"({"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}})", data),
        "unknown dtype string 'F33'");
    row("unsupported dtype",
        safetensors_bytes(R"({"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})", data),
        "I64 is not supported");
    row("offsets past the end",
        safetensors_bytes(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", data),
        "run past the end");
    row("overlapping tensors",
        safetensors_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                          R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                          data),
        "overlap");
    row("shape does not fit bytes",
        safetensors_bytes(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", data),
        "do not hold its shape");
    row("shape overflows",
        safetensors_bytes(R"({"a":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[8,8]}})",
                          data),
        "shape is too large");
    row("missing fields", safetensors_bytes(R"({"a":{"dtype":"F32"}})", data),
        "needs dtype, shape and data_offsets");
  }
  void rejectsMalformedFiles() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, fragment);
    test::write_file(file("bad.safetensors"), bytes.toStdString());
    EXPECT_ERROR(BadInput, SafetensorsFile::open(file("bad.safetensors")), fragment.toStdString());
  }

  void truncatedCheckpointIsRejected() {
    const fs::path dir = file("truncated");
    test::copy_model("llama", dir);
    fs::resize_file(dir / "model.safetensors", fs::file_size(dir / "model.safetensors") / 2);
    EXPECT_ERROR(BadInput, Checkpoint::open(dir), "run past the end");
  }

  void shardedCheckpointListsEveryTensor() {
    auto store = TensorStore::open(test::model_dir("llama3"));
    const auto index = test::read_json(test::model_dir("llama3") / "model.safetensors.index.json");
    QCOMPARE(store->names().size(), index["weight_map"].size());
    QVERIFY(store->contains("model.layers.3.mlp.down_proj.weight"));
  }

  void missingTensorIsNamed() {
    const fs::path dir = file("missing");
    test::copy_model("llama3", dir);
    auto index = test::read_json(dir / "model.safetensors.index.json");
    index["weight_map"].erase("model.layers.2.self_attn.k_proj.weight");
    test::write_json(dir / "model.safetensors.index.json", index);
    const Checkpoint ckpt = Checkpoint::open(dir);
    EXPECT_ERROR(BadInput, Model::load(ckpt, {}),
                 "tensor 'model.layers.2.self_attn.k_proj.weight' is missing");
    // With that attention dropped the tensor is not needed.
    LoadOptions options;
    options.drops = DropPlan{{2}, {}};
    QVERIFY(Model::load(ckpt, options) != nullptr);
  }

  void indexPointingOutsideTheModelIsRejected() {
    const fs::path dir = file("escape");
    test::copy_model("llama3", dir);
    auto index = test::read_json(dir / "model.safetensors.index.json");
    index["weight_map"]["model.norm.weight"] = "../model-00001-of-00008.safetensors";
    test::write_json(dir / "model.safetensors.index.json", index);
    EXPECT_ERROR(BadInput, Checkpoint::open(dir), "leaves the model directory");
  }

  // An export's replaced tensors (dequantized or merged weights) are made one at a time as the file is
  // written, each once, and what is read back is what was made.
  void exportMakesReplacedTensorsOneAtATime() {
    const Checkpoint source = Checkpoint::open(test::model_dir("llama"));
    TensorOverrides overrides;
    int made = 0, alive = 0, most_alive = 0;
    std::vector<std::string> replaced;
    for (const auto& name : source.tensors->names()) {
      if (name.find("_proj.weight") == std::string::npos) continue;
      replaced.push_back(name);
      const at::Tensor stored = source.tensors->view(name);
      overrides.added[name] = {stored.sizes().vec(), stored.scalar_type(), [&, stored] {
                                 ++made;
                                 most_alive = std::max(most_alive, ++alive);
                                 at::Tensor doubled = stored * 2;
                                 // A view whose release counts down (it holds `doubled` until then).
                                 return at::from_blob(
                                     doubled.data_ptr(), doubled.sizes(),
                                     [doubled, &alive](void*) mutable {
                                       --alive;
                                       doubled.reset();
                                     },
                                     doubled.options());
                               }};
    }
    QCOMPARE(replaced.size(), size_t(6 * 7));
    const fs::path out = file("doubled");
    export_pruned(source, {}, out, {}, JobContext::silent(), overrides);
    QCOMPARE(made, int(replaced.size()));
    QCOMPARE(most_alive, 1);
    QCOMPARE(alive, 0);
    const auto written = TensorStore::open(out);
    for (const auto& name : replaced)
      QVERIFY2(at::equal(written->view(name), source.tensors->view(name) * 2), name.c_str());
    QVERIFY(at::equal(written->view("model.norm.weight"), source.tensors->view("model.norm.weight")));
  }
};

QTEST_GUILESS_MAIN(SafetensorsTest)
#include "tst_safetensors.moc"
