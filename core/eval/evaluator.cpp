#include "eval/evaluator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>

#include "checkpoint/checkpoint.h"
#include "checkpoint/drop_plan.h"
#include "checkpoint/tokenizer.h"
#include "eval/loglikelihood.h"
#include "eval/samples_log.h"
#include "eval/text_ops.h"
#include "model/generation.h"
#include "model/model.h"
#include "util/atomic_file.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/input.h"
#include "util/sha256.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {

using Tokens = std::vector<int64_t>;

// What lm-eval builds for one document.
struct DocPrompts {
  std::vector<std::pair<std::string, std::string>> pairs;  // (context, continuation) loglikelihood requests
  std::vector<std::string> choices;  // multiple choice: the answers, for acc_norm/acc_bytes
  int64_t gold = -1;
  std::string prompt;            // generation
  std::string target;            // generation reference; rolling: the text scored
  int64_t words = 0, bytes = 0;  // rolling: normalisers from the original text
};

int64_t argmax(const std::vector<double>& v) {
  int64_t best = 0;
  for (size_t i = 1; i < v.size(); ++i)
    if (v[i] > v[best]) best = static_cast<int64_t>(i);
  return best;
}

struct MeanStderr {
  double mean = 0, stderr_ = NAN;
};

// Mean and lm-eval's stderr (sample standard deviation / √n).
MeanStderr mean_stderr(const std::vector<double>& x) {
  MeanStderr r;
  if (x.empty()) return r;
  for (double v : x) r.mean += v;
  r.mean /= double(x.size());
  if (x.size() > 1) {
    double ss = 0;
    for (double v : x) ss += (v - r.mean) * (v - r.mean);
    r.stderr_ = std::sqrt(ss / double(x.size() - 1)) / std::sqrt(double(x.size()));
  }
  return r;
}

// A number of a document's record: `path` walks nested objects ({"exact_match", "strict-match"}). Records may
// come from a resumed samples log, so a missing or mistyped field is BadInput naming the task, the document
// and the field.
double record_number(const nlohmann::json& record, const std::vector<std::string>& path) {
  const nlohmann::json* value = &record;
  std::string field;
  for (const auto& key : path) {
    field += (field.empty() ? "" : ".") + key;
    value = json_find(*value, key);
    if (!value) break;
  }
  const auto* task = json_find(record, "task");
  const auto* doc = json_find(record, "doc_id");
  const std::string where =
      "the samples record of task " + (task ? task->dump() : "?") + ", document " + (doc ? doc->dump() : "?");
  if (!value) throw_bad_input(where + " has no field '" + field + "'");
  return json_number(*value, where + ": field '" + field + "'");
}

// Documents [0, n) of a (sub)task that a run takes: the first `limit`, or all.
int64_t documents_to_run(const EvalOptions& options, const TaskData& data) {
  const auto available = static_cast<int64_t>(data.docs.size());
  return options.limit > 0 ? std::min<int64_t>(options.limit, available) : available;
}

class TaskRunner {
 public:
  TaskRunner(const Model& model, const Tokenizer& tokenizer, const TaskSpec& task, const EvalOptions& options)
      : model_(model), tokenizer_(tokenizer), task_(task), options_(options) {
    max_length_ = options.max_length > 0 ? options.max_length : model.config().max_position_embeddings;
    num_fewshot_ = options.num_fewshot.value_or(task.num_fewshot);
    max_gen_toks_ = options.max_gen_toks.value_or(task.max_gen_toks);
    if (max_gen_toks_ < 1) throw_bad_input("max_gen_toks must be at least 1");
    if (num_fewshot_ > 0 && task.output_type == OutputType::LoglikelihoodRolling)
      throw_bad_input("task " + task.name + " scores whole texts and takes no few-shot examples");
    // lm-eval's HF backend encodes with the tokenizer's special tokens (BOS) for the Gemma family only.
    add_bos_ = model.config().model_type.find("gemma") != std::string::npos && tokenizer.bos_id().has_value();
    if (auto bos = tokenizer.bos_id())
      prefix_token_ = *bos;
    else if (auto eos = tokenizer.eos_id())
      prefix_token_ = *eos;
    else
      throw_bad_input("the tokenizer has neither BOS nor EOS, which an empty context needs");
  }

