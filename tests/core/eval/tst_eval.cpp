// lm-eval-style evaluation against transformers (tools/eval_reference.py, run by tools/gpu/eval.sh →
// tests/data/reference/eval/*.json): per-document log-likelihoods, predictions and metrics on the project's
// own evaluation set (tests/data/eval, both record layouts) and, when ../shared/data is present, on the first
// 200 documents of each task there. Plus hand-computed text operations, task-file errors, packing and resume.
#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>

#include "checkpoint/checkpoint.h"
#include "checkpoint/tokenizer.h"
#include "eval/dataset.h"
#include "eval/doc_template.h"
#include "eval/evaluator.h"
#include "eval/loglikelihood.h"
#include "eval/perplexity.h"
#include "eval/task.h"
#include "eval/text_ops.h"
#include "model/model.h"
#include "support/test_support.h"
#include "util/regex.h"

using namespace llmdrop;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kAllTasks = {"arc_easy", "arc_challenge", "hellaswag",      "piqa",
                                            "boolq",    "winogrande",    "openbookqa",     "rte",
                                            "mmlu",     "gsm8k",         "lambada_openai", "wikitext"};

struct Loaded {
  std::unique_ptr<Model> model;
  std::unique_ptr<Tokenizer> tokenizer;
};

Loaded load(const fs::path& dir) {
  const Checkpoint ckpt = Checkpoint::open(dir);
  LoadOptions options;
  options.device = test::test_device();
  options.dtype = "float32";
  Loaded l;
  l.tokenizer = std::make_unique<Tokenizer>(Tokenizer::open(ckpt.dir, ckpt.config));
  l.model = Model::load(ckpt, options);
  return l;
}

fs::path shared_eval_dir() {
  if (const char* env = std::getenv("LLMDROP_SHARED_DATA"); env && *env) return env;
  return test::data_dir() / ".." / ".." / ".." / "shared" / "data";
}

// The documents of a result, in the reference's order (MMLU: subject by subject).
std::vector<nlohmann::json> records_of(const TaskResult& t) {
  if (t.subtasks.empty()) return t.records;
  std::vector<nlohmann::json> all;
  for (const auto& s : t.subtasks) all.insert(all.end(), s.records.begin(), s.records.end());
  return all;
}

double metric(const TaskResult& t, const std::string& reference_name) {
  static const std::map<std::string, std::string> keys = {
      {"exact_match_strict", "exact_match,strict-match"},
      {"exact_match_flexible", "exact_match,flexible-extract"}};
  const auto it = keys.find(reference_name);
  const std::string key = it != keys.end() ? it->second : reference_name + ",none";
  if (!t.metrics.count(key)) return NAN;
  return t.metrics.at(key);
}

// Compares one task's documents and metrics with the transformers reference: predictions agree on ≥ 99.5% of
// documents, log-likelihoods within `tolerance`, each rate metric within 0.5 points, perplexities within
// 0.1%.
void compare_task(const TaskResult& ours, const nlohmann::json& ref, double tolerance,
                  const std::string& what) {
  const auto records = records_of(ours);
  const auto& docs = ref["docs"];
  // Fewer documents than the reference: compare those (its metrics cover them all).
  const size_t n = std::min(records.size(), docs.size());
  QVERIFY2(n > 0 && records.size() <= docs.size(), (what + ": document count").c_str());
  size_t agree = 0;
  double worst = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto &r = docs[i], &o = records[i];
    bool same = true;
    if (r.contains("lls")) {
      const auto ref_lls = r["lls"].get<std::vector<double>>();
      const auto our_lls = o["lls"].get<std::vector<double>>();
      QCOMPARE(our_lls.size(), ref_lls.size());
      for (size_t c = 0; c < ref_lls.size(); ++c) worst = std::max(worst, std::abs(our_lls[c] - ref_lls[c]));
      same = o["pred"] == r["pred"] && o["gold"] == r["gold"] &&
             (r["pred_norm"].is_null() || o["pred_norm"] == r["pred_norm"]);
    } else if (r.contains("response")) {
      same =
          o["filtered"]["strict-match"] == r["strict"] && o["filtered"]["flexible-extract"] == r["flexible"];
    } else {
      // Rolling sums grow with the text; compare relative to its token count.
      const double scale = r.contains("tokens") ? std::max(1.0, r["tokens"].get<double>() / 100.0) : 1.0;
      worst = std::max(worst, std::abs(o["ll"].get<double>() - r["ll"].get<double>()) / scale);
      if (r.contains("is_greedy")) same = o["is_greedy"] == r["is_greedy"];
      if (r.contains("words")) same = same && o["words"] == r["words"] && o["bytes"] == r["bytes"];
    }
    agree += same ? 1 : 0;
  }
  std::string summary = what + ": " + std::to_string(agree) + "/" + std::to_string(n) +
                        " documents agree, max |Δ ll| " + std::to_string(worst);
  if (n == docs.size())
    for (const auto& [name, value] : ref["metrics"].items())
      if (!value.is_null() && name.find("stderr") == std::string::npos)
        summary += ", " + name + " " + std::to_string(metric(ours, name)) + " vs " +
                   std::to_string(value.get<double>());
  qInfo("%s", summary.c_str());
  QVERIFY2(double(agree) >= 0.995 * double(n),
           (what + ": predictions agree on " + std::to_string(agree) + "/" + std::to_string(n)).c_str());
  QVERIFY2(worst <= tolerance, (what + ": max |Δ ll| " + std::to_string(worst)).c_str());
  if (n < docs.size()) return;
  for (const auto& [name, value] : ref["metrics"].items()) {
    if (value.is_null() || name.find("stderr") != std::string::npos) continue;
    const double ours_value = metric(ours, name), theirs = value.get<double>();
    const bool rate = name.find("perplexity") == std::string::npos;
    const double allowed = rate ? 0.005 : 1e-3 * std::abs(theirs);
    QVERIFY2(std::abs(ours_value - theirs) <= allowed,
             (what + " " + name + ": ours " + std::to_string(ours_value) + ", transformers " +
              std::to_string(theirs))
                 .c_str());
  }
}

