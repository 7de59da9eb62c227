#!/usr/bin/env python3
"""The independent reference for `llmdrop eval` (run on the GPU machine; the self-test runs anywhere).

Reimplements, for the tasks of docs/evaluation.md, lm-evaluation-harness 0.4's request construction and
metrics the way its Hugging Face backend (HFLM) does them, and scores with transformers:
  - loglikelihood: HFLM._encode_pair (trailing whitespace of the context moves to the continuation; an empty
    context is [BOS]), model input (ctx + cont)[-(max_length + 1):][:-1], one request per forward (batch 1,
    no padding), log_softmax in float32, greedy check;
  - loglikelihood_rolling (wikitext): get_rolling_token_windows(prefix=BOS, context_len=1) made disjoint;
  - generate_until (gsm8k): left-padded batches, greedy model.generate, stop strings, regex filters
    strict-match / flexible-extract and exact_match with regexes_to_ignore and ignore_case.
Few-shot: mmlu first_n from dev (5 shots); gsm8k our SplitMix64 `random` sampler (seed 1234, train pool).

  python3 tools/eval_reference.py --model DIR --data-dir /work/shared/data/eval \\
      --data-dir /work/shared/data/lm_text --tasks arc_easy,wikitext --limit 100 --out ref.json
  python3 tools/eval_reference.py --self-test      # pure Python, no torch needed

Writes one JSON file (see OUTPUT in main()); float32 eager attention with TF32 off, max_length =
config.max_position_embeddings. Tokenizer (--tokenizer auto): AutoTokenizer.from_pretrained (what lm-eval
loads), checked against sentencepiece on plain probe texts; for a folder with only tokenizer.model,
transformers 5 builds a tokenizer without sentencepiece's dummy prefix, so LlamaTokenizer.from_pretrained and
LlamaTokenizer(vocab_file=tokenizer.model) are tried next (see HFTokenizer). The HF ids are scored; every
request is also encoded with sentencepiece and the requests whose ids differ are counted per task
("tokenizer_mismatches"). Note that HF's Llama tokenizer adds no "▁" to a text that already starts with a
space (sentencepiece does), so wikitext pages (" = Title = ...") differ in their first token; --tokenizer
sentencepiece scores sentencepiece's ids instead (then the HF ids only count the mismatches).
torch / transformers / sentencepiece are imported only when a model is scored.
"""
import argparse
import glob
import json
import math
import os
import re
import sys
import zlib

TASKS = ["arc_easy", "arc_challenge", "hellaswag", "piqa", "boolq", "winogrande", "openbookqa", "rte", "mmlu",
         "lambada_openai", "gsm8k", "wikitext"]
ACC_NORM_TASKS = {"arc_easy", "arc_challenge", "hellaswag", "piqa", "openbookqa"}
NUM_FEWSHOT = {"mmlu": 5, "gsm8k": 5}
TARGET_DELIMITER = " "
FEWSHOT_DELIMITER = "\n\n"
GSM8K_STOPS = ["Question:", "</s>", "<|im_end|>"]
GSM8K_MAX_GEN_TOKS = 256
GSM8K_STRICT = r"#### (\-?[0-9\.\,]+)"
GSM8K_FLEXIBLE = r"(-?[$0-9.,]{2,})|(-?[0-9]+)"
GSM8K_IGNORE = [",", "\\$", "(?s).*#### ", "\\.$"]
FEWSHOT_SEED = 1234
MASK64 = (1 << 64) - 1


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------- data files

def read_records(path):
    """A JSON Lines file, or a JSON array (detected from the first non-blank character)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def read_text(path):
    """UTF-8 text with no newline translation: docs/evaluation.md splits the raw file at "\\n"."""
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def find_task_dir(task, data_dirs):
    """The first data dir that has the task's folder (wikitext: also <dir>/wikitext-2-raw/wiki.test.raw)."""
    for d in data_dirs:
        if task == "wikitext":
            for rel in ("wikitext/wiki.test.raw", "wikitext/test.jsonl", "wikitext-2-raw/wiki.test.raw"):
                if os.path.isfile(os.path.join(d, rel)):
                    return d
        elif os.path.isdir(os.path.join(d, task)):
            return d
    return None


def only_file(folder):
    files = sorted(glob.glob(os.path.join(folder, "*.jsonl")) + glob.glob(os.path.join(folder, "*.json")))
    if len(files) != 1:
        raise SystemExit(f"{folder}: expected exactly one .jsonl/.json file, found {len(files)}")
    return files[0]


def task_files(task, d):
    """The evaluation files of `task` under data dir `d`, in reading order."""
    t = os.path.join(d, task)
    if task in ("arc_easy", "arc_challenge"):
        return [os.path.join(t, "test.jsonl")]
    if task == "hellaswag":
        files = sorted(glob.glob(os.path.join(t, "validation*.jsonl")))
        if not files:
            raise SystemExit(f"{t}: no validation*.jsonl")
        return files
    if task in ("piqa", "boolq", "rte"):
        return [os.path.join(t, "validation.jsonl")]
    if task in ("winogrande", "openbookqa"):
        return [only_file(t)]
    if task == "lambada_openai":
        return [os.path.join(t, "test.jsonl")]
    if task == "gsm8k":
        return [os.path.join(t, "test.jsonl")]
    raise ValueError(task)


def load_records(task, data_dirs):
    d = find_task_dir(task, data_dirs)
    if d is None:
        raise SystemExit(f"task {task}: no data dir has its folder (searched {data_dirs})")
    recs = []
    for path in task_files(task, d):
        recs.extend(read_records(path))
    if not recs:
        raise SystemExit(f"task {task}: no documents under {d}")
    return recs, d


def layout_of(task, rec, hf_key, shared_key):
    if hf_key == shared_key and hf_key in rec:
        return "same"
    if hf_key in rec:
        return "hf"
    if shared_key in rec:
        return "shared"
    raise SystemExit(f"task {task}: unknown record layout, fields {sorted(rec)}")


def limited(items, limit):
    return items if limit is None else items[:limit]


# ------------------------------------------------------------------------------------------ text processing

def hellaswag_preprocess(text):
    text = text.strip()
    text = text.replace(" [title]", ". ")
    text = re.sub("\\[.*?\\]", "", text)
    text = text.replace("  ", " ")
    return text