  int64_t num_fewshot() const { return num_fewshot_; }
  int64_t max_gen_toks() const { return max_gen_toks_; }

  // Evaluates documents [0, n) of one (sub)task named `name`, skipping those the log already holds. Progress
  // counts this task's documents.
  TaskResult run(const std::string& name, const TaskData& data, int64_t n, SamplesLog& log, JobContext& job) {
    const auto start = Clock::now();
    TaskResult result;
    result.name = name;
    result.available = static_cast<int64_t>(data.docs.size());
    result.samples = n;
    result.num_fewshot = num_fewshot_;
    result.records.resize(n);
    std::vector<int64_t> pending;
    for (int64_t i = 0; i < n; ++i) {
      if (const auto* r = log.find(name, i)) {
        try {
          std::map<std::string, double> ignored;
          aggregate({*r}, ignored);  // every field the metrics read is there
        } catch (const Error& e) {
          throw_bad_input(log.path().string() + ": " + e.what() + "; choose another file to start afresh");
        }
        result.records[i] = *r;
      } else {
        pending.push_back(i);
      }
    }
    int64_t finished = n - static_cast<int64_t>(pending.size());
    job.report(finished, n, "evaluating");
    const size_t chunk = static_cast<size_t>(std::max<int64_t>(256, options_.batch_size * 16));
    for (size_t first = 0; first < pending.size(); first += chunk) {
      job.throw_if_cancelled();
      const std::vector<int64_t> docs(pending.begin() + first,
                                      pending.begin() + std::min(pending.size(), first + chunk));
      const auto chunk_docs = static_cast<int64_t>(docs.size());
      JobContext chunk_job(job, [&](const Progress& p) {
        job.report(finished + (p.total ? p.done * chunk_docs / p.total : 0), n, p.message);
      });
      evaluate_docs(name, data, docs, chunk_job, [&](size_t k, nlohmann::json record) {
        log.append(record);
        log.flush();
        result.records[docs[k]] = std::move(record);
      });
      finished += chunk_docs;
      job.report(finished, n, "evaluating");
    }
    aggregate(result.records, result.metrics);
    result.seconds = seconds_since(start);
    return result;
  }

  // The requests of documents [0, n) that score their gold answers: a multiple-choice document's gold choice,
  // a loglikelihood document's target, a rolling document's windows, a generation document's reference
  // after its prompt.
  std::vector<TokenRequest> gold_requests(const TaskData& data, int64_t n) const {
    const Layout& layout = task_.layout_for(data.docs.front(), data.origin);
    std::vector<TokenRequest> requests;
    for (int64_t k = 0; k < n; ++k) {
      const DocPrompts p = document_prompts(data, k, layout);
      if (task_.output_type == OutputType::LoglikelihoodRolling) {
        for (auto& w : rolling_windows(encode(p.target))) requests.push_back(std::move(w));
        continue;
      }
      const auto& [context, continuation] =
          task_.output_type == OutputType::GenerateUntil    ? std::pair{p.prompt, p.target}
          : task_.output_type == OutputType::MultipleChoice ? p.pairs[static_cast<size_t>(p.gold)]
                                                            : p.pairs.front();
      auto [c, t] = encode_pair(context, continuation);
      if (!t.empty()) requests.push_back({std::move(c), std::move(t)});
    }
    return requests;
  }

