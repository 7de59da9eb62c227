// config.json / generation_config.json reading, families, drop lists, model paths and tokenizer kinds.
#include <QTemporaryDir>
#include <QtTest>

#include "checkpoint/checkpoint.h"
#include "checkpoint/default_model.h"
#include "checkpoint/summary.h"
#include "checkpoint/tokenizer.h"
#include "model/model.h"
#include "support/test_support.h"

using namespace llmdrop;
namespace fs = std::filesystem;

class ConfigTest : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  fs::path dir(const char* name) { return fs::path(tmp_.path().toStdString()) / name; }

 private slots:
  void readsTransformers4And5KeysAlike() {
    // The llama3 fixture carries 4.x keys (rope_theta, rope_scaling, torch_dtype); rewrite them as 5.x.
    const auto v4 = test::read_json(test::model_dir("llama3") / "config.json");
    QVERIFY(v4.contains("rope_scaling") && v4.contains("torch_dtype"));
    auto v5 = v4;
    v5["rope_parameters"] = v4["rope_scaling"];
    v5["rope_parameters"]["rope_theta"] = v4["rope_theta"];
    v5["dtype"] = v4["torch_dtype"];
    for (const char* key : {"rope_scaling", "rope_theta", "torch_dtype"}) v5.erase(key);
    const ModelConfig a = parse_model_config(v4, "v4"), b = parse_model_config(v5, "v5");
    for (const ModelConfig* c : {&a, &b}) {
      QCOMPARE(c->rope.type, std::string("llama3"));
      QCOMPARE(c->rope.theta, 500000.0);
      QCOMPARE(c->rope.factor, 8.0);
      QCOMPARE(c->rope.high_freq_factor, 4.0);
      QCOMPARE(c->rope.original_max_position, int64_t(64));
      QCOMPARE(c->dtype, std::string("float32"));
    }
    QVERIFY(a.tie_word_embeddings);
    QCOMPARE(a.num_kv_heads, int64_t(1));
  }

  void familiesReadTheirOwnHyperParameters() {
    const auto mistral = read_model_config(test::model_dir("mistral"));
    QCOMPARE(mistral.sliding_window, std::vector<int64_t>(4, 8));
    const auto qwen2 = read_model_config(test::model_dir("qwen2"));
    QVERIFY(qwen2.qkv_bias && !qwen2.o_bias);
    QCOMPARE(qwen2.sliding_window, std::vector<int64_t>(4, 0));
    const auto llama = read_model_config(test::model_dir("llama"));
    QVERIFY(!llama.qkv_bias && !llama.tie_word_embeddings);
    QCOMPARE(llama.bos_token_id.value_or(-1), int64_t(1));
    QCOMPARE(llama.eos_token_ids, std::vector<int64_t>{2});
  }

  void badConfigsAreExplained_data() {
    QTest::addColumn<QString>("edit");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("unknown model_type") << "model_type=\"gpt2\""
                                        << "unsupported model_type 'gpt2'";
    QTest::newRow("missing field") << "-hidden_size"
                                   << "field 'hidden_size' is missing";
    QTest::newRow("wrong type") << "num_hidden_layers=\"six\""
                                << "field 'num_hidden_layers' must be an integer";
    QTest::newRow("drop index out of range") << "drop_attn_list=[1,6]"
                                             << "layer index 6 is out of range";
    QTest::newRow("booleans of the wrong length") << "drop_mlp_list=[true,false]"
                                                  << "expected one per layer";
    QTest::newRow("unsupported rope") << "rope_parameters={\"rope_type\":\"yarn\",\"rope_theta\":10000}"
                                      << "rope type 'yarn' is not supported";
  }
  void badConfigsAreExplained() {
    QFETCH(QString, edit);
    QFETCH(QString, fragment);
    auto config = test::read_json(test::model_dir("llama") / "config.json");
    const std::string e = edit.toStdString();
    if (e[0] == '-')
      config.erase(e.substr(1));
    else
      config[e.substr(0, e.find('='))] = nlohmann::json::parse(e.substr(e.find('=') + 1));
    EXPECT_ERROR(BadInput, parse_model_config(config, "config.json"), fragment.toStdString());
  }

  void qwen2SlidingWindowFieldsAreChecked() {
    auto config = test::read_json(test::model_dir("qwen2") / "config.json");
    config["use_sliding_window"] = true;
    config["sliding_window"] = 16;
    config.erase("layer_types");
    config["max_window_layers"] = 2;
    QCOMPARE(parse_model_config(config, "c").sliding_window, (std::vector<int64_t>{0, 0, 16, 16}));
    config["max_window_layers"] = 99;  // past the last layer: no window anywhere
    QCOMPARE(parse_model_config(config, "c").sliding_window, std::vector<int64_t>(4, 0));
    config["max_window_layers"] = -2;
    EXPECT_ERROR(BadInput, parse_model_config(config, "c"),
                 "field 'max_window_layers' must be at least 0, not -2");
    config["max_window_layers"] = "two";
    EXPECT_ERROR(BadInput, parse_model_config(config, "c"),
                 "field 'max_window_layers' must be an integer, not a string \"two\"");
  }

  void nonJsonConfigIsRejected() {
    const fs::path d = dir("nonjson");
    test::copy_model("llama", d);
    test::write_file(d / "config.json", "{\"model_type\": \"llama\", oops");
    EXPECT_ERROR(BadInput, Checkpoint::open(d), "config.json: not valid JSON");
  }

  void dropListsAsIndicesOrBooleansAgree() {
    auto config = test::read_json(test::model_dir("llama") / "config.json");
    config["drop_attn_list"] = {1, 4};
    config["drop_mlp_list"] = {false, false, true, false, false, false};
    const ModelConfig c = parse_model_config(config, "config.json");
    QCOMPARE(c.drops.attn, (std::set<int64_t>{1, 4}));
    QCOMPARE(c.drops.mlp, (std::set<int64_t>{2}));
  }

  void shapeThatDoesNotMatchConfigIsRejected() {
    const fs::path d = dir("shape");
    test::copy_model("llama", d);
    auto config = test::read_json(d / "config.json");
    config["intermediate_size"] = 96;
    test::write_json(d / "config.json", config);
    EXPECT_ERROR(
        BadInput, Model::load(Checkpoint::open(d), {}),
        "tensor model.layers.0.mlp.gate_proj.weight has shape [128, 64], but config.json implies [96, 64]");
  }

  void resolvesHuggingFaceCacheEntries() {
    const fs::path entry = dir("hub") / "models--org--tiny";
    fs::create_directories(entry / "snapshots");
    test::copy_model("llama", entry / "snapshots" / "aaa111");
    test::copy_model("llama", entry / "snapshots" / "bbb222");
    fs::create_directories(entry / "refs");
    test::write_file(entry / "refs" / "main", "aaa111\n");
    QCOMPARE(resolve_model_dir(entry), entry / "snapshots" / "aaa111");
    fs::remove(entry / "refs" / "main");  // no ref: the newest snapshot
    fs::last_write_time(entry / "snapshots" / "bbb222",
                        fs::file_time_type::clock::now() + std::chrono::hours(1));
    QCOMPARE(resolve_model_dir(entry), entry / "snapshots" / "bbb222");
    EXPECT_ERROR(BadInput, resolve_model_dir(dir("nowhere")), "does not exist");
  }

  void demoModelIsFoundAndCanBeOverridden() {
    const auto demo = find_demo_model(dir("no-such-bin"));
    QVERIFY(demo && fs::exists(*demo / "config.json"));
    QCOMPARE(read_model_config(*demo).num_layers, int64_t(12));
    qputenv("LLMDROP_DEMO_MODEL", QByteArray::fromStdString(test::model_dir("qwen2").string()));
    QCOMPARE(find_demo_model(dir("no-such-bin")).value(), fs::weakly_canonical(test::model_dir("qwen2")));
    qunsetenv("LLMDROP_DEMO_MODEL");
  }

  // A folder's tokenizer.json is its tokenizer, with or without a tokenizer.model beside it (AutoTokenizer
  // prefers the fast tokenizer): BOS as the post-processor adds it (Llama 3's template; none for Qwen2), and
  // a broken file is refused naming it and the field.
  void tokenizerJsonIsTheFoldersTokenizer() {
    const auto reference = [](const char* name) {
      return test::read_json(test::data_dir() / "tokenizer_json" / name / "reference.json")["cases"];
    };
    const auto texts = test::read_json(test::data_dir() / "tokenizer_json" / "texts.json");
    QCOMPARE(texts[3].get<std::string>(), std::string("Hello world"));
    for (const char* name : {"llama3", "qwen2"}) {
      const fs::path d = dir((std::string("json-") + name).c_str());
      test::copy_model("qwen2", d);
      if (std::string(name) == "qwen2") fs::remove(d / "tokenizer.model");  // llama3's folder keeps both
      for (const char* file : {"tokenizer.json", "tokenizer_config.json"})
        fs::copy_file(test::data_dir() / "tokenizer_json" / name / file, d / file);
      const Tokenizer tok = Tokenizer::open(d, Checkpoint::open(d).config);
      QCOMPARE(tok.kind(), std::string("BPE tokenizer.json"));
      QCOMPARE(tok.encode("Hello world"), reference(name)[3]["ids"].get<std::vector<int64_t>>());
      QCOMPARE(tok.decode(tok.encode("Hello world")), std::string("Hello world"));
      QCOMPARE(tok.bos_id(), std::string(name) == "llama3" ? std::optional<int64_t>(1756) : std::nullopt);
    }
    // tokenizer_config.json's add_bos_token: false drops the template's BOS; a value of another type is
    // refused.
    const fs::path llama3 = dir("json-llama3");
    test::write_file(llama3 / "tokenizer_config.json", R"({"add_bos_token": false})");
    QCOMPARE(Tokenizer::open(llama3, Checkpoint::open(llama3).config).bos_id(), std::nullopt);
    test::write_file(llama3 / "tokenizer_config.json", R"({"add_bos_token": "yes"})");
    EXPECT_ERROR(BadInput, Tokenizer::open(llama3, Checkpoint::open(llama3).config),
                 "tokenizer_config.json: add_bos_token must be true or false");
    const fs::path d = dir("json-broken");
    test::copy_model("qwen2", d);
    fs::remove(d / "tokenizer.model");
    test::write_file(d / "tokenizer.json", R"({"model": {"type": "BPE"}})");
    EXPECT_ERROR(BadInput, Tokenizer::open(d, Checkpoint::open(d).config),
                 (d / "tokenizer.json").string() + ": model: missing field 'vocab'");
  }

  void summaryCountsParametersAndKvBytes() {
    const Checkpoint ckpt = Checkpoint::open(test::model_dir("llama"));
    // Hand count: embed + lm_head 2·384·64; per layer q,o 64·64, k,v 32·64, gate/up/down 128·64, 2 norms 64;
    // final norm.
    const int64_t per_layer = 2 * 64 * 64 + 2 * 32 * 64 + 3 * 128 * 64 + 2 * 64;
    const int64_t total = 2 * 384 * 64 + 6 * per_layer + 64;
    const ModelSummary full = summarize(ckpt, {}, "float32");
    QCOMPARE(full.parameters, total);
    QCOMPARE(full.kv_bytes_per_token,
             int64_t(2 * 6 * 2 * 16 * 4));  // K,V · layers · kv heads · head dim · fp32
    const ModelSummary dropped = summarize(ckpt, DropPlan{{0, 3}, {5}}, "bfloat16");
    // A dropped module's norm goes with it: input_layernorm of layers 0 and 3, post_attention_layernorm of 5.
    QCOMPARE(dropped.active_parameters, total - 2 * (2 * 64 * 64 + 2 * 32 * 64 + 64) - (3 * 128 * 64 + 64));
    QCOMPARE(dropped.kv_bytes_per_token, int64_t(2 * 4 * 2 * 16 * 2));
  }
};

QTEST_GUILESS_MAIN(ConfigTest)
#include "tst_config.moc"