def wikitext_detokenizer(string):
    """lm-eval's wikitext_detokenizer, applied to the page text."""
    # contractions
    string = string.replace("s '", "s'")
    string = re.sub(r"/' [0-9]/", r"/'[0-9]/", string)
    # number separators
    string = string.replace(" @-@ ", "-")
    string = string.replace(" @,@ ", ",")
    string = string.replace(" @.@ ", ".")
    # punctuation
    string = string.replace(" : ", ": ")
    string = string.replace(" ; ", "; ")
    string = string.replace(" . ", ". ")
    string = string.replace(" ! ", "! ")
    string = string.replace(" ? ", "? ")
    string = string.replace(" , ", ", ")
    # double brackets
    string = re.sub(r"\(\s*([^\)]*?)\s*\)", r"(\1)", string)
    string = re.sub(r"\[\s*([^\]]*?)\s*\]", r"[\1]", string)
    string = re.sub(r"{\s*([^}]*?)\s*}", r"{\1}", string)
    string = re.sub(r"\"\s*([^\"]*?)\s*\"", r'"\1"', string)
    string = re.sub(r"'\s*([^']*?)\s*'", r"'\1'", string)
    # miscellaneous
    string = string.replace("= = = =", "====")
    string = string.replace("= = =", "===")
    string = string.replace("= =", "==")
    string = string.replace(" " + chr(176) + " ", chr(176))
    string = string.replace(" \n", "\n")
    string = string.replace("\n ", "\n")
    string = string.replace(" N ", " 1 ")
    string = string.replace(" 's", "'s")
    return string


def split_wikitext_pages(raw):
    """The raw file's pages as EleutherAI/wikitext_document_level makes them (split at level-1 headings;
    whitespace-only pages dropped, except the last, which is always kept)."""
    pages, cur = [], []
    for line in raw.split("\n"):
        r = line.replace("= = =", "===").replace("= =", "==").strip()
        if r.startswith("= ") and r.strip().endswith(" ="):
            page = "\n".join(cur)
            if page.strip():
                pages.append(page)
            cur = []
        cur.append(line)
    pages.append("\n".join(cur))
    return pages


def count_words(page):
    return len(re.split(r"\s+", page))


def count_bytes(page):
    return len(page.encode("utf-8"))


# ---------------------------------------------------------------------------------------------- few-shot

class SplitMix64:
    def __init__(self, state):
        self.state = state & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


def random_fewshot(seed, doc_index, n, k, exclude=None):
    """docs/evaluation.md's `random` sampler: k indices of a pool 0..n-1 (minus `exclude`), by a partial
    Fisher-Yates shuffle driven by SplitMix64 seeded with seed * 1000003 + doc_index."""
    rng = SplitMix64((seed * 1000003 + doc_index) & MASK64)
    pool = [i for i in range(n) if i != exclude]
    if k > len(pool):
        raise ValueError(f"few-shot pool of {len(pool)} is smaller than {k}")
    for j in range(k):
        r = j + rng.next() % (len(pool) - j)
        pool[j], pool[r] = pool[r], pool[j]
    return pool[:k]


# ------------------------------------------------------------------------------ tasks -> requests (strings)
# A multiple-choice item: {"doc_id", "subtask", "requests": [(context, continuation)], "choices", "gold",
# "multiple_input"}. acc_norm divides by len(choice) (code points), the choice without the delimiter.

def mc_item(doc_id, context, choices, gold, subtask=None):
    return {"doc_id": doc_id, "subtask": subtask, "choices": list(choices), "gold": int(gold),
            "requests": [(context, TARGET_DELIMITER + c) for c in choices], "multiple_input": False}


def build_mc(task, recs):
    items = []
    lay = None
    for i, r in enumerate(recs):
        if task in ("arc_easy", "arc_challenge"):
            lay = lay or layout_of(task, r, "question", "query")
            if lay == "hf":
                ctx = f"Question: {r['question']}\nAnswer:"
                choices = r["choices"]["text"]
                gold = r["choices"]["label"].index(r["answerKey"])
            else:
                ctx = f"{r['query']}\nAnswer:"
                choices, gold = r["choices"], r["gold"]
        elif task == "hellaswag":
            lay = lay or layout_of(task, r, "ctx_a", "query")
            if lay == "hf":
                ctx = hellaswag_preprocess(r["activity_label"] + ": " + r["ctx_a"] + " " + r["ctx_b"].capitalize())
                choices = [hellaswag_preprocess(e) for e in r["endings"]]
                gold = int(r["label"])
            else:
                ctx = hellaswag_preprocess(r["query"])
                choices = [hellaswag_preprocess(e) for e in r["choices"]]
                gold = int(r["gold"])
        elif task == "piqa":
            lay = lay or layout_of(task, r, "goal", "goal")
            ctx = f"Question: {r['goal']}\nAnswer:"
            choices, gold = [r["sol1"], r["sol2"]], r["label"]
        elif task == "boolq":
            lay = lay or layout_of(task, r, "passage", "query")
            if lay == "hf":
                ctx = f"{r['passage']}\nQuestion: {r['question']}?\nAnswer:"
                gold = int(r["label"])  # bool or 0/1
            else:
                q = r["query"]
                if q.startswith("Passage: "):
                    q = q[len("Passage: "):]
                ctx = q + "\nAnswer:"
                gold = int(r["gold"])
            choices = ["no", "yes"]
        elif task == "winogrande":
            lay = lay or layout_of(task, r, "sentence", "context_options")
            if lay == "hf":
                s = r["sentence"]
                blank = s.index("_")
                contexts = [s[:blank] + r["option1"], s[:blank] + r["option2"]]
                cont = s[blank + 1:].strip()
                gold = {"1": 0, "2": 1}[str(r["answer"])]
            else:
                contexts, cont, gold = r["context_options"], r["continuation"], int(r["gold"])
            items.append({"doc_id": i, "subtask": None, "choices": list(contexts), "gold": gold,
                          "requests": [(c, TARGET_DELIMITER + cont) for c in contexts], "multiple_input": True})
            continue
        elif task == "openbookqa":
            lay = lay or layout_of(task, r, "question_stem", "query")
            if lay == "hf":
                ctx = r["question_stem"]
                choices = r["choices"]["text"]
                gold = r["choices"]["label"].index(r["answerKey"].lstrip())
            else:
                ctx, choices, gold = r["query"], r["choices"], r["gold"]
        elif task == "rte":
            lay = lay or layout_of(task, r, "sentence1", "sentence1")
            ctx = f"{r['sentence1']}\nQuestion: {r['sentence2']} True or False?\nAnswer:"
            choices, gold = ["True", "False"], r["label"]
        else:
            raise ValueError(task)
        items.append(mc_item(i, ctx, choices, gold))
    return items, lay


def mmlu_fields(r):
    """(question, [4 choices], answer index) from either layout."""
    if "choices" in r:
        choices = list(r["choices"])
    elif "choice0" in r:
        choices = [r[f"choice{j}"] for j in range(4)]
    else:
        raise SystemExit(f"mmlu: unknown record layout, fields {sorted(r)}")
    a = r["answer"]
    if isinstance(a, str):
        a = "ABCD".index(a) if a in "ABCD" and len(a) == 1 else int(a)
    return r["question"], choices, int(a)