  void aggregate(const std::vector<nlohmann::json>& records, std::map<std::string, double>& metrics) const {
    auto put = [&](const std::string& metric, const std::string& filter, const std::vector<double>& values) {
      const MeanStderr m = mean_stderr(values);
      metrics[metric + "," + filter] = m.mean;
      if (!std::isnan(m.stderr_)) metrics[metric + "_stderr," + filter] = m.stderr_;
    };
    auto column = [&](const std::string& key) {
      std::vector<double> v;
      for (const auto& r : records) v.push_back(record_number(r, {key}));
      return v;
    };
    switch (task_.output_type) {
      case OutputType::MultipleChoice:
        for (const auto& metric : task_.metrics) put(metric, "none", column(metric));
        break;
      case OutputType::Loglikelihood: {
        if (task_.has_metric("acc")) put("acc", "none", column("acc"));
        if (task_.has_metric("perplexity"))
          metrics["perplexity,none"] = std::exp(-mean_stderr(column("ll")).mean);
        break;
      }
      case OutputType::LoglikelihoodRolling: {
        double ll = 0, words = 0, bytes = 0;
        for (const auto& r : records)
          ll += record_number(r, {"ll"}), words += record_number(r, {"words"}),
              bytes += record_number(r, {"bytes"});
        if (task_.has_metric("word_perplexity")) metrics["word_perplexity,none"] = std::exp(-ll / words);
        if (task_.has_metric("byte_perplexity")) metrics["byte_perplexity,none"] = std::exp(-ll / bytes);
        if (task_.has_metric("bits_per_byte")) metrics["bits_per_byte,none"] = -ll / (bytes * std::log(2.0));
        break;
      }
      case OutputType::GenerateUntil:
        for (const auto& filter : task_.filters) {
          std::vector<double> v;
          for (const auto& r : records) v.push_back(record_number(r, {"exact_match", filter.name}));
          put("exact_match", filter.name, v);
        }
        break;
    }
  }

 private:
  // lm-eval's HFLM.tok_encode: the text's tokens, after BOS where lm-eval adds special tokens.
  Tokens encode(const std::string& text) const {
    Tokens ids = tokenizer_.encode(text);
    if (add_bos_) ids.insert(ids.begin(), *tokenizer_.bos_id());
    return ids;
  }

  // lm-eval's HFLM._encode_pair: trailing spaces of the context move to the continuation; the continuation's
  // tokens are those of encode(context + continuation) after encode(context)'s length.
  std::pair<Tokens, Tokens> encode_pair(std::string context, std::string continuation) const {
    if (context.empty()) return {{prefix_token_}, encode(continuation)};
    const std::string stripped = text::rstrip(context);
    if (stripped.size() < context.size()) {
      continuation = context.substr(stripped.size()) + continuation;
      context = stripped;
    }
    Tokens ctx = encode(context);
    const Tokens whole = encode(context + continuation);
    Tokens cont(whole.begin() + static_cast<std::ptrdiff_t>(std::min(ctx.size(), whole.size())), whole.end());
    if (ctx.empty()) ctx = {prefix_token_};
    return {ctx, cont};
  }

  // One few-shot example: question, target delimiter, answer.
  std::string example_text(const nlohmann::json& ex, const Layout& layout) const {
    if (task_.output_type != OutputType::MultipleChoice)
      return layout.doc_to_text.render(ex) + task_.target_delimiter + layout.target_text.render(ex);
    const auto choices = layout.doc_to_choice.render(ex);
    const int64_t gold = layout.doc_to_target.render(ex);
    if (gold < 0 || gold >= static_cast<int64_t>(choices.size()))
      throw_bad_input("a few-shot example's gold index " + std::to_string(gold) + " is outside its choices");
    if (task_.multiple_input) return choices[gold] + task_.target_delimiter + layout.target_text.render(ex);
    return layout.doc_to_text.render(ex) + task_.target_delimiter + choices[gold];
  }

  // Description and few-shot block that precede document `index`'s own text.
  std::string prefix(const TaskData& data, int64_t index) const {
    const nlohmann::json& doc = data.docs[index];
    std::string out = task_.description.render(doc);
    if (num_fewshot_ == 0) return out;
    const bool own_pool = data.fewshot.empty();
    const auto& pool = own_pool ? data.docs : data.fewshot;
    const Layout& pool_layout = task_.layout_for(pool.front(), data.origin + " (few-shot)");
    for (int64_t i : fewshot_indices(task_.fewshot_sampler, task_.fewshot_seed, index,
                                     static_cast<int64_t>(pool.size()), num_fewshot_, own_pool))
      out += example_text(pool[i], pool_layout) + task_.fewshot_delimiter;
    return out;
  }