// The --limit the reference used: its document count, per subject for a task with subtasks.
int64_t fixture_limit(const nlohmann::json& ref) {
  const auto& docs = ref["docs"];
  if (docs.empty() || !docs[0].contains("subtask")) return static_cast<int64_t>(docs.size());
  int64_t first = 0;
  while (first < static_cast<int64_t>(docs.size()) && docs[first]["subtask"] == docs[0]["subtask"]) ++first;
  return first;
}

// Evaluates every task of a reference file (as many documents as it has, unless `limits` says fewer) and
// compares.
void compare_with_reference(const fs::path& model_dir, const fs::path& reference_file,
                            const std::vector<fs::path>& data_dirs,
                            const std::map<std::string, int64_t>& limits,
                            const std::map<std::string, int64_t>& max_gen_toks = {},
                            const std::string& only_task = {}) {
  const nlohmann::json reference = test::read_json(reference_file);
  const Loaded l = load(model_dir);
  for (const auto& [task, ref] : reference["tasks"].items()) {
    if (!only_task.empty() && task != only_task) continue;
    EvalOptions options;
    options.tasks = {task};
    options.data.data_dirs = data_dirs;
    options.batch_size = 4;
    options.limit = limits.count(task) ? limits.at(task) : fixture_limit(ref);
    if (max_gen_toks.count(task)) options.max_gen_toks = max_gen_toks.at(task);
    EvalResults results;
    try {
      results = evaluate(*l.model, *l.tokenizer, options);
    } catch (const Error& e) {  // data that is there but wrong fails this row, not the whole suite
      QFAIL((task + ": " + e.what()).c_str());
    }
    QCOMPARE(results.tasks.size(), size_t(1));
    compare_task(results.tasks[0], ref, 2e-3, reference_file.filename().string() + " " + task);
    if (QTest::currentTestFailed()) return;
  }
}

// Whether any of `dirs` holds one of the task's data folders. A task whose folder is absent is not part of
// this copy of the data; one whose folder is there must evaluate.
bool has_data_folder(const std::string& task, const std::vector<fs::path>& dirs) {
  for (const auto& dir : dirs)
    for (const auto& folder : find_task(task).folders)
      if (fs::exists(dir / folder)) return true;
  return false;
}

// The lines of a samples log (its header, then one record per document); a line that is not JSON is
// discarded.
std::vector<nlohmann::json> log_lines(const fs::path& log) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);)
    lines.push_back(nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false));
  return lines;
}

nlohmann::json minimal_task() {
  return nlohmann::json::parse(R"({
    "task": "mini", "output_type": "multiple_choice", "folders": ["mini"], "test_split": "test",
    "splits": {"test": ["test.jsonl"]}, "metrics": ["acc"],
    "layouts": [{"name": "qa", "fields": ["q", "options", "answer"], "doc_to_text": "Q: {{q}}\nA:",
                 "doc_to_choice": "{{options}}", "doc_to_target": "{{answer}}"}]})");
}

fs::path builtin_task_file(const std::string& name) {
  return test::data_dir() / ".." / ".." / "resources" / "tasks" / (name + ".json");
}

// Python's re.sub(r"\[.*?\]", "", s) done with plain string operations: a "[" pairs with the next "]" unless
// a line break comes first ("." does not match "\n").
std::string remove_bracketed(const std::string& s) {
  std::string out;
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t open = s.find('[', pos);
    if (open == std::string::npos) break;
    const size_t close = s.find(']', open + 1), newline = s.find('\n', open + 1);
    if (close == std::string::npos || newline < close) {
      out.append(s, pos, open + 1 - pos);
      pos = open + 1;
      continue;
    }
    out.append(s, pos, open - pos);
    pos = close + 1;
  }
  return out.append(s, pos, std::string::npos);
}

}  // namespace

class EvalTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    // Only the built-in tasks: a user's ~/.config/llmdrop/tasks must not change what the tests see.
    qputenv("HOME", home_.path().toUtf8());
    qunsetenv("LLMDROP_TASKS_DIR");
  }

  void textOperationsFollowPython() {
    QCOMPARE(text::strip("\xc2\xa0 a b \t\n"), std::string("a b"));  // NBSP is whitespace to Python
    QCOMPARE(text::capitalize("hELLO wORLD"), std::string("Hello world"));
    QCOMPARE(text::whitespace_split_count(" a  b "),
             int64_t(4));  // re.split(r"\s+", " a  b ") = ['', 'a', 'b', '']
    QCOMPARE(text::whitespace_split_count("one"), int64_t(1));
    QCOMPARE(text::code_points("d\xc3\xa9j\xc3\xa0 \xe2\x80\x94"), int64_t(6));  // "déjà —"
    // re.sub(r"\(\s*([^\)]*?)\s*\)", r"(\1)", s) keeps the inner "(" and pairs with the first ")".
    QCOMPARE(text::trim_inside_pairs("f ( a ( b ) c ) ( d", '(', ')'), std::string("f (a ( b) c ) ( d"));
    QCOMPARE(text::trim_inside_pairs("say \" hi \" and \" bye", '"', '"'),
             std::string("say \"hi\" and \" bye"));
    const auto filter = text::Step::parse_filter("replace:_: ", "test");
    QCOMPARE(filter.apply("high_school_physics"), std::string("high school physics"));
    QCOMPARE(text::Step::parse_filter("before_last: ", "t").apply("a b c"), std::string("a b"));
    QCOMPARE(text::Step::parse_filter("remove_prefix:Passage: ", "t").apply("Passage: x"), std::string("x"));
  }

  void templatesRenderDocuments() {
    const nlohmann::json doc = {{"question", " Why? "},
                                {"choices", {{"text", {"a", "b"}}, {"label", {"A", "B"}}}},
                                {"answerKey", "B"},
                                {"flag", true}};
    Pipelines none;
    QCOMPARE(DocTemplate::parse("Q: {{question|strip}}\nA:", "t", none).render(doc),
             std::string("Q: Why?\nA:"));
    QCOMPARE(DocTemplate::parse("{{choices.text}}", "t", none).render_list(doc),
             (std::vector<std::string>{"a", "b"}));
    QCOMPARE(DocTemplate::parse("{{choices.text[1]|upper}}", "t", none).render(doc), std::string("B"));
    IndexSpec index{{},
                    DocTemplate::parse("{{answerKey}}", "t", none),
                    {DocTemplate::parse("{{choices.label}}", "t", none), {}}};
    QCOMPARE(index.render(doc), int64_t(1));
    const IndexSpec flag{DocTemplate::parse("{{flag}}", "t", none), {}, {}};
    QCOMPARE(flag.render(doc), int64_t(1));
    EXPECT_ERROR(BadInput,
                 DocTemplate::parse("{{missing.field}}", "layouts[0].doc_to_text", none).render(doc),
                 "layouts[0].doc_to_text: the document has no field 'missing'");
    EXPECT_ERROR(BadInput, DocTemplate::parse("{{question|shout}}", "t", none), "unknown filter 'shout'");
    EXPECT_ERROR(BadInput, DocTemplate::parse("{{question", "t", none), "without a closing");
  }

  void taskFileErrorsNameTheField() {
    const fs::path file = "mini.json";
    QCOMPARE(parse_task(minimal_task(), file).name, std::string("mini"));
    auto broken = [&](const std::function<void(nlohmann::json&)>& edit) {
      nlohmann::json spec = minimal_task();
      edit(spec);
      return spec;
    };
    EXPECT_ERROR(BadInput, parse_task(broken([](auto& s) { s.erase("layouts"); }), file),
                 "task file mini.json: field 'layouts' is missing");
    EXPECT_ERROR(BadInput, parse_task(broken([](auto& s) { s["layouts"][0].erase("doc_to_choice"); }), file),
                 "layouts[0]: field 'doc_to_choice' is missing");
    EXPECT_ERROR(BadInput,
                 parse_task(broken([](auto& s) {
                              s["metrics"] = {"acc", "bleu"};
                            }),
                            file),
                 "field 'metrics' lists 'bleu'");
    EXPECT_ERROR(BadInput, parse_task(broken([](auto& s) { s["output_type"] = "ranking"; }), file),
                 "field 'output_type' must be");
    EXPECT_ERROR(
        BadInput,
        parse_task(broken([](auto& s) {
                     s["preprocess"] = {{"p", {{{"op", "regex_replace"}, {"pattern", "("}, {"to", ""}}}}};
                   }),
                   file),
        "preprocess.p[0]: invalid regular expression");
    EXPECT_ERROR(BadInput,
                 parse_task(broken([](auto& s) {
                              s["preprocess"] = {{"p", {{{"op", "shout"}}}}};
                            }),
                            file),
                 "unknown op 'shout'");
    EXPECT_ERROR(BadInput,
                 parse_task(broken([](auto& s) {
                              s["fewshot"] = {{"split", "train"}};
                            }),
                            file),
                 "names a split that 'splits' does not define");
    EXPECT_ERROR(BadInput, find_task("no_such_task"),
                 "unknown task 'no_such_task' (available: arc_challenge");
  }

  void regexReplaceFollowsPythonSub() {
    const Regex pair = Regex::compile(R"((\w+)@(\w+)(!)?)", "t");
    QCOMPARE(pair.group_count(), 3);
    // re.sub(r"(\w+)@(\w+)(!)?", r"\2.\1\3", "ann@host bob@web!") == "host.ann web.bob!"
    QCOMPARE(pair.replace_all("ann@host bob@web!", R"(\2.\1\3)"), std::string("host.ann web.bob!"));
    QCOMPARE(pair.replace_all("ann@host", R"(<\g<2>|\g<0>>)"), std::string("<host|ann@host>"));
    QCOMPARE(Regex::compile(R"((?P<user>\w+)@\w+)", "t").replace_all("ann@host", R"(\g<user>)"),
             std::string("ann"));
    QCOMPARE(Regex::compile(R"(\d)", "t").replace_all("a1b", R"(\n\t\\.\101)"), std::string("a\n\t\\.Ab"));
    // Empty matches: Python 3.7+ also replaces the one right after a non-empty match.
    QCOMPARE(Regex::compile("x*", "t").replace_all("abxd", "-"), std::string("-a-b--d-"));
    // Unicode classes (re is Unicode by default), "." stops at "\n" only, "$" also before a final "\n".
    QCOMPARE(Regex::compile(R"(\w+)", "t").replace_all("d\xc3\xa9j\xc3\xa0 vu", "W"), std::string("W W"));
    QCOMPARE(Regex::compile(R"(\[.*?\])", "t").replace_all("a[b\r]c[d\ne]", ""), std::string("ac[d\ne]"));
    QCOMPARE(Regex::compile(R"(\.$)", "t").replace_all("72.\n", ""), std::string("72\n"));
    // Invalid UTF-8 is matched as U+FFFD.
    QCOMPARE(Regex::compile(".", "t").replace_all("a\xff", "<\\g<0>>"), std::string("<a><\xef\xbf\xbd>"));
    const auto all = Regex::compile(R"((a)|(b))", "t").find_all("ab");
    QCOMPARE(all.size(), size_t(2));
    QCOMPARE(all[0].groups[1].value_or("-"), std::string("a"));
    QVERIFY(!all[0].groups[2]);
    QCOMPARE(all[1].groups[2].value_or("-"), std::string("b"));
    EXPECT_ERROR(BadInput, pair.parse_replacement(R"(\4)"),
                 "t: in the replacement '\\4': invalid group reference 4");
    EXPECT_ERROR(BadInput, pair.parse_replacement(R"(\g<who>)"), "unknown group name 'who'");
    EXPECT_ERROR(BadInput, pair.parse_replacement(R"(\q)"), "bad escape \\q");
    EXPECT_ERROR(BadInput, Regex::compile("(a", "where"),
                 "where: invalid regular expression '(a': missing closing");
    // Catastrophic backtracking ends with an error instead of running for ages.
    EXPECT_ERROR(BadInput, Regex::compile("(a+)+b", "where").search(std::string(40, 'a') + "c b"),
                 "where: the regular expression '(a+)+b' backtracks too much");
  }

  // std::regex recursed once per character here and overflowed the stack.
  void hellaswagPreprocessingOnALongQuery() {
    std::string query = "  Making tea [title] Boiling water.";
    for (int i = 0; query.size() < 50000; ++i) {
      query += " Step " + std::to_string(i) + " [note " + std::string(i % 7 == 0 ? 2000 : 40, 'x') + "] done";
      if (i % 11 == 0) query += " [open\nline]";  // no match across the line break
      if (i % 13 == 0) query += " [ [nested] ]";
    }
    query += " [" + std::string(50000, 'y') + "] [end  ";
    const nlohmann::json doc = {{"query", query}, {"choices", {"a [x] b", "c"}}, {"gold", 0}};
    const TaskSpec task = find_task("hellaswag");
    const Layout& layout = task.layout_for(doc, "test");
    const auto expected = [](const std::string& s) {
      return text::replace_all(remove_bracketed(text::replace_all(text::strip(s), " [title]", ". ")), "  ",
                               " ");
    };
    QVERIFY(query.size() > 100000);
    QCOMPARE(layout.doc_to_text.render(doc), expected(query));
    QVERIFY(expected(query).find("yyy") == std::string::npos);
    QCOMPARE(layout.doc_to_choice.render(doc), (std::vector<std::string>{"a b", "c"}));
  }

  // gsm8k's filters and exact-match patterns ([\s\S]*#### ) on a 100,000-character model answer.
  void gsm8kFiltersOnALongAnswer() {
    std::string answer;
    for (int i = 0; answer.size() < 100000; ++i) {
      answer +=
          "Step " + std::to_string(i) + ": $" + std::to_string(i * 7) + " + 3 = " + std::to_string(i * 7 + 3);
      answer += i % 500 == 1 ? " #### " + std::to_string(i) + ",000\n" : ".\n";
      if (i % 1000 == 0) answer += std::string(20000, 'w') + "\n";
    }
    answer += "So the total is $1,234.\n#### 5,678.";
    const TaskSpec task = find_task("gsm8k");
    QCOMPARE(task.filters.size(), size_t(2));
    // strict-match, group_select 0: the number after the first "#### ".
    const size_t first = answer.find("#### ") + 5;
    const std::string strict = answer.substr(first, answer.find_first_not_of("-0123456789.,", first) - first);
    QCOMPARE(strict, std::string("1,000"));
    QCOMPARE(task.filters[0].apply(answer), strict);
    // flexible-extract, group_select -1: the last run of [$0-9.,] of two or more characters.
    const size_t last = answer.find_last_not_of("$0123456789.,") + 1;
    QCOMPARE(task.filters[1].apply(answer), answer.substr(last));
    QCOMPARE(answer.substr(last), std::string("5,678."));
    // exact_match drops ",", "$", everything up to the last "#### " and a final ".": "5678".
    std::string tail = answer.substr(answer.rfind("#### ") + 5);
    tail = text::replace_all(text::replace_all(tail, ",", ""), "$", "");
    if (!tail.empty() && tail.back() == '.') tail.pop_back();
    QCOMPARE(tail, std::string("5678"));
    QVERIFY(task.exact_match.matches(answer, "Natalia sold 48/2 = 24 clips.\n#### 5,678"));
    QVERIFY(task.exact_match.matches(answer, tail));
    QVERIFY(!task.exact_match.matches(answer, "5679"));
  }

  void invalidRegexInATaskFileNamesTheField() {
    const fs::path gsm8k = builtin_task_file("gsm8k"), hellaswag = builtin_task_file("hellaswag");
    const std::string gsm8k_file = "task file " + gsm8k.string();
    nlohmann::json spec = test::read_json(gsm8k);
    spec["filters"][1]["regex"] = "(-?[$0-9.,]{2,}|(-?[0-9]+)";
    EXPECT_ERROR(BadInput, parse_task(spec, gsm8k),
                 gsm8k_file + ": filters[1]: regex: invalid regular expression '(-?[$0-9.,]{2,}|(-?[0-9]+)'");
    spec = test::read_json(gsm8k);
    spec["exact_match"]["regexes_to_ignore"][2] = "[\\s\\S*#### ";
    EXPECT_ERROR(BadInput, parse_task(spec, gsm8k),
                 gsm8k_file + ": exact_match: regexes_to_ignore: invalid regular expression '[\\s\\S*#### '");
    spec = test::read_json(hellaswag);
    spec["preprocess"]["hellaswag"][2]["to"] = "\\1";
    EXPECT_ERROR(BadInput, parse_task(spec, hellaswag),
                 "task file " + hellaswag.string() +
                     ": preprocess.hellaswag[2]: in the replacement '\\1': invalid group reference 1");
    // The same through the task folder.
    QTemporaryDir dir;
    qputenv("LLMDROP_TASKS_DIR", dir.path().toUtf8());
    spec = test::read_json(gsm8k);
    spec["filters"][0]["regex"] = "#### (?<n";
    test::write_json(fs::path(dir.path().toStdString()) / "gsm8k.json", spec);
    EXPECT_ERROR(BadInput, find_task("gsm8k"), "gsm8k.json: filters[0]: regex: invalid regular expression");
    qunsetenv("LLMDROP_TASKS_DIR");
  }

  void builtInTasksAreAllThere() {
    const auto names = available_tasks();
    for (const auto& t : kAllTasks) {
      QVERIFY2(std::find(names.begin(), names.end(), t) != names.end(), t.c_str());
      QCOMPARE(find_task(t).name, t);
    }
    QCOMPARE(find_task("mmlu").num_fewshot, int64_t(5));
    QCOMPARE(find_task("gsm8k").num_fewshot, int64_t(5));
  }

  void userTaskFolderOverridesAndReportsErrors() {
    QTemporaryDir dir;
    qputenv("LLMDROP_TASKS_DIR", dir.path().toUtf8());
    nlohmann::json spec = minimal_task();
    spec["task"] = "arc_easy";
    spec.erase("splits");
    test::write_json(fs::path(dir.path().toStdString()) / "arc_easy.json", spec);
    EXPECT_ERROR(BadInput, find_task("arc_easy"), "arc_easy.json: field 'splits' is missing");
    qunsetenv("LLMDROP_TASKS_DIR");
    QCOMPARE(find_task("arc_easy").folders, std::vector<std::string>{"arc_easy"});
  }

  void wikitextPagesSplitAtTopLevelHeadings() {
    const std::string raw = " \n = A = \n \n x \n = = B = = \n y \n = C = \n z \n";
    const auto pages = wikitext_pages(raw);
    QCOMPARE(pages.size(), size_t(2));  // " " alone is dropped; "= = B = =" is a section of A
    QCOMPARE(pages[0], std::string(" = A = \n \n x \n = = B = = \n y "));
    QCOMPARE(pages[1], std::string(" = C = \n z \n"));
    const fs::path shared = shared_eval_dir() / "lm_text" / "wikitext-2-raw" / "wiki.test.raw";
    if (fs::exists(shared))
      QCOMPARE(read_records(shared).size(), size_t(62));  // lm-eval's document-level test set
  }

  void fewshotSamplerIsTheDocumentedOne() {
    // Values of tools/eval_reference.py's independent Python implementation (seed 1234, GSM8K's 7473 train
    // docs).
    QCOMPARE(fewshot_indices("random", 1234, 0, 7473, 5, false),
             (std::vector<int64_t>{2907, 2895, 5038, 4432, 5078}));
    QCOMPARE(fewshot_indices("random", 1234, 1, 7473, 5, false),
             (std::vector<int64_t>{5606, 4331, 6325, 5642, 381}));
    QCOMPARE(fewshot_indices("random", 1234, 1318, 7473, 5, false),
             (std::vector<int64_t>{201, 3445, 6944, 1797, 4437}));
    QCOMPARE(fewshot_indices("first_n", 1234, 3, 5, 5, true), (std::vector<int64_t>{0, 1, 2, 3, 4}));
    for (int64_t doc = 0; doc < 20; ++doc) {
      const auto picked = fewshot_indices("random", 7, doc, 10, 9, true);
      QCOMPARE(picked.size(), size_t(9));
      QVERIFY(std::find(picked.begin(), picked.end(), doc) == picked.end());
    }
  }

  // Packed scoring (shared contexts computed once, left truncation) equals scoring each request on its own.
  void packedScoringEqualsOneRequestAtATime() {
    const Loaded l = load(test::model_dir("llama"));
    const int64_t max_length = 48;
    std::vector<TokenRequest> requests;
    at::manual_seed(3);
    auto ids = [](int64_t n) {
      at::Tensor t = at::randint(3, 384, {n}, at::kLong);
      return std::vector<int64_t>(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + n);
    };
    for (int64_t ctx_len : {1, 7, 30, 45}) {  // 45 + continuations > 49: truncated from the left
      const auto ctx = ids(ctx_len);
      for (int64_t cont_len : {1, 3, 9}) requests.push_back({ctx, ids(cont_len)});
    }
    requests.push_back({ids(5), ids(max_length)});  // the longest continuation that fits
    for (int64_t batch : {1, 3, 16}) {
      ScoringOptions options;
      options.batch_size = batch;
      options.max_length = max_length;
      const auto scores = score_requests(*l.model, requests, options);
      for (size_t r = 0; r < requests.size(); ++r) {
        std::vector<int64_t> all = requests[r].context;
        all.insert(all.end(), requests[r].continuation.begin(), requests[r].continuation.end());
        if (int64_t(all.size()) > max_length + 1) all.erase(all.begin(), all.end() - (max_length + 1));
        const auto input =
            at::tensor(std::vector<int64_t>(all.begin(), all.end() - 1), at::kLong).unsqueeze(0);
        const at::Tensor logp = at::log_softmax(l.model->forward(input).to(at::kFloat).squeeze(0), -1).cpu();
        const auto n = int64_t(requests[r].continuation.size()), t = logp.size(0);
        double ll = 0;
        bool greedy = true;
        for (int64_t k = 0; k < n; ++k) {
          const int64_t target = requests[r].continuation[k];
          ll += logp[t - n + k][target].item<double>();
          greedy = greedy && logp[t - n + k].argmax().item<int64_t>() == target;
        }
        QVERIFY2(std::abs(scores[r].loglikelihood - ll) < 1e-4,
                 ("request " + std::to_string(r) + " batch " + std::to_string(batch)).c_str());
        QCOMPARE(scores[r].greedy, greedy);
      }
    }
    EXPECT_ERROR(BadInput, score_requests(*l.model, {{ids(2), ids(49)}}, ScoringOptions{1, max_length, 0}),
                 "does not fit the model's context of 48");
  }

  // TextPerplexity re-runs a changed plan from its first changed layer on the states it kept, and returns a
  // plan measured last without running it: each value equals a model loaded afresh with that plan, measured
  // in full, with all states kept and with every third layer's (a budget too small for all of them).
  void perplexityOfChangingPlansEqualsAFreshMeasurement() {
    const Loaded l = load(test::model_dir("llama"));
    const std::string text =
        "The licenses for most software are designed to take away your freedom to share and change it. By "
        "contrast, the GNU General Public License is intended to guarantee your freedom to share and change "
        "free software, to make sure the software is free for all its users.";
    const std::vector<int64_t> tokens = l.tokenizer->encode(text);
    const int64_t seq_len = 16, windows = (int64_t(tokens.size()) + seq_len - 2) / (seq_len - 1);
    QVERIFY(windows >= 3 && int64_t(tokens.size()) % (seq_len - 1) != 0);  // a shorter last window too
    const int64_t all_states =
        windows * seq_len * l.model->config().hidden_size * 4 * 6;  // float32, 6 layers
    TextPerplexity all(tokens, l.tokenizer->bos_id(), seq_len);
    TextPerplexity thirds(tokens, l.tokenizer->bos_id(), seq_len, 0, all_states / 3);
    const std::vector<DropPlan> plans = {{},       {{4}, {}},  {{4}, {2}},       {{4}, {}}, {{4}, {}},
                                         {{}, {}}, {{5}, {0}}, {{1, 5}, {0, 3}}, {{}, {}}};
    for (const DropPlan& plan : plans) {
      l.model->set_drops(plan);
      LoadOptions options;
      options.dtype = "float32";
      options.drops = plan;
      const double fresh = perplexity(*Model::load(Checkpoint::open(test::model_dir("llama")), options),
                                      tokens, l.tokenizer->bos_id(), seq_len)
                               .ppl;
      const std::string label = "plan " + drop_lists_json(plan).dump();
      QVERIFY2(std::abs(all.measure(*l.model).ppl - fresh) < 1e-9 * fresh, label.c_str());
      QVERIFY2(std::abs(thirds.measure(*l.model).ppl - fresh) < 1e-9 * fresh, label.c_str());
    }
    // Another model (the same weights, another serial) starts afresh; a cancelled measurement keeps nothing.
    const Loaded other = load(test::model_dir("llama"));
    QCOMPARE(all.measure(*other.model).ppl,
             perplexity(*other.model, tokens, l.tokenizer->bos_id(), seq_len).ppl);
    JobContext cancelling([&](const Progress& p) {
      if (p.done >= 2) cancelling.cancel();  // two windows in
    });
    other.model->set_drops({{3}, {}});
    EXPECT_ERROR(Cancelled, all.measure(*other.model, cancelling), "cancelled");
    QCOMPARE(all.measure(*other.model).ppl,
             perplexity(*other.model, tokens, l.tokenizer->bos_id(), seq_len).ppl);
  }

  void matchesTransformersOnTheProjectsEvalSet_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("layout");
    for (const char* model : {"demo", "llama-demo-vocab", "llama"})
      for (const char* layout : {"shared", "hf"})
        QTest::newRow((std::string(model) + " " + layout).c_str()) << model << layout;
  }
  void matchesTransformersOnTheProjectsEvalSet() {
    QFETCH(QString, model);
    QFETCH(QString, layout);
    const std::string name = model.toStdString();
    const fs::path dir = name == "demo" ? test::demo_model_dir() : test::model_dir(name);
    // The 256-token test llama generates 64 tokens at most (256 would leave no room for the prompt).
    std::map<std::string, int64_t> max_gen_toks;
    if (name == "llama") max_gen_toks["gsm8k"] = 64;
    compare_with_reference(dir, test::data_dir() / "reference" / "eval" / (name + "-testdata.json"),
                           {test::data_dir() / "eval" / layout.toStdString()}, {}, max_gen_toks);
  }

  void matchesTransformersOnSharedData_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("task");
    for (const char* model : {"demo", "llama-demo-vocab"})
      for (const auto& task : kAllTasks)
        QTest::newRow((std::string(model) + " " + task).c_str()) << model << QString::fromStdString(task);
    // The Llama-3-style model with a tokenizer.json, tokenized by AutoTokenizer in the reference (#22).
    for (const char* task : {"arc_easy", "hellaswag"})
      QTest::newRow((std::string("llama3-tokenizer-json ") + task).c_str())
          << "llama3-tokenizer-json" << QString(task);
  }
  void matchesTransformersOnSharedData() {
    QFETCH(QString, model);
    QFETCH(QString, task);
    const fs::path shared = shared_eval_dir();
    const std::vector<fs::path> data_dirs = {shared / "eval", shared / "lm_text"};
    if (!has_data_folder(task.toStdString(), data_dirs))
      QSKIP(("no data for " + task.toStdString() + " in " + shared.string() +
             " (set LLMDROP_SHARED_DATA): the self-contained eval set covers the same code")
                .c_str());
    const std::string name = model.toStdString();
    const fs::path dir = name == "demo" ? test::demo_model_dir() : test::model_dir(name);
    std::map<std::string, int64_t> limits;
    limits["wikitext"] = 8;  // of 62 pages: whole pages of rolling windows are slow on a CPU
    compare_with_reference(dir, test::data_dir() / "reference" / "eval" / (name + "-shared.json"), data_dirs,
                           limits, {}, task.toStdString());
  }

  // Issue #27: Ctrl-C late in a long run must keep what is finished. Cancelled after its first task and
  // partway into the second, a run leaves the first task in the results file and every finished document in
  // the samples log; --resume scores only the documents the log lacks and ends with the uninterrupted run's
  // numbers.
  void interruptedAfterFirstTaskKeepsItAndResumesMidTask() {
    const Loaded l = load(test::demo_model_dir());
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString(), log = root / "samples.jsonl",
                   results_file = root / "results.json";
    EvalOptions options;
    options.tasks = {"arc_easy", "boolq"};  // 8 documents each
    options.data.data_dirs = {test::data_dir() / "eval" / "shared"};
    options.batch_size = 1;  // the CLI's on a CPU; a document's numbers then never depend on its neighbours
    options.results_file = root / "uninterrupted.json";
    const EvalResults uninterrupted = evaluate(*l.model, *l.tokenizer, options);
    const nlohmann::json uninterrupted_file = test::read_json(options.results_file);

    options.samples_log = log;
    options.results_file = results_file;
    std::vector<std::string> finished_tasks;
    options.task_finished = [&](const EvalResults& so_far) {
      finished_tasks.clear();
      for (const auto& t : so_far.tasks) finished_tasks.push_back(t.name);
    };
    JobContext cancelling([&](const Progress& p) {
      if (p.done >= 8 + 3) cancelling.cancel();  // arc_easy done, boolq 3 documents in
    });
    EXPECT_ERROR(Cancelled, evaluate(*l.model, *l.tokenizer, options, cancelling), "cancelled");
    QCOMPARE(finished_tasks, std::vector<std::string>{"arc_easy"});

    // The first task's results, with the uninterrupted run's numbers; the second is marked incomplete.
    const nlohmann::json kept = test::read_json(results_file);
    QCOMPARE(kept["results"], nlohmann::json({{"arc_easy", uninterrupted_file["results"]["arc_easy"]}}));
    QCOMPARE(kept["results"]["arc_easy"]["acc,none"].get<double>(),
             uninterrupted.tasks[0].metrics.at("acc,none"));
    QCOMPARE(kept["tasks_complete"], nlohmann::json::array({"arc_easy"}));
    QCOMPARE(kept["tasks_incomplete"], nlohmann::json::array({"boolq"}));
    // The log: all of arc_easy and the boolq documents finished before the cancellation.
    int64_t boolq_logged = 0;
    for (const auto& line : log_lines(log)) boolq_logged += line.value("task", "") == "boolq" ? 1 : 0;
    QCOMPARE(int64_t(log_lines(log).size()), 1 + 8 + boolq_logged);
    QVERIFY2(boolq_logged > 0 && boolq_logged < 8, std::to_string(boolq_logged).c_str());

    EXPECT_ERROR(BadInput, evaluate(*l.model, *l.tokenizer, options), "pass --resume");
    options.resume = true;
    options.task_finished = {};
    const EvalResults resumed = evaluate(*l.model, *l.tokenizer, options);
    // Only boolq's remaining documents were scored (each scored document is appended to the log once).
    const auto lines = log_lines(log);
    QCOMPARE(int64_t(lines.size()), int64_t(1 + 8 + 8));
    std::set<std::pair<std::string, int64_t>> documents;
    for (size_t i = 1; i < lines.size(); ++i)
      documents.emplace(lines[i]["task"].get<std::string>(), lines[i]["doc_id"].get<int64_t>());
    QCOMPARE(documents.size(), size_t(16));
    // Exactly the uninterrupted run's documents and numbers.
    QCOMPARE(resumed.tasks.size(), uninterrupted.tasks.size());
    for (size_t t = 0; t < uninterrupted.tasks.size(); ++t) {
      QCOMPARE(resumed.tasks[t].metrics, uninterrupted.tasks[t].metrics);
      QCOMPARE(resumed.tasks[t].records, uninterrupted.tasks[t].records);
    }
    const nlohmann::json finished = test::read_json(results_file);
    QCOMPARE(finished["results"], uninterrupted_file["results"]);
    QCOMPARE(finished["tasks_complete"], nlohmann::json::array({"arc_easy", "boolq"}));
    QCOMPARE(finished["tasks_incomplete"], nlohmann::json::array());
  }

  void samplesLogSurvivesAKilledWriteAndBelongsToItsRun() {
    const Loaded l = load(test::demo_model_dir());
    QTemporaryDir tmp;
    const fs::path log = fs::path(tmp.path().toStdString()) / "samples.jsonl";
    EvalOptions options;
    options.tasks = {"arc_easy", "boolq", "mmlu"};
    options.data.data_dirs = {test::data_dir() / "eval" / "shared"};
    options.batch_size = 2;
    const EvalResults fresh = evaluate(*l.model, *l.tokenizer, options);
    options.samples_log = log;
    evaluate(*l.model, *l.tokenizer, options);
    options.resume = true;

    // A run killed in the middle of writing a record leaves half a line: resuming drops it and redoes that
    // document.
    {
      std::ifstream whole(log);
      std::string lines((std::istreambuf_iterator<char>(whole)), std::istreambuf_iterator<char>());
      const size_t last = lines.rfind('\n', lines.size() - 2);
      test::write_file(log, lines.substr(0, last + 1) + lines.substr(last + 1, 25));  // last record cut short
    }
    const EvalResults repaired = evaluate(*l.model, *l.tokenizer, options);
    for (size_t t = 0; t < fresh.tasks.size(); ++t)
      QCOMPARE(repaired.tasks[t].metrics, fresh.tasks[t].metrics);
    const auto lines = log_lines(log);
    QCOMPARE(lines.size(), size_t(1 + 8 + 8 + 12));  // one per document
    for (const auto& line : lines) QVERIFY(!line.is_discarded());

    // The log belongs to this model and these drops.
    l.model->set_drops(DropPlan{{1}, {}});
    EXPECT_ERROR(BadInput, evaluate(*l.model, *l.tokenizer, options), "was written by another run");
  }

  void resultsFollowLmEvalsLayout() {
    const Loaded l = load(test::demo_model_dir());
    EvalOptions options;
    options.tasks = {"arc_easy", "mmlu"};
    options.data.data_dirs = {test::data_dir() / "eval" / "hf"};
    options.limit = 3;
    l.model->set_drops(DropPlan{{2, 3}, {5}});
    const nlohmann::json r = results_json(evaluate(*l.model, *l.tokenizer, options), *l.model, options);
    QVERIFY(r["results"]["arc_easy"].contains("acc,none"));
    QVERIFY(r["results"]["arc_easy"].contains("acc_stderr,none"));
    QVERIFY(r["results"]["arc_easy"].contains("acc_norm,none"));
    QCOMPARE(r["n-samples"]["arc_easy"]["effective"].get<int>(), 3);
    QCOMPARE(r["n-samples"]["arc_easy"]["original"].get<int>(), 8);
    QCOMPARE(r["n-samples"]["mmlu"]["effective"].get<int>(), 6);  // 3 of each of the 2 subjects
    QCOMPARE(r["group_subtasks"]["mmlu"].size(), size_t(2));
    QVERIFY(r["groups"]["mmlu"].contains("acc,none"));
    QCOMPARE(r["n-shot"]["mmlu"].get<int>(), 5);
    QCOMPARE(r["drop_attn_list"], nlohmann::json({2, 3}));
    QCOMPARE(r["drop_mlp_list"], nlohmann::json({5}));
    QCOMPARE(r["configs"]["arc_easy"]["output_type"].get<std::string>(), std::string("multiple_choice"));
  }

  // A Hugging Face "all" split (one file, a subject field per record) gives the same subtasks and numbers as
  // one file per subject.
  void mmluFromOneFileGroupsBySubject() {
    const Loaded l = load(test::demo_model_dir());
    QTemporaryDir tmp;
    const fs::path source = test::data_dir() / "eval" / "hf" / "mmlu",
                   merged = fs::path(tmp.path().toStdString()) / "mmlu";
    for (const char* split : {"test", "dev"}) {
      std::string all;
      for (const char* subject : {"text_processing", "operating_systems"}) {  // not in name order, on purpose
        std::ifstream in(source / split / (std::string(subject) + "_" + split + ".jsonl"));
        for (std::string line; std::getline(in, line);) all += line + "\n";
      }
      test::write_file(merged / (std::string(split) + ".jsonl"), all);
    }
    EvalOptions options;
    options.tasks = {"mmlu"};
    options.data.data_dirs = {test::data_dir() / "eval" / "hf"};
    const EvalResults per_file = evaluate(*l.model, *l.tokenizer, options);
    options.data.data_dirs = {tmp.path().toStdString()};
    const EvalResults one_file = evaluate(*l.model, *l.tokenizer, options);
    QCOMPARE(one_file.tasks[0].subtasks.size(), size_t(2));
    for (size_t i = 0; i < 2; ++i) {
      QCOMPARE(one_file.tasks[0].subtasks[i].name, per_file.tasks[0].subtasks[i].name);
      QCOMPARE(one_file.tasks[0].subtasks[i].records.size(), per_file.tasks[0].subtasks[i].records.size());
    }
    QCOMPARE(one_file.tasks[0].metrics, per_file.tasks[0].metrics);
    // The same file named directly (--data mmlu=FILE); few-shot examples from dev.jsonl beside it.
    options.data.data_dirs.clear();
    options.data.files["mmlu"] = merged / "test.jsonl";
    QCOMPARE(evaluate(*l.model, *l.tokenizer, options).tasks[0].metrics, per_file.tasks[0].metrics);
  }

  void badDataIsReportedClearly() {
    const Loaded l = load(test::demo_model_dir());
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    EvalOptions options;
    options.tasks = {"arc_easy"};
    options.data.data_dirs = {root};
    EXPECT_ERROR(BadInput, evaluate(*l.model, *l.tokenizer, options),
                 "no data for task arc_easy: looked for");
    test::write_file(root / "arc_easy" / "test.jsonl", "{\"prompt\": \"x\", \"answer\": 1}\n");
    EXPECT_ERROR(BadInput, evaluate(*l.model, *l.tokenizer, options),
                 "records have the fields [answer, prompt], but task 'arc_easy' reads one of these layouts");
    test::write_file(root / "arc_easy" / "test.jsonl",
                     "{\"query\": \"Question: a\", \"choices\": [\"x\", \"y\"], \"gold\": 0}\n"
                     "{\"query\": \"Question: b\", \"choices\": [\"x\", \"y\"], \"gold\": 5}\n");
    EXPECT_ERROR(BadInput, evaluate(*l.model, *l.tokenizer, options),
                 "document 1: gold index 5 is outside its 2 choices");
    test::write_file(root / "arc_easy" / "test.jsonl", "{\"query\": \"Question: a\"\n");
    EXPECT_ERROR(BadInput, evaluate(*l.model, *l.tokenizer, options), "test.jsonl:1: not valid JSON");
  }

 private:
  QTemporaryDir home_;
};

QTEST_GUILESS_MAIN(EvalTest)
#include "tst_eval.moc"