def mmlu_text(question, choices):
    return (f"{question.strip()}\nA. {choices[0]}\nB. {choices[1]}\nC. {choices[2]}\nD. {choices[3]}"
            "\nAnswer:")


def build_mmlu(data_dirs, limit):
    d = find_task_dir("mmlu", data_dirs)
    if d is None:
        raise SystemExit(f"task mmlu: no data dir has its folder (searched {data_dirs})")
    test_files = sorted(glob.glob(os.path.join(d, "mmlu", "test", "*_test.jsonl")))
    if not test_files:
        raise SystemExit(f"{d}/mmlu/test: no <subject>_test.jsonl")
    items, lay = [], None
    for tf in test_files:
        subject = os.path.basename(tf)[:-len("_test.jsonl")]
        dev = read_records(os.path.join(d, "mmlu", "dev", f"{subject}_dev.jsonl"))
        recs = read_records(tf)
        lay = lay or ("hf" if "choices" in recs[0] else "shared" if "choice0" in recs[0] else None)
        shots = []
        for ex in dev[:NUM_FEWSHOT["mmlu"]]:
            q, ch, a = mmlu_fields(ex)
            shots.append(mmlu_text(q, ch) + TARGET_DELIMITER + "ABCD"[a])
        description = ("The following are multiple choice questions (with answers) about "
                       f"{subject.replace('_', ' ')}.\n\n")
        prefix = description + FEWSHOT_DELIMITER.join(shots) + FEWSHOT_DELIMITER
        for i, r in enumerate(limited(recs, limit)):
            q, ch, a = mmlu_fields(r)
            items.append(mc_item(i, prefix + mmlu_text(q, ch), ["A", "B", "C", "D"], a, subtask=subject))
    return items, lay


def build_lambada(recs):
    out, lay = [], layout_of("lambada_openai", recs[0], "text", "context")
    for i, r in enumerate(recs):
        if lay == "hf":
            words = r["text"].split(" ")
            ctx, cont = " ".join(words[:-1]), " " + words[-1]
        else:
            ctx, cont = r["context"], " " + r["continuation"]
        out.append({"doc_id": i, "request": (ctx, cont)})
    return out, lay


def gsm8k_example(r):
    return f"Question: {r['question']}\nAnswer:" + TARGET_DELIMITER + r["answer"]


def build_gsm8k(data_dirs, limit, seed=FEWSHOT_SEED):
    recs, d = load_records("gsm8k", data_dirs)
    train = read_records(os.path.join(d, "gsm8k", "train.jsonl"))
    layout_of("gsm8k", recs[0], "question", "question")
    out = []
    for i, r in enumerate(limited(recs, limit)):
        shots = [train[j] for j in random_fewshot(seed, i, len(train), NUM_FEWSHOT["gsm8k"])]
        prompt = (FEWSHOT_DELIMITER.join(gsm8k_example(s) for s in shots) + FEWSHOT_DELIMITER
                  + f"Question: {r['question']}\nAnswer:")
        out.append({"doc_id": i, "prompt": prompt, "target": r["answer"]})
    return out, "same"


def load_wikitext_pages(data_dirs):
    d = find_task_dir("wikitext", data_dirs)
    if d is None:
        raise SystemExit(f"task wikitext: no wikitext/wiki.test.raw, wikitext/test.jsonl or "
                         f"wikitext-2-raw/wiki.test.raw under {data_dirs}")
    for rel, kind in (("wikitext/wiki.test.raw", "raw"), ("wikitext/test.jsonl", "hf"),
                      ("wikitext-2-raw/wiki.test.raw", "raw")):
        p = os.path.join(d, rel)
        if os.path.isfile(p):
            if kind == "raw":
                return split_wikitext_pages(read_text(p)), "shared"
            recs = read_records(p)
            if "page" not in recs[0]:
                raise SystemExit(f"{p}: unknown record layout, fields {sorted(recs[0])}")
            return [r["page"] for r in recs], "hf"
    raise AssertionError


# ---------------------------------------------------------------------------------- requests -> token ids

def encode_pair(encode, context, continuation):
    """HFLM._encode_pair: trailing whitespace (str.rstrip) of the context moves to the continuation;
    cont = encode(context + continuation)[len(encode(context)):]."""
    n_spaces = len(context) - len(context.rstrip())
    if n_spaces > 0:
        continuation = context[-n_spaces:] + continuation
        context = context[:-n_spaces]
    whole = encode(context + continuation)
    ctx = encode(context)
    return ctx, whole[len(ctx):]


def encode_request(encode, bos_id, context, continuation):
    """HFLM.loglikelihood: an empty context is [BOS] and the continuation is encoded alone."""
    if context == "":
        return [bos_id], encode(continuation)
    return encode_pair(encode, context, continuation)


def model_input(ctx, cont, max_length):
    """_loglikelihood_tokens' input; the last len(cont) positions of its logits predict cont."""
    assert len(ctx) > 0 and len(cont) > 0 and len(cont) <= max_length, (len(ctx), len(cont), max_length)
    return (ctx + cont)[-(max_length + 1):][:-1]


def get_rolling_token_windows(token_list, prefix_token, max_seq_len, context_len):
    assert 1 <= context_len <= max_seq_len
    if not token_list:
        return
    pred_len = max_seq_len - context_len + 1
    predicted = 0
    first_seq_len = min(max_seq_len, len(token_list))
    yield [prefix_token] + token_list[:first_seq_len - 1], token_list[:first_seq_len]
    predicted += first_seq_len
    while predicted < len(token_list):
        window_pred_len = min(len(token_list) - predicted, pred_len)
        window_end = predicted + window_pred_len
        yield (token_list[window_end - max_seq_len - 1:window_end - 1],
               token_list[window_end - window_pred_len:window_end])
        predicted += window_pred_len


def make_disjoint_window(pair):
    a, b = pair
    return a[:len(a) - (len(b) - 1)], b


def rolling_windows(tokens, prefix_token, max_length):
    """HFLM.loglikelihood_rolling's (context, continuation) token windows."""
    return [make_disjoint_window(w) for w in get_rolling_token_windows(tokens, prefix_token, max_length, 1)]


def truncate_prompt(ids, max_length, max_gen_toks):
    max_ctx_len = max_length - max_gen_toks
    if max_ctx_len <= 0:
        raise SystemExit(f"gsm8k: max_length {max_length} leaves no room for the prompt with "
                         f"{max_gen_toks} generated tokens (use --gsm8k-max-gen-toks)")
    return ids[-max_ctx_len:]


# --------------------------------------------------------------------------------------------- metrics