  // prompts(), its bad-input errors naming the document.
  DocPrompts document_prompts(const TaskData& data, int64_t index, const Layout& layout) const {
    try {
      return prompts(data, index, layout);
    } catch (const Error& e) {
      if (e.kind() != Error::Kind::BadInput) throw;
      throw_bad_input(data.origin + ", document " + std::to_string(index) + ": " + e.what());
    }
  }

  DocPrompts prompts(const TaskData& data, int64_t index, const Layout& layout) const {
    const nlohmann::json& doc = data.docs[index];
    DocPrompts p;
    switch (task_.output_type) {
      case OutputType::MultipleChoice: {
        const std::string pre = prefix(data, index);
        p.choices = layout.doc_to_choice.render(doc);
        p.gold = layout.doc_to_target.render(doc);
        if (p.choices.empty()) throw_bad_input("the document has no choices");
        if (p.gold < 0 || p.gold >= static_cast<int64_t>(p.choices.size()))
          throw_bad_input("gold index " + std::to_string(p.gold) + " is outside its " +
                          std::to_string(p.choices.size()) + " choices");
        if (task_.multiple_input) {
          const std::string cont = task_.target_delimiter + layout.target_text.render(doc);
          for (const auto& c : p.choices) p.pairs.emplace_back(pre + c, cont);
        } else {
          const std::string ctx = pre + layout.doc_to_text.render(doc);
          for (const auto& c : p.choices) p.pairs.emplace_back(ctx, task_.target_delimiter + c);
        }
        break;
      }
      case OutputType::Loglikelihood:
        p.pairs.emplace_back(prefix(data, index) + layout.doc_to_text.render(doc),
                             layout.target_text.render(doc));
        break;
      case OutputType::LoglikelihoodRolling: {
        p.target = layout.target_text.render(doc);
        const std::string original = layout.count_text.render(doc);
        p.words = text::whitespace_split_count(original);
        p.bytes = static_cast<int64_t>(original.size());
        break;
      }
      case OutputType::GenerateUntil:
        p.prompt = prefix(data, index) + layout.doc_to_text.render(doc);
        p.target = layout.target_text.render(doc);
        break;
    }
    return p;
  }

  // lm-eval's get_rolling_token_windows(tokens, prefix, max_length, context_len=1), made disjoint.
  std::vector<TokenRequest> rolling_windows(const Tokens& tokens) const {
    std::vector<TokenRequest> windows;
    const auto n = static_cast<int64_t>(tokens.size());
    if (n == 0) return windows;
    const int64_t first = std::min(max_length_, n);
    windows.push_back({{prefix_token_}, Tokens(tokens.begin(), tokens.begin() + first)});
    for (int64_t predicted = first; predicted < n;) {
      const int64_t len = std::min(n - predicted, max_length_), end = predicted + len;
      // Context: the tokens before the window, filling the model's context.
      windows.push_back({Tokens(tokens.begin() + (end - max_length_ - 1), tokens.begin() + (end - len)),
                         Tokens(tokens.begin() + (end - len), tokens.begin() + end)});
      predicted += len;
    }
    return windows;
  }

  std::string generate_until(const std::string& prompt, JobContext& job) const {
    Tokens ids = encode(prompt);
    const int64_t room = max_length_ - max_gen_toks_;
    if (room < 1) throw_bad_input("max_gen_toks leaves no room for the prompt in the model's context");
    if (static_cast<int64_t>(ids.size()) > room) ids.erase(ids.begin(), ids.end() - room);  // keep the end
    if (ids.empty()) ids = {prefix_token_};
    SamplingOptions sampling;
    sampling.max_new_tokens = max_gen_toks_;
    sampling.stop_token = tokenizer_.eos_id();
    sampling.stop_when = [&](const Tokens& generated) {
      const std::string s = tokenizer_.decode(generated);
      for (const auto& stop : task_.until)
        if (!stop.empty() && s.find(stop) != std::string::npos) return true;
      return false;
    };
    JobContext quiet(job, {});
    std::string s = tokenizer_.decode(generate(model_, ids, sampling, quiet));
    for (const auto& stop : task_.until)
      if (!stop.empty()) s = s.substr(0, s.find(stop));
    return s;
  }