def cut_at_stops(text, stops):
    """generate_until: the continuation up to the first occurrence of any stop string."""
    for term in stops:
        if term:
            text = text.split(term)[0]
    return text


def regex_filter(resp, pattern, group_select=0, fallback="[invalid]"):
    """lm-eval's RegexFilter followed by take_first, for one response."""
    match = re.compile(pattern).findall(resp)
    if not match:
        return fallback
    match = match[group_select]
    if isinstance(match, tuple):
        match = [m for m in match if m]
        if not match:
            return fallback
        match = match[0]
    return match.strip()


def exact_match(prediction, reference, regexes_to_ignore=GSM8K_IGNORE, ignore_case=True):
    for s in regexes_to_ignore:
        prediction = re.sub(s, "", prediction)
        reference = re.sub(s, "", reference)
    if ignore_case:
        prediction, reference = prediction.lower(), reference.lower()
    return int(prediction == reference)


def argmax(xs):
    best = 0
    for i, x in enumerate(xs):
        if x > xs[best]:
            best = i
    return best


def mean(xs):
    return sum(xs) / len(xs)


def mean_stderr(xs):
    """Sample standard deviation / sqrt(n); None for n < 2."""
    n = len(xs)
    if n < 2:
        return None
    mu = mean(xs)
    return math.sqrt(sum((x - mu) ** 2 for x in xs) / (n - 1)) / math.sqrt(n)


def json_safe(x):
    """Non-finite floats (a -inf log-probability) become null, so that the output stays valid JSON."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {k: json_safe(v) for k, v in x.items()}
    if isinstance(x, list):
        return [json_safe(v) for v in x]
    return x


def safe_exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return None


# ------------------------------------------------------------------------------------------ evaluation
# `tok`: .encode(text) -> ids (no special tokens), .decode(ids) -> text, .bos_id, .eos_id.
# `sp`: None or a second tokenizer (.encode; sentencepiece by default) whose ids only count the mismatches.
# `scorer`: .max_length, .score(inp, cont) -> (ll, is_greedy), .generate(prompts, max_gen_toks) -> [text].

def run_mc(task, items, tok, sp, scorer):
    docs, mism = [], 0
    for n, it in enumerate(items):
        encs = [encode_request(tok.encode, tok.bos_id, c, k) for c, k in it["requests"]]
        if sp is not None:
            mism += sum(encode_request(sp.encode, tok.bos_id, c, k) != e for (c, k), e in zip(it["requests"], encs))
        res = [scorer.score(model_input(c, k, scorer.max_length), k) for c, k in encs]
        lls = [r[0] for r in res]
        pred_norm = None
        if task in ACC_NORM_TASKS:
            pred_norm = argmax([ll / len(ch) for ll, ch in zip(lls, it["choices"])])
        d = {"doc_id": it["doc_id"]}
        if it["subtask"] is not None:
            d["subtask"] = it["subtask"]
        ctx_tokens = [len(c) for c, _ in encs]
        d.update({"lls": lls, "is_greedy": [r[1] for r in res], "pred": argmax(lls), "pred_norm": pred_norm,
                  "gold": it["gold"], "ctx_tokens": ctx_tokens if it["multiple_input"] else ctx_tokens[0],
                  "cont_tokens": [len(k) for _, k in encs]})
        docs.append(d)
        if (n + 1) % 200 == 0:
            log(f"  {task}: {n + 1}/{len(items)}")
    acc = [float(d["pred"] == d["gold"]) for d in docs]
    metrics = {"acc": mean(acc), "acc_stderr": mean_stderr(acc)}
    if task in ACC_NORM_TASKS:
        accn = [float(d["pred_norm"] == d["gold"]) for d in docs]
        metrics.update({"acc_norm": mean(accn), "acc_norm_stderr": mean_stderr(accn)})
    out = {"num_fewshot": NUM_FEWSHOT.get(task, 0), "n": len(docs), "tokenizer_mismatches": mism,
           "metrics": metrics}
    if task == "mmlu":
        subs = {}
        for d in docs:
            subs.setdefault(d["subtask"], []).append(float(d["pred"] == d["gold"]))
        out["subtasks"] = {s: {"acc": mean(v), "n": len(v)} for s, v in subs.items()}
    out["docs"] = docs
    return out


def run_lambada(items, tok, sp, scorer):
    docs, mism = [], 0
    for it in items:
        c, k = it["request"]
        ctx, cont = encode_request(tok.encode, tok.bos_id, c, k)
        if sp is not None:
            mism += encode_request(sp.encode, tok.bos_id, c, k) != (ctx, cont)
        ll, greedy = scorer.score(model_input(ctx, cont, scorer.max_length), cont)
        docs.append({"doc_id": it["doc_id"], "ll": ll, "is_greedy": greedy})
    acc = [float(d["is_greedy"]) for d in docs]
    metrics = {"acc": mean(acc), "perplexity": safe_exp(-mean([d["ll"] for d in docs]))}
    return {"num_fewshot": 0, "n": len(docs), "tokenizer_mismatches": mism, "metrics": metrics, "docs": docs}


def run_wikitext(pages, tok, sp, scorer):
    docs, mism = [], 0
    for i, page in enumerate(pages):
        text = wikitext_detokenizer(page)
        tokens = tok.encode(text)
        if sp is not None:
            mism += sp.encode(text) != tokens
        ll = 0.0
        for ctx, cont in rolling_windows(tokens, tok.bos_id, scorer.max_length):
            ll += scorer.score(model_input(ctx, cont, scorer.max_length), cont)[0]
        docs.append({"doc_id": i, "ll": ll, "words": count_words(page), "bytes": count_bytes(page),
                     "tokens": len(tokens)})
    sll = sum(d["ll"] for d in docs)
    words = sum(d["words"] for d in docs)
    nbytes = sum(d["bytes"] for d in docs)
    metrics = {"word_perplexity": safe_exp(-sll / words), "byte_perplexity": safe_exp(-sll / nbytes),
               "bits_per_byte": -sll / (nbytes * math.log(2))}
    return {"num_fewshot": 0, "n": len(docs), "tokenizer_mismatches": mism, "metrics": metrics, "docs": docs}


def gsm8k_score(response, target):
    strict = regex_filter(response, GSM8K_STRICT)
    flexible = regex_filter(response, GSM8K_FLEXIBLE, group_select=-1)
    return {"strict": strict, "flexible": flexible, "exact_strict": exact_match(strict, target),
            "exact_flexible": exact_match(flexible, target)}


def run_gsm8k(items, tok, sp, scorer, max_gen_toks):
    mism, prompts = 0, []
    for it in items:
        ids = tok.encode(it["prompt"])
        if sp is not None:
            mism += sp.encode(it["prompt"]) != ids
        prompts.append(truncate_prompt(ids, scorer.max_length, max_gen_toks))
    raw = scorer.generate(prompts, max_gen_toks)
    docs = []
    for it, text in zip(items, raw):
        resp = cut_at_stops(text, GSM8K_STOPS)
        d = {"doc_id": it["doc_id"], "response": resp}
        s = gsm8k_score(resp, it["target"])
        d.update({"strict": s["strict"], "flexible": s["flexible"], "target": it["target"],
                  "exact_strict": s["exact_strict"], "exact_flexible": s["exact_flexible"]})
        docs.append(d)
    metrics = {"exact_match_strict": mean([d["exact_strict"] for d in docs]),
               "exact_match_flexible": mean([d["exact_flexible"] for d in docs])}
    return {"num_fewshot": NUM_FEWSHOT["gsm8k"], "n": len(docs), "tokenizer_mismatches": mism,
            "metrics": metrics, "docs": docs}


def evaluate(tasks, data_dirs, tok, sp, scorer, limit=None, mmlu_limit=None, gsm8k_limit=None,
             gsm8k_max_gen_toks=GSM8K_MAX_GEN_TOKS):
    """{"<task>": result} for the named tasks; the record layout of each is logged."""
    results = {}
    for task in tasks:
        if task == "mmlu":
            items, lay = build_mmlu(data_dirs, mmlu_limit if mmlu_limit is not None else limit)
            log(f"{task}: {len(items)} docs ({lay} layout)")
            results[task] = run_mc(task, items, tok, sp, scorer)
        elif task == "gsm8k":
            items, lay = build_gsm8k(data_dirs, gsm8k_limit if gsm8k_limit is not None else limit)
            log(f"{task}: {len(items)} docs")
            results[task] = run_gsm8k(items, tok, sp, scorer, gsm8k_max_gen_toks)
        elif task == "wikitext":
            pages, lay = load_wikitext_pages(data_dirs)
            pages = limited(pages, limit)
            log(f"{task}: {len(pages)} pages ({lay} layout)")
            results[task] = run_wikitext(pages, tok, sp, scorer)
        elif task == "lambada_openai":
            recs, _ = load_records(task, data_dirs)
            items, lay = build_lambada(limited(recs, limit))
            log(f"{task}: {len(items)} docs ({lay} layout)")
            results[task] = run_lambada(items, tok, sp, scorer)
        elif task in TASKS:
            recs, _ = load_records(task, data_dirs)
            items, lay = build_mc(task, limited(recs, limit))
            log(f"{task}: {len(items)} docs ({lay} layout)")
            results[task] = run_mc(task, items, tok, sp, scorer)
        else:
            raise SystemExit(f"unknown task {task} (known: {', '.join(TASKS)})")
    return results


# ------------------------------------------------------------------------------- transformers side (lazy)

# Plain texts (no leading whitespace, where Hugging Face's Metaspace "first" and sentencepiece's dummy prefix
# legitimately differ) on which any correctly loaded Llama-style tokenizer agrees with sentencepiece.
TOKENIZER_PROBES = ["Hello world", "Question: What is 2 + 2?\nAnswer: 4", "The end."]


class HFTokenizer:
    """The model's tokenizer as lm-eval loads it: AutoTokenizer.from_pretrained(model_dir). It is rejected
    when it encodes the probe texts differently from sentencepiece (transformers 5 turns a folder that has
    only tokenizer.model into a generic TokenizersBackend without the dummy-prefix "▁", and
    LlamaTokenizer(vocab_file=...) into one that encodes everything to []); then LlamaTokenizer.from_pretrained,
    then LlamaTokenizer(vocab_file=...) are tried. The first acceptable one is used."""

    def __init__(self, model_dir, config, sp=None, only=None):
        import transformers
        loaders = [("AutoTokenizer", lambda: transformers.AutoTokenizer.from_pretrained(model_dir)),
                   ("LlamaTokenizer.from_pretrained", lambda: transformers.LlamaTokenizer.from_pretrained(model_dir)),
                   ("LlamaTokenizer(vocab_file)",
                    lambda: transformers.LlamaTokenizer(vocab_file=os.path.join(model_dir, "tokenizer.model")))]
        if only == "llama":
            loaders = loaders[1:]
        self.tok = None
        for name, load in loaders:
            try:
                tok = load()
            except Exception as e:  # noqa: BLE001 - any loading failure falls back
                log(f"tokenizer: {name} failed ({type(e).__name__}: {e})")
                continue
            bad = [t for t in TOKENIZER_PROBES if not tok.encode(t, add_special_tokens=False)
                   or (sp is not None and list(tok.encode(t, add_special_tokens=False)) != sp.encode(t))]
            if bad:
                log(f"tokenizer: {name} ({type(tok).__name__}) rejected: {bad[0]!r} -> "
                    f"{tok.convert_ids_to_tokens(tok.encode(bad[0], add_special_tokens=False))}"
                    + (f", sentencepiece {sp.pieces(bad[0])}" if sp is not None else ""))
                continue
            self.tok, self.kind = tok, f"{name} ({type(tok).__name__})"
            break
        if self.tok is None:
            raise SystemExit("tokenizer: no transformers tokenizer of this model agrees with sentencepiece on "
                             "plain text; use --tokenizer sentencepiece")
        self.bos_id = self.tok.bos_token_id if self.tok.bos_token_id is not None else config.bos_token_id
        self.eos_id = self.tok.eos_token_id if self.tok.eos_token_id is not None else config.eos_token_id
        for name in ("pad_token_id", "unk_token_id"):
            if getattr(self.tok, name, None) is not None:
                self.pad_id = getattr(self.tok, name)
                break
        else:
            self.pad_id = self.eos_id

    def encode(self, text):
        return list(self.tok.encode(text, add_special_tokens=False))

    def decode(self, ids):
        return self.tok.decode(ids, skip_special_tokens=True)


class SPTokenizer:
    """sentencepiece, encoding without BOS/EOS; as the scoring tokenizer (--tokenizer sentencepiece) it
    decodes with control tokens dropped, and takes BOS/EOS/pad from the model."""

    def __init__(self, path, config=None):
        import sentencepiece as spm
        self.sp = spm.SentencePieceProcessor(model_file=path)
        self.kind = f"sentencepiece ({path})"
        bos, eos, unk = self.sp.bos_id(), self.sp.eos_id(), self.sp.unk_id()
        self.bos_id = config.bos_token_id if config is not None and config.bos_token_id is not None else bos
        self.eos_id = config.eos_token_id if config is not None and config.eos_token_id is not None else eos
        self.pad_id = unk if unk >= 0 else self.eos_id

    def encode(self, text):
        return list(self.sp.encode(text))

    def pieces(self, text):
        return self.sp.encode(text, out_type=str)

    def decode(self, ids):
        return self.sp.decode([i for i in ids if not self.sp.is_control(i)])


class TorchScorer:
    def __init__(self, model_dir, device, tok, gsm8k_batch):
        import torch
        from transformers import AutoModelForCausalLM
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.set_float32_matmul_precision("highest")
        self.torch = torch
        self.device = torch.device(device)
        self.model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32,
                                                          attn_implementation="eager").to(self.device).eval()
        self.max_length = int(self.model.config.max_position_embeddings)
        self.tok = tok
        self.gsm8k_batch = gsm8k_batch

    def score(self, inp, cont):
        torch = self.torch
        with torch.no_grad():
            x = torch.tensor([inp], dtype=torch.long, device=self.device)
            logits = torch.nn.functional.log_softmax(self.model(x).logits.float(), dim=-1)[0]
            logits = logits[len(inp) - len(cont):len(inp)]
            c = torch.tensor(cont, dtype=torch.long, device=self.device)
            greedy = bool((logits.argmax(dim=-1) == c).all())
            ll = float(torch.gather(logits, 1, c.unsqueeze(-1)).squeeze(-1).sum())
        return ll, greedy

    def generate(self, prompts, max_gen_toks):
        """Greedy continuations (decoded, not yet cut at the stop strings), in the order of `prompts`;
        batches of --gsm8k-batch, longest prompts first, left padding with an attention mask."""
        torch = self.torch
        from transformers import StoppingCriteria, StoppingCriteriaList
        tok = self.tok

        class StopStrings(StoppingCriteria):
            def __init__(self, prompt_len):
                self.prompt_len = prompt_len

            def __call__(self, input_ids, scores, **kwargs):
                done = [any(s in tok.decode(row[self.prompt_len:].tolist()) for s in GSM8K_STOPS)
                        for row in input_ids]
                return torch.tensor(done, dtype=torch.bool, device=input_ids.device)

        order = sorted(range(len(prompts)), key=lambda i: (-len(prompts[i]), i))
        out = [None] * len(prompts)
        for b in range(0, len(order), self.gsm8k_batch):
            idx = order[b:b + self.gsm8k_batch]
            width = max(len(prompts[i]) for i in idx)
            ids = [[tok.pad_id] * (width - len(prompts[i])) + prompts[i] for i in idx]
            mask = [[0] * (width - len(prompts[i])) + [1] * len(prompts[i]) for i in idx]
            with torch.no_grad():
                gen = self.model.generate(
                    input_ids=torch.tensor(ids, device=self.device),
                    attention_mask=torch.tensor(mask, device=self.device),
                    do_sample=False, max_new_tokens=max_gen_toks, eos_token_id=tok.eos_id, pad_token_id=tok.pad_id,
                    stopping_criteria=StoppingCriteriaList([StopStrings(width)]), temperature=None, top_p=None,
                    top_k=None)
            for row, i in enumerate(idx):
                out[i] = tok.decode(gen[row, width:].tolist())
            log(f"  gsm8k: {min(b + self.gsm8k_batch, len(order))}/{len(order)}")
        return out


# ------------------------------------------------------------------------------------------- self-test

class FakeTokenizer:
    """A sentencepiece-like word tokenizer: a dummy-prefix "▁", spaces become "▁" and start a piece,
    "\\n" is its own piece. Ids are stable hashes of the pieces."""

    def __init__(self, salt=""):
        self.salt = salt
        self.pieces = {}
        self.bos_id, self.eos_id, self.pad_id = 1, 2, 0

    def encode(self, text):
        if not text:
            return []
        s = "▁" + text.replace(" ", "▁")
        pieces = re.findall(r"\n|▁*[^▁\n]*", s)
        ids = []
        for p in pieces:
            if not p:
                continue
            i = 3 + zlib.crc32((self.salt + p).encode("utf-8")) % 100000
            self.pieces[i] = p
            ids.append(i)
        return ids

    def decode(self, ids):
        text = "".join(self.pieces.get(i, "") for i in ids).replace("▁", " ")
        return text[1:] if text.startswith(" ") else text


class FakeScorer:
    """Deterministic stand-in for the model: each token's log-probability depends on the three tokens before
    it in the model input, so any change in the input window changes the result."""

    def __init__(self, max_length=64):
        self.max_length = max_length

    def score(self, inp, cont):
        assert len(inp) <= self.max_length
        ll, greedy = 0.0, True
        start = len(inp) - len(cont)
        for j, t in enumerate(cont):
            h = zlib.crc32(json.dumps(inp[max(0, start + j - 2):start + j + 1] + [t]).encode())
            ll -= (h % 997) / 100.0 + 0.01
            greedy = greedy and h % 3 == 0
        return ll, greedy

    def generate(self, prompts, max_gen_toks):
        out = []
        for p in prompts:
            n = zlib.crc32(json.dumps(p).encode()) % 50
            out.append(f" She has {n} + 2 = <<{n}+2={n + 2}>>{n + 2} apples.\n#### {n + 2}\n\nQuestion: more")
        return out


def self_test():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    checks = 0

    def check(cond, what):
        nonlocal checks
        if not cond:
            raise SystemExit(f"self-test FAILED: {what}")
        checks += 1

    tok = FakeTokenizer()

    # _encode_pair: trailing whitespace moves to the continuation; cont = whole[len(ctx):]
    ctx, cont = encode_pair(tok.encode, "Question: x\nAnswer: ", "yes")
    check(ctx == tok.encode("Question: x\nAnswer:") and cont == tok.encode("Question: x\nAnswer: yes")[len(ctx):],
          "encode_pair trailing space")
    check([tok.pieces[i] for i in cont] == ["▁yes"], "trailing space moved into the continuation piece")
    ctx, cont = encode_pair(tok.encode, "Passage\n\n", " Answer")
    check([tok.pieces[i] for i in cont] == ["\n", "\n", "▁Answer"], "trailing newlines move too (rstrip)")
    check(encode_request(tok.encode, 1, "", " word") == ([1], tok.encode(" word")), "empty context -> [BOS]")
    # model input: (ctx + cont)[-(max_length+1):][:-1]
    check(model_input([1, 2, 3], [4, 5], 10) == [1, 2, 3, 4], "model input")
    check(model_input([1, 2, 3, 4, 5, 6], [7, 8], 4) == [4, 5, 6, 7], "model input, left-truncated")

    # rolling windows, worked by hand: tokens 10..19, max_length 4, BOS 1
    toks = list(range(10, 20))
    w = rolling_windows(toks, 1, 4)
    check(w == [([1], [10, 11, 12, 13]), ([13], [14, 15, 16, 17]), ([15, 16, 17], [18, 19])],
          f"rolling windows {w}")
    check([model_input(c, k, 4) for c, k in w] == [[1, 10, 11, 12], [13, 14, 15, 16], [15, 16, 17, 18]],
          "rolling window inputs")
    check(rolling_windows([7], 1, 4) == [([1], [7])] and rolling_windows([], 1, 4) == [], "short rolling")
    w = rolling_windows(list(range(10, 19)), 1, 3)  # 9 tokens, max 3: 3 full windows
    check(w == [([1], [10, 11, 12]), ([12], [13, 14, 15]), ([15], [16, 17, 18])], f"rolling windows 3: {w}")

    # hellaswag preprocess
    check(hellaswag_preprocess(" Home: [header] How to x [title] Open the  lid. ") == "Home: How to x. Open the lid.",
          "hellaswag preprocess")
    check("then the Man".capitalize() == "Then the man", "capitalize lowers the rest")

    # wikitext detokenizer
    page = (' = Title = \n \n The 1 @,@ 000 @-@ year " old " tree ( see [ 2 ] ) is n\'t 3 @.@ 5 m , '
            "it 's at 5 ° N . \n = = Sec = = \n")
    det = wikitext_detokenizer(page)
    check(det == ' = Title =\n\nThe 1,000-year "old" tree (see [2]) is n\'t 3.5 m, it\'s at 5°N.\n== Sec ==\n',
          f"detokenizer: {det!r}")
    check(count_words(" a  b\nc ") == 5 and count_bytes("é—") == 5, "word/byte counts")

    # page splitting
    raw = " \n = A = \n \n x \n = = B = = \n y \n = C = \n \n z \n"
    pages = split_wikitext_pages(raw)
    check(pages == [" = A = \n \n x \n = = B = = \n y ", " = C = \n \n z \n"], f"pages {pages}")
    wiki = "/work/shared/data/lm_text/wikitext-2-raw/wiki.test.raw"
    if os.path.isfile(wiki):
        n = len(split_wikitext_pages(read_text(wiki)))
        check(n == 62, f"wikitext-2 test pages: {n}, expected 62")
        log(f"wikitext-2-raw test: {n} pages")

    # gsm8k filters and exact_match
    resp = " Janet has 16 - 3 = <<16-3=13>>13 eggs, so $26.\n#### 1,026.\n"
    check(regex_filter(resp, GSM8K_STRICT) == "1,026.", "strict match")
    check(regex_filter(resp, GSM8K_FLEXIBLE, -1) == "1,026.", "flexible match")
    check(regex_filter("no number here", GSM8K_STRICT) == "[invalid]", "strict fallback")
    check(regex_filter("It costs $5 then 7", GSM8K_FLEXIBLE, -1) == "7", "flexible: last, single digit group")
    check(regex_filter("It costs 7 then $5", GSM8K_FLEXIBLE, -1) == "$5", "flexible: last, first group")
    check(regex_filter("answer -3", GSM8K_FLEXIBLE, -1) == "-3", "flexible: negative")
    target = "She pays 2 * 513 = <<2*513=1026>>1026.\n#### 1026"
    check(exact_match("1,026.", target) == 1, "exact match with , and final .")
    check(exact_match("$1026", target) == 1 and exact_match("1026.0", target) == 0, "exact match $ / 1026.0")
    check(exact_match("[invalid]", target) == 0, "exact match invalid")
    check(exact_match("ABC", "x\n#### abc") == 1, "exact match ignore case")
    check(cut_at_stops(" 5\n#### 5\n\nQuestion: q</s>", GSM8K_STOPS) == " 5\n#### 5\n\n", "cut at stops")
    check(cut_at_stops(" a</s>b Question: c", GSM8K_STOPS) == " a", "cut at the first stop of any kind")

    # SplitMix64 (reference outputs for state 0) and the sampler
    r = SplitMix64(0)
    check([r.next() for _ in range(3)] == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F],
          "splitmix64 state 0")
    s = random_fewshot(1234, 0, 7473, 5)
    check(len(set(s)) == 5 and all(0 <= x < 7473 for x in s), "sampler picks 5 distinct")
    check(s == random_fewshot(1234, 0, 7473, 5) and s != random_fewshot(1234, 1, 7473, 5), "sampler per doc")
    check(3 not in random_fewshot(1234, 3, 6, 5, exclude=3), "sampler excludes the document")
    # hand-computed: seed 1234, doc 0, pool of 10, k = 3
    g = SplitMix64(1234 * 1000003)
    pool = list(range(10))
    for j in range(3):
        rr = j + g.next() % (10 - j)
        pool[j], pool[rr] = pool[rr], pool[j]
    check(random_fewshot(1234, 0, 10, 3) == pool[:3], "sampler = partial Fisher-Yates")
    big = 2 ** 63 + 12345  # seed * 1000003 overflows 64 bits: the state is taken mod 2^64
    g = SplitMix64((big * 1000003 + 7) % 2 ** 64)
    pool = list(range(100))
    for j in range(4):
        rr = j + g.next() % (100 - j)
        pool[j], pool[rr] = pool[rr], pool[j]
    check(random_fewshot(big, 7, 100, 4) == pool[:4] and g.state < 2 ** 64, "sampler state mod 2^64")
    log("sampler seed 1234, pool 7473, k 5: doc 0 -> %s, doc 1 -> %s, doc 1318 -> %s" % (
        random_fewshot(1234, 0, 7473, 5), random_fewshot(1234, 1, 7473, 5), random_fewshot(1234, 1318, 7473, 5)))

    # prompts
    items, _ = build_mc("boolq", [{"query": "Passage: P.\nQuestion: is it?", "choices": ["no", "yes"], "gold": 1}])
    check(items[0]["requests"] == [("P.\nQuestion: is it?\nAnswer:", " no"), ("P.\nQuestion: is it?\nAnswer:", " yes")],
          "boolq shared prompt")
    items, _ = build_mc("winogrande", [{"sentence": "A met B so _ left early.", "option1": "A", "option2": "B",
                                         "answer": "2"}])
    check(items[0]["requests"] == [("A met B so A", " left early."), ("A met B so B", " left early.")]
          and items[0]["gold"] == 1, "winogrande multiple input")

    # end to end on tests/data/eval: both layouts give identical results
    shared = os.path.join(root, "tests", "data", "eval", "shared")
    hf = os.path.join(root, "tests", "data", "eval", "hf")
    if os.path.isdir(shared) and os.path.isdir(hf):
        scorer = FakeScorer(max_length=48)  # small, so that truncation and several rolling windows happen
        a = evaluate(TASKS, [shared], tok, FakeTokenizer(), scorer, gsm8k_max_gen_toks=8)
        b = evaluate(TASKS, [hf], tok, FakeTokenizer(), scorer, gsm8k_max_gen_toks=8)
        for t in TASKS:
            check(a[t] == b[t], f"{t}: shared and hf layouts differ")
            check(a[t]["tokenizer_mismatches"] == 0, f"{t}: mismatches with the same tokenizer")
        other = evaluate(["arc_easy"], [shared], tok, FakeTokenizer(salt="x"), scorer)
        check(other["arc_easy"]["tokenizer_mismatches"] == 4 * other["arc_easy"]["n"], "mismatch counting")
        check(a["mmlu"]["n"] == 12 and sorted(a["mmlu"]["subtasks"]) == sorted({d["subtask"] for d in a["mmlu"]["docs"]}),
              "mmlu subtasks")
        check(a["wikitext"]["n"] == 3, f"wikitext test pages {a['wikitext']['n']}")
        check(all(d["exact_strict"] in (0, 1) for d in a["gsm8k"]["docs"]), "gsm8k docs")
        json.dumps(a, allow_nan=False)
        check(json_safe({"a": [1.5, float("-inf")], "b": float("nan")}) == {"a": [1.5, None], "b": None}, "json_safe")
        log("tests/data/eval: shared and hf layouts agree on " + ", ".join(f"{t} ({a[t]['n']})" for t in TASKS))
    # the real evaluation data, when present: every layout is recognised and requests build
    real = "/work/shared/data/eval"
    if os.path.isdir(real):
        res = evaluate(TASKS, [real, "/work/shared/data/lm_text"], tok, None, FakeScorer(max_length=2048),
                       limit=3, gsm8k_max_gen_toks=8)
        check(all(res[t]["n"] == (3 * 57 if t == "mmlu" else 3) for t in TASKS), "real data loads")
        items, _ = build_mc("hellaswag", read_records(glob.glob(real + "/hellaswag/validation.part1-of-3.jsonl")[0])[:1])
        check(items[0]["requests"][0][0] == "Roof shingle removal: A man is sitting on a roof. he", "real hellaswag")
        log("real data under /work/shared/data: all tasks load")
    print(f"self-test passed ({checks} checks)")


# ------------------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="Hugging Face model dir (config.json, weights, tokenizer.model)")
    ap.add_argument("--data-dir", action="append", default=[], help="repeatable; the first with the task wins")
    ap.add_argument("--tasks", default=",".join(TASKS), help="comma-separated (default: all)")
    ap.add_argument("--limit", type=int, help="first N documents (mmlu: of every subject)")
    ap.add_argument("--mmlu-limit", type=int, help="overrides --limit for mmlu")
    ap.add_argument("--gsm8k-limit", type=int, help="overrides --limit for gsm8k")
    ap.add_argument("--gsm8k-batch", type=int, default=32)
    ap.add_argument("--gsm8k-max-gen-toks", type=int, default=GSM8K_MAX_GEN_TOKS,
                    help="lm-eval's max_gen_toks (256); only lower it for models with a tiny max_length")
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    ap.add_argument("--tokenizer", default="auto", choices=["auto", "llama", "sentencepiece"],
                    help="auto: AutoTokenizer as lm-eval (checked, with LlamaTokenizer fallbacks); llama: "
                         "LlamaTokenizer.from_pretrained; sentencepiece: score with sentencepiece's ids")
    ap.add_argument("--out", help="output JSON file")
    ap.add_argument("--self-test", action="store_true", help="pure-Python checks with a fake tokenizer")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.model or not args.data_dir or not args.out:
        ap.error("--model, --data-dir and --out are required")
    tasks = [t for t in args.tasks.split(",") if t]
    for t in tasks:
        if t not in TASKS:
            ap.error(f"unknown task {t} (known: {', '.join(TASKS)})")

    import torch
    import transformers
    config = transformers.AutoConfig.from_pretrained(args.model)
    sp_path = os.path.join(args.model, "tokenizer.model")
    sp = SPTokenizer(sp_path, config) if os.path.isfile(sp_path) else None
    if sp is None:
        if args.tokenizer == "sentencepiece":
            ap.error(f"--tokenizer sentencepiece: no {sp_path}")
        log("no tokenizer.model: tokenizer_mismatches are not counted")
    try:
        hf = HFTokenizer(args.model, config, sp, only=args.tokenizer if args.tokenizer == "llama" else None)
    except SystemExit as e:
        if args.tokenizer != "sentencepiece":
            raise
        log(f"{e}; mismatches are not counted")
        hf = None
    # the scoring tokenizer, and the other one, whose ids only count the mismatches
    tok, other = (sp, hf) if args.tokenizer == "sentencepiece" else (hf, sp)
    log(f"tokenizer: {tok.kind} scores, bos {tok.bos_id}, eos {tok.eos_id}, pad {tok.pad_id}; mismatches "
        f"counted against {other.kind if other is not None else 'nothing'}")
    scorer = TorchScorer(args.model, args.device, tok, args.gsm8k_batch)
    log(f"model {args.model}: max_length {scorer.max_length}, float32 eager on {args.device}")
    results = evaluate(tasks, args.data_dir, tok, other, scorer, args.limit, args.mmlu_limit, args.gsm8k_limit,
                       args.gsm8k_max_gen_toks)
    # OUTPUT: {"generator", "torch", "transformers", "dtype", "model" (basename), "max_length",
    #   "tasks": {task: {"num_fewshot", "n", "tokenizer_mismatches" (requests whose ids differ between the two
    #   tokenizers), "metrics", "subtasks" (mmlu: {subject: {"acc", "n"}}), "docs": [...]}}}. docs entries:
    #   multiple choice {"doc_id", "subtask" (mmlu), "lls", "is_greedy", "pred", "pred_norm" (null without
    #   acc_norm), "gold", "ctx_tokens" (winogrande: one per choice), "cont_tokens" (one count per choice)};
    #   lambada {"doc_id", "ll", "is_greedy"}; gsm8k {"doc_id", "response", "strict", "flexible", "target",
    #   "exact_strict", "exact_flexible"}; wikitext {"doc_id", "ll", "words", "bytes", "tokens"}.
    #   Non-finite numbers (and a stderr of n < 2) are written as null.
    out = {"generator": "tools/eval_reference.py", "torch": torch.__version__, "transformers": transformers.__version__,
           "dtype": "float32", "model": os.path.basename(os.path.normpath(args.model)),
           "max_length": scorer.max_length, "tasks": results}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(json_safe(out), f, ensure_ascii=False, allow_nan=False)
        f.write("\n")
    for t, r in results.items():
        m = ", ".join(f"{k} {v:.6g}" if isinstance(v, float) else f"{k} {v}" for k, v in r["metrics"].items())
        log(f"{t}: n {r['n']}, {m}, tokenizer mismatches {r['tokenizer_mismatches']}")
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