  // Hands each document's record to `finished` (with its index in `docs`) as soon as its last request is
  // scored or its answer generated, so that a cancelled run keeps every document it finished.
  void evaluate_docs(const std::string& name, const TaskData& data, const std::vector<int64_t>& docs,
                     JobContext& job, const std::function<void(size_t, nlohmann::json)>& finished) const {
    const Layout& layout = task_.layout_for(data.docs.front(), data.origin);
    std::vector<DocPrompts> prompts_of(docs.size());
    for (size_t k = 0; k < docs.size(); ++k) prompts_of[k] = document_prompts(data, docs[k], layout);
    auto record_of = [&](size_t k) { return nlohmann::json{{"task", name}, {"doc_id", docs[k]}}; };

    if (task_.output_type == OutputType::GenerateUntil) {
      for (size_t k = 0; k < docs.size(); ++k) {
        job.throw_if_cancelled();
        const std::string response = generate_until(prompts_of[k].prompt, job);
        job.report(static_cast<int64_t>(k + 1), static_cast<int64_t>(docs.size()), "generating");
        nlohmann::json r = record_of(k);
        r["response"] = response;
        r["target"] = prompts_of[k].target;
        for (const auto& filter : task_.filters) {
          const std::string filtered = filter.apply(response);
          r["filtered"][filter.name] = filtered;
          r["exact_match"][filter.name] = task_.exact_match.matches(filtered, prompts_of[k].target) ? 1 : 0;
        }
        finished(k, std::move(r));
      }
      return;
    }

    // Token requests of every document, then one scoring pass over them all.
    std::vector<TokenRequest> requests;
    std::vector<std::pair<size_t, size_t>> span(docs.size());  // [first, end) requests of each document
    std::vector<int64_t> token_count(docs.size(), 0);
    for (size_t k = 0; k < docs.size(); ++k) {
      span[k].first = requests.size();
      if (task_.output_type == OutputType::LoglikelihoodRolling) {
        const Tokens tokens = encode(prompts_of[k].target);
        token_count[k] = static_cast<int64_t>(tokens.size());
        for (auto& w : rolling_windows(tokens)) requests.push_back(std::move(w));
      } else {
        for (const auto& [ctx, cont] : prompts_of[k].pairs) {
          auto [c, t] = encode_pair(ctx, cont);
          if (t.empty())
            throw_bad_input(data.origin + ", document " + std::to_string(docs[k]) +
                            ": a continuation encodes to no tokens: '" + cont + "'");
          requests.push_back({std::move(c), std::move(t)});
        }
      }
      span[k].second = requests.size();
    }
    // The record of document k once all of its requests are scored.
    auto scored_record = [&](size_t k, const std::vector<TokenScore>& scores) {
      nlohmann::json r = record_of(k);
      const DocPrompts& p = prompts_of[k];
      std::vector<double> lls;
      std::vector<bool> greedy;
      for (size_t i = span[k].first; i < span[k].second; ++i) {
        lls.push_back(scores[i].loglikelihood);
        greedy.push_back(scores[i].greedy);
      }
      switch (task_.output_type) {
        case OutputType::MultipleChoice: {
          r["lls"] = lls;
          r["is_greedy"] = greedy;
          r["gold"] = p.gold;
          const int64_t pred = argmax(lls);
          r["pred"] = pred;
          r["acc"] = pred == p.gold ? 1 : 0;
          if (!task_.multiple_input) {
            std::vector<double> by_chars, by_bytes;
            for (size_t c = 0; c < lls.size(); ++c) {
              by_chars.push_back(lls[c] / double(text::code_points(p.choices[c])));
              by_bytes.push_back(lls[c] / double(p.choices[c].size()));
            }
            r["pred_norm"] = argmax(by_chars);
            r["pred_bytes"] = argmax(by_bytes);
            r["acc_norm"] = argmax(by_chars) == p.gold ? 1 : 0;
            r["acc_bytes"] = argmax(by_bytes) == p.gold ? 1 : 0;
          }
          break;
        }
        case OutputType::Loglikelihood:
          r["ll"] = lls[0];
          r["is_greedy"] = bool(greedy[0]);
          r["acc"] = greedy[0] ? 1 : 0;
          break;
        case OutputType::LoglikelihoodRolling: {
          double ll = 0;
          for (double v : lls) ll += v;
          r["ll"] = ll;
          r["words"] = p.words;
          r["bytes"] = p.bytes;
          r["tokens"] = token_count[k];
          break;
        }
        case OutputType::GenerateUntil:
          break;
      }
      return r;
    };
    std::vector<size_t> unscored(docs.size()), doc_of(requests.size());  // requests left; owner
    for (size_t k = 0; k < docs.size(); ++k) {
      unscored[k] = span[k].second - span[k].first;
      for (size_t i = span[k].first; i < span[k].second; ++i) doc_of[i] = k;
      if (unscored[k] == 0) finished(k, scored_record(k, {}));  // an empty text: nothing to score
    }
    ScoringOptions scoring;
    scoring.batch_size = options_.batch_size;
    scoring.max_length = max_length_;
    scoring.data_parallel = options_.data_parallel;
    score_requests(model_, requests, scoring, job,
                   [&](const std::vector<size_t>& done, const std::vector<TokenScore>& scores) {
                     for (size_t i : done)
                       if (--unscored[doc_of[i]] == 0) finished(doc_of[i], scored_record(doc_of[i], scores));
                   });
  }

  const Model& model_;
  const Tokenizer& tokenizer_;
  const TaskSpec& task_;
  const EvalOptions& options_;
  int64_t max_length_ = 0;
  int64_t num_fewshot_ = 0;
  int64_t max_gen_toks_ = 0;
  int64_t prefix_token_ = 0;
  bool add_bos_ = false;  // Gemma: every encoded text starts with BOS
};

nlohmann::json task_config(const TaskSpec& task, int64_t num_fewshot, int64_t max_gen_toks,
                           const std::string& origin) {
  static const std::map<OutputType, std::string> types = {
      {OutputType::MultipleChoice, "multiple_choice"},
      {OutputType::Loglikelihood, "loglikelihood"},
      {OutputType::LoglikelihoodRolling, "loglikelihood_rolling"},
      {OutputType::GenerateUntil, "generate_until"}};
  nlohmann::json c = {{"task", task.name},
                      {"task_file", task.source.string()},
                      {"data", origin},
                      {"output_type", types.at(task.output_type)},
                      {"num_fewshot", num_fewshot},
                      {"target_delimiter", task.target_delimiter},
                      {"fewshot_delimiter", task.fewshot_delimiter},
                      {"metric_list", task.metrics}};
  if (num_fewshot > 0)
    c["fewshot_config"] = {
        {"split", task.fewshot_split}, {"sampler", task.fewshot_sampler}, {"seed", task.fewshot_seed}};
  if (task.output_type == OutputType::GenerateUntil)
    c["generation_kwargs"] = {{"until", task.until}, {"max_gen_toks", max_gen_toks}, {"do_sample", false}};
  return c;
}

}  // namespace

std::vector<int64_t> fewshot_indices(const std::string& sampler, uint64_t seed, int64_t doc_index,
                                     int64_t pool_size, int64_t k, bool exclude_self) {
  std::vector<int64_t> pool;
  for (int64_t i = 0; i < pool_size; ++i)
    if (!(exclude_self && sampler != "first_n" && i == doc_index)) pool.push_back(i);
  const auto n = static_cast<int64_t>(pool.size());
  k = std::min(k, n);
  if (sampler == "first_n") return {pool.begin(), pool.begin() + k};
  // SplitMix64 seeded by (seed, document index): the choice never depends on batching or document order.
  uint64_t state = seed * 1000003ull + static_cast<uint64_t>(doc_index);
  auto next = [&] {
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  for (int64_t j = 0; j < k; ++j)
    std::swap(pool[j], pool[j + static_cast<int64_t>(next() % uint64_t(n - j))]);
  return {pool.begin(), pool.begin() + k};
}

namespace {
// What a task's results depend on: its definition's and its data files' hashes.
nlohmann::json task_inputs_json(const TaskSpec& spec, const std::vector<TaskData>& data) {
  nlohmann::json files = nlohmann::json::array();
  for (const auto& d : data)
    for (const auto& file : d.files)
      files.push_back({{"file", file.string()}, {"sha256", sha256_file(file)}});
  return {{"definition_sha256", sha256_file(spec.source)}, {"data", files}};
}
}  // namespace

nlohmann::json task_inputs_json(const std::string& task, const DataSources& data) {
  const TaskSpec spec = find_task(task);
  return task_inputs_json(spec, load_task_data(spec, data, spec.num_fewshot));
}

EvalResults evaluate(const Model& model, const Tokenizer& tokenizer, const EvalOptions& options,
                     JobContext& job) {
  const auto start = Clock::now();
  if (options.tasks.empty()) throw_bad_input("no tasks given");
  if (options.batch_size < 1) throw_bad_input("batch size must be at least 1");
  if (options.limit < 0) throw_bad_input("limit must not be negative");
  // Load every task and its data first: a wrong name or a missing file fails before any compute.
  struct Loaded {
    TaskSpec spec;
    std::vector<TaskData> data;
  };
  std::vector<Loaded> loaded;
  int64_t total_docs = 0;
  for (const auto& name : options.tasks) {
    Loaded l{find_task(name), {}};
    l.data = load_task_data(l.spec, options.data, options.num_fewshot.value_or(l.spec.num_fewshot));
    for (const auto& d : l.data) total_docs += documents_to_run(options, d);
    loaded.push_back(std::move(l));
  }
  const auto& drops = model.drops();
  // What the records depend on: a resumed log must match all of it.
  nlohmann::json inputs = nlohmann::json::object();
  if (!options.samples_log.empty())
    for (const auto& l : loaded) inputs[l.spec.name] = task_inputs_json(l.spec, l.data);
  nlohmann::json header = {
      {"llmdrop_samples",
       {{"model", model.checkpoint().dir.string()},
        {"model_fingerprint", options.samples_log.empty() ? "" : weights_fingerprint(model.checkpoint())},
        {"tasks", inputs},
        {"dtype", std::string(c10::toString(model.dtype()))},
        {"num_fewshot", options.num_fewshot ? nlohmann::json(*options.num_fewshot) : nlohmann::json()},
        {"max_length", options.max_length},
        {"max_gen_toks", options.max_gen_toks ? nlohmann::json(*options.max_gen_toks) : nlohmann::json()}}}};
  header["llmdrop_samples"].update(drop_lists_json(drops));
  SamplesLog log(options.samples_log, header, options.resume);

  EvalResults results;
  int64_t done = 0;  // documents of the tasks already finished
  for (const auto& l : loaded) {
    TaskRunner runner(model, tokenizer, l.spec, options);
    const bool grouped = l.data.size() > 1 || !l.data.front().subtask.empty();
    TaskResult group;
    group.name = l.spec.name;
    group.num_fewshot = runner.num_fewshot();
    std::string origin;
    for (const auto& d : l.data) {
      const int64_t n = documents_to_run(options, d);
      JobContext sub(job, [&](const Progress& p) {
        job.report(done + p.done, total_docs, l.spec.name + ": " + p.message);
      });
      TaskResult r = runner.run(grouped ? l.spec.name + "_" + d.subtask : l.spec.name, d, n, log, sub);
      done += n;
      r.config = task_config(l.spec, runner.num_fewshot(), runner.max_gen_toks(), d.origin);
      origin += (origin.empty() ? "" : ", ") + d.origin;
      if (!grouped) {
        results.tasks.push_back(std::move(r));
        continue;
      }
      group.samples += r.samples;
      group.available += r.available;
      group.seconds += r.seconds;
      group.records.insert(group.records.end(), r.records.begin(), r.records.end());
      group.subtasks.push_back(std::move(r));
    }
    if (grouped) {
      runner.aggregate(group.records, group.metrics);  // micro average over every document
      group.config = task_config(l.spec, runner.num_fewshot(), runner.max_gen_toks(), origin);
      results.tasks.push_back(std::move(group));
    }
    results.seconds = seconds_since(start);
    if (!options.results_file.empty())
      write_file_atomically(options.results_file, results_json(results, model, options).dump(2) + "\n");
    if (options.task_finished) options.task_finished(results);
  }
  return results;
}

GoldRequests gold_requests(const Model& model, const Tokenizer& tokenizer, const EvalOptions& options) {
  if (options.limit < 0) throw_bad_input("limit must not be negative");
  GoldRequests gold;
  for (const auto& name : options.tasks) {
    const TaskSpec spec = find_task(name);
    const std::vector<TaskData> data =
        load_task_data(spec, options.data, options.num_fewshot.value_or(spec.num_fewshot));
    const TaskRunner runner(model, tokenizer, spec, options);
    for (const auto& d : data) {
      const int64_t n = documents_to_run(options, d);
      for (auto& r : runner.gold_requests(d, n)) gold.requests.push_back(std::move(r));
      gold.documents += n;
    }
  }
  return gold;
}

nlohmann::json results_json(const EvalResults& results, const Model& model, const EvalOptions& options) {
  nlohmann::json out;
  out["results"] = nlohmann::json::object();
  auto put = [&](const TaskResult& t, const std::string& alias) {
    nlohmann::json r = {{"alias", alias}};
    for (const auto& [key, value] : t.metrics) r[key] = value;
    out["results"][t.name] = r;
    out["configs"][t.name] = t.config;
    out["n-shot"][t.name] = t.num_fewshot;
    out["n-samples"][t.name] = {{"original", t.available}, {"effective", t.samples}};
    out["task_seconds"][t.name] = t.seconds;
  };
  for (const auto& t : results.tasks) {
    put(t, t.name);
    if (t.subtasks.empty()) continue;
    out["groups"][t.name] = out["results"][t.name];
    for (const auto& s : t.subtasks) {
      put(s, " - " + s.name.substr(t.name.size() + 1));
      out["group_subtasks"][t.name].push_back(s.name);
    }
  }
  const nlohmann::json drop_lists = drop_lists_json(model.drops());
  out["config"] = {{"model", "llmdrop"},
                   {"model_args", "pretrained=" + model.checkpoint().dir.string()},
                   {"device", model.device().str()},
                   {"dtype", std::string(c10::toString(model.dtype()))},
                   {"batch_size", options.batch_size},
                   {"limit", options.limit > 0 ? nlohmann::json(options.limit) : nlohmann::json()}};
  out["config"].update(drop_lists);
  out["model_name"] = model.checkpoint().dir.string();
  out.update(drop_lists);
  out["date"] = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  out["total_evaluation_time_seconds"] = std::to_string(results.seconds);
  out["tasks_complete"] = nlohmann::json::array();
  out["tasks_incomplete"] = nlohmann::json::array();
  for (const auto& name : options.tasks) {
    const bool complete = std::any_of(results.tasks.begin(), results.tasks.end(),
                                      [&](const TaskResult& t) { return t.name == name; });
    out[complete ? "tasks_complete" : "tasks_incomplete"].push_back(name);
  }
  return out;
}

}  // namespace llmdrop
