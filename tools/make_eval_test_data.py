#!/usr/bin/env python3
"""Make the small, self-contained evaluation set that the tests use (runs anywhere, plain Python 3).

Writes, under OUT (default tests/data/eval), the SAME documents for every task of docs/evaluation.md in
both record layouts, so that a test can check that both layouts give identical results:
  shared/<task folder>/...  the ../shared/data/eval layout (query/choices/gold, context_options, the raw
                            wikitext file, hellaswag split over validation.part1-of-2 / part2-of-2 ...),
                            written with JSON \\u escapes for non-ASCII characters
  hf/<task folder>/...      the Hugging Face layout (choices{text,label}/answerKey, ctx_a/ctx_b/endings,
                            sentence with "_", boolq bool labels, wikitext `page` records ...), UTF-8
About 8 documents per task (mmlu: 2 subjects x 6 test + 5 dev; gsm8k: 6 test + 12 train; wikitext: 3 pages).
The text is assembled deterministically from sentences of resources/text/demo_heldout.txt (the project's own
held-out text) and this script's templates; the shared-layout fields are derived from the HF ones exactly
as docs/evaluation.md maps them, and the script checks that with tools/eval_reference.py's functions.

  python3 tools/make_eval_test_data.py [--out tests/data/eval]
"""
import argparse
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import eval_reference as ref  # noqa: E402  (pure-Python parts only)


# ------------------------------------------------------------------------------------------- sentences

def load_sentences(path):
    """ASCII sentences of 50-140 characters that start with a capital and end with a period, in file order."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = []
    for s in re.split(r"(?<=[.!?])\s+", text):
        s = s.strip()
        if (50 <= len(s) <= 140 and s.isascii() and s[0].isupper() and s.endswith(".") and "\n" not in s
                and '"' not in s and "'" not in s and "_" not in s and "[" not in s and "  " not in s):
            out.append(s)
    return out


class Pool:
    """Deterministic access to the sentence list: pick(k) = the k-th sentence of a fixed stride walk."""

    def __init__(self, sentences):
        self.s = sentences

    def pick(self, k):
        return self.s[(k * 37 + 11) % len(self.s)]

    def words(self, k):
        return [w for w in re.findall(r"[A-Za-z]+", self.pick(k)) if len(w) >= 4]


def strip_period(s):
    return s[:-1] if s.endswith(".") else s


def lower_first(s):
    return s[0].lower() + s[1:]


# --------------------------------------------------------------------------------------------- writing

def write_jsonl(path, records, ascii_only):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=ascii_only) + "\n")


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


class Writer:
    def __init__(self, out):
        self.shared = os.path.join(out, "shared")
        self.hf = os.path.join(out, "hf")
        self.files = []

    def both(self, rel_shared, shared_recs, rel_hf, hf_recs):
        write_jsonl(os.path.join(self.shared, rel_shared), shared_recs, ascii_only=True)
        write_jsonl(os.path.join(self.hf, rel_hf), hf_recs, ascii_only=False)
        self.files += [os.path.join("shared", rel_shared), os.path.join("hf", rel_hf)]


# ---------------------------------------------------------------------------------------------- tasks

def letters(n):
    return [chr(ord("A") + i) for i in range(n)]


def make_arc(pool, base, numeric_doc, sizes):
    """Cloze questions: one word of a sentence is blanked; the choices are it and words of other sentences."""
    hf, shared = [], []
    for i, n in enumerate(sizes):
        sent = pool.pick(base + i)
        words = pool.words(base + i)
        answer = words[len(words) // 2]
        blanked = sent.replace(answer, "___", 1)
        q = f"Which word completes the sentence “{blanked}”?" if i % 2 == 0 else \
            f"In the passage below, which word is missing?\n{blanked}"
        others = []
        k = 1
        while len(others) < n - 1:
            for w in pool.words(base + 40 + i * 7 + k):
                if w.lower() != answer.lower() and w.lower() not in [o.lower() for o in others]:
                    others.append(w)
                    break
            k += 1
        gold = (i * 3 + 1) % n
        choices = others[:gold] + [answer] + others[gold:]
        if i == 3:
            choices[(gold + 1) % n] = "café — the other one"
        labels = [str(j + 1) for j in range(n)] if i == numeric_doc else letters(n)
        hf.append({"id": f"Demo_{base}_{i}", "question": q, "choices": {"text": choices, "label": labels},
                   "answerKey": labels[gold]})
        shared.append({"query": "Question: " + q, "choices": choices, "gold": gold})
    return shared, hf


HELLASWAG = [
    # (activity_label, ctx_a, ctx_b) templates; {s} = a sentence, {f} = the start of another, lower-cased
    ("Computers and electronics", "[header] How to configure a server [title] Read the manual first. {s}",
     "then the Admin {f}"),
    ("Installing software", "A user opens a terminal window. {s}", "she {f}"),
    ("Home and Garden", "[header] How to organise  your files [title] Make a plan. [step] {s}", "you {f}"),
    ("Programming", "{s} A developer reads the output.", "after that, the Developer {f}"),
    ("Finance and Business", "[header] How to write a résumé — quickly [title] Collect your notes. {s}",
     "it {f}"),
    ("Reading", "A man sits at a desk with a book. {s}", "he {f}"),
    ("Networking", "[title] {s}", "next, the cable {f}"),
    ("Cooking", "A chef stands in a kitchen.  {s}", "the “chef” {f}"),
]


def make_hellaswag(pool, base):
    hf, shared = [], []
    for i, (label, ctx_a, ctx_b) in enumerate(HELLASWAG):
        s = pool.pick(base + i)
        f = " ".join(lower_first(pool.pick(base + 20 + i)).split()[:4])
        ctx_a = ctx_a.format(s=s)
        ctx_b = ctx_b.format(f=f)
        endings = []
        for j in range(4):
            e = " ".join(pool.pick(base + 50 + i * 4 + j).split()[4:]).strip()
            if j == 1:
                first, rest = e.split(" ", 1)
                e = first + " [substeps] " + rest
            if j == 2 and i % 2 == 0:
                e = e.replace(" ", "  ", 1)
            endings.append(e)
        gold = (i * 5 + 2) % 4
        rec = {"ind": 100 + i, "activity_label": label, "ctx_a": ctx_a, "ctx_b": ctx_b,
               "ctx": ctx_a + " " + ctx_b, "endings": endings, "source_id": f"demo~{i}", "split": "val",
               "split_type": "indomain" if i % 2 == 0 else "zeroshot", "label": str(gold)}
        query = ref.hellaswag_preprocess(label + ": " + ctx_a + " " + ctx_b.capitalize())
        choices = [ref.hellaswag_preprocess(e) for e in endings]
        assert ref.hellaswag_preprocess(query) == query and all(ref.hellaswag_preprocess(c) == c for c in choices), \
            (query, choices)
        hf.append(rec)
        shared.append({"query": query, "choices": choices, "gold": gold})
    return shared, hf


def make_piqa(pool, base):
    recs = []
    for i in range(8):
        a, b = pool.pick(base + i), pool.pick(base + 30 + i)
        goal = f"How do I finish the sentence “{strip_period(' '.join(a.split()[:7]))} …”?" if i % 3 else \
            " ".join(a.split()[:5]).lower()
        sol_good = b
        sol_bad = b.replace(" the ", " no ", 1) if " the " in b else b + " Then undo it."
        if i == 2:
            sol_good += " "                    # a choice with a trailing space
        if i == 5:
            sol_bad = sol_bad.replace(".", " — naïvely.", 1)
        label = i % 2
        sols = [sol_good, sol_bad] if label == 0 else [sol_bad, sol_good]
        recs.append({"goal": goal, "sol1": sols[0], "sol2": sols[1], "label": label})
    return recs


def make_boolq(pool, base):
    hf, shared = [], []
    for i in range(8):
        passage = " ".join(pool.pick(base + i * 2 + k) for k in range(2 + i % 2))
        words = pool.words(base + i * 2)
        if i % 2 == 0:
            question = f"does the passage mention {words[0].lower()}"
            label = True
        else:
            question = f"is “{pool.words(base + 90 + i)[0].lower()}” the topic of the passage"
            label = False
        if i == 4:
            passage = passage.replace(" ", "  ", 1)
        hf.append({"question": question, "passage": passage, "idx": i, "label": label})
        shared.append({"query": f"Passage: {passage}\nQuestion: {question}?", "choices": ["no", "yes"],
                       "gold": int(label)})
    return shared, hf


WINOGRANDE = [
    ("The server was faster than the laptop because the _ had more memory.", "server", "laptop", "1"),
    ("Maria asked Sarah for the password because _ had forgotten it.", "Maria", "Sarah", "1"),
    ("The package did not fit in the box because the _ was too small.", "package", "box", "2"),
    ("André helped Paul install Debian since _ knew the installer well.", "André", "Paul", "1"),
    ("The script ran longer than the test, so the _ was stopped first.", "script", "test", "2"),
    ("Kim gave Lee the old keyboard because _ needed a new one.", "Kim", "Lee", "2"),
    ("The disk filled up before the backup ended, so the _ failed.", "backup", "disk", "1"),
    ("The editor crashed but the terminal survived, so _ was restarted.", "the editor", "the terminal", "1"),
]


def make_winogrande():
    hf, shared = [], []
    for i, (sentence, o1, o2, answer) in enumerate(WINOGRANDE):
        blank = sentence.index("_")
        hf.append({"sentence": sentence, "option1": o1, "option2": o2, "answer": answer})
        shared.append({"context_options": [sentence[:blank] + o1, sentence[:blank] + o2],
                       "continuation": sentence[blank + 1:].strip(), "gold": int(answer) - 1})
    return shared, hf


def make_openbookqa(pool, base):
    hf, shared = [], []
    for i in range(8):
        words = pool.pick(base + i).split()
        cut = max(4, len(words) // 2)
        stem = " ".join(words[:cut])
        right = strip_period(" ".join(words[cut:]))
        wrong = [strip_period(" ".join(pool.pick(base + 30 + i * 3 + j).split()[cut:cut + 6])) or "nothing"
                 for j in range(3)]
        gold = (i * 7 + 3) % 4
        choices = wrong[:gold] + [right] + wrong[gold:]
        if i == 6:
            stem += ":"
        hf.append({"id": f"{7 + i}-{100 + i * 13}", "question_stem": stem,
                   "choices": {"text": choices, "label": letters(4)},
                   "answerKey": letters(4)[gold]})
        shared.append({"query": stem, "choices": choices, "gold": gold})
    return shared, hf


def make_rte(pool, base):
    recs = []
    for i in range(8):
        s1 = pool.pick(base + i) + " " + pool.pick(base + i + 1)
        if i % 2 == 0:
            s2 = pool.pick(base + i)                      # entailed: repeats the first sentence
            label = 0
        else:
            s2 = pool.pick(base + 60 + i)                 # not entailed: another sentence
            label = 1
        if i == 3:
            s2 = s2.replace(".", " — “really”.", 1)
        recs.append({"sentence1": s1, "sentence2": s2, "label": label, "idx": i})
    return recs


MMLU_SUBJECTS = ["operating_systems", "text_processing"]


def make_mmlu(pool, base):
    """{subject: (shared test, hf test, shared dev, hf dev)}."""
    out = {}
    for si, subject in enumerate(MMLU_SUBJECTS):
        recs = {"test": [], "dev": []}
        for split, n, off in (("dev", 5, 0), ("test", 6, 10)):
            for i in range(n):
                k = base + si * 40 + off + i
                words = pool.words(k)
                answer = words[-1]
                question = pool.pick(k).replace(answer, "___", 1)
                question = f"Fill in the blank: {question}"
                if split == "test" and i == 1:
                    question = "  " + question + "\n"          # question.strip() matters
                others = []
                j = 1
                while len(others) < 3:
                    w = pool.words(k + 70 + j)[0]
                    if w.lower() != answer.lower() and w.lower() not in [o.lower() for o in others]:
                        others.append(w)
                    j += 1
                gold = (i * 3 + si + (1 if split == "test" else 0)) % 4
                choices = others[:gold] + [answer] + others[gold:]
                if split == "test" and i == 4:
                    choices[(gold + 2) % 4] = "Ökonomie — “none”"
                recs[split].append((question, choices, gold))
        out[subject] = recs
    return out


def make_lambada(pool, base):
    hf, shared = [], []
    for i in range(8):
        sents = [pool.pick(base + i * 3 + k) for k in range(1 + i % 3)]
        last = strip_period(pool.pick(base + i * 3 + 5))
        last = last.rstrip(",;:")
        words = last.split(" ")
        while not re.fullmatch(r"[A-Za-z]+", words[-1]):
            words = words[:-1]
        if i == 2:
            sents.insert(1, "“Wait,” she said — “not yet.”")
        sep = "\n\n" if i % 2 else " "
        text = sep.join(sents) + sep + " ".join(words)
        hf.append({"text": text})
        ctx, cont = text.rsplit(" ", 1)
        assert " " not in cont and not ctx.endswith(" ")
        shared.append({"context": ctx, "continuation": cont})
    return shared, hf


GSM8K_ITEMS = [
    # (question template, worked answer template, values)
    ("A mirror server sends {a} packages per hour. How many packages does it send in {b} hours?",
     "In {b} hours it sends {a} * {b} = <<{a}*{b}={ab}>>{ab} packages.\n#### {ab}"),
    ("Ana’s laptop has {a} GB of free space. She installs {b} programs of 2 GB each. How many GB are free now?",
     "The programs use {b} * 2 = <<{b}*2={b2}>>{b2} GB.\nSo {a} - {b2} = <<{a}-{b2}={a_b2}>>{a_b2} GB are free.\n"
     "#### {a_b2}"),
    ("A disk costs ${a} and a cable costs ${b}. How much do 3 disks and 2 cables cost?",
     "3 disks cost 3 * {a} = $<<3*{a}={a3}>>{a3}.\n2 cables cost 2 * {b} = $<<2*{b}={b2}>>{b2}.\n"
     "Together they cost {a3} + {b2} = $<<{a3}+{b2}={s32}>>{s32}.\n#### {s32}"),
    ("A log file grows by {a} lines every minute. How many lines does it have after {b} minutes if it started "
     "with 1,000 lines?",
     "It grows by {a} * {b} = <<{a}*{b}={ab}>>{ab} lines.\nIt has 1,000 + {ab} = <<1000+{ab}={k_ab}>>{k_ab} lines."
     "\n#### {k_ab}"),
    ("José splits {ab} files evenly into {b} folders. How many files are in each folder?",
     "Each folder has {ab} / {b} = <<{ab}/{b}={a}>>{a} files.\n#### {a}"),
    ("A build takes {a} minutes and a test run takes {b} minutes less. How long do both take together?",
     "The test run takes {a} - {b} = <<{a}-{b}={a_b}>>{a_b} minutes.\nTogether: {a} + {a_b} = "
     "<<{a}+{a_b}={a_ab}>>{a_ab} minutes.\n#### {a_ab}"),
]


def make_gsm8k():
    def fill(t, a, b):
        v = dict(a=a, b=b, ab=a * b, b2=b * 2, a_b2=a - b * 2, a3=a * 3, s32=a * 3 + b * 2, k_ab=1000 + a * b,
                 a_b=a - b, a_ab=a + a - b)
        return t.format(**v)

    test, train = [], []
    for n in range(18):
        q, ans = GSM8K_ITEMS[n % len(GSM8K_ITEMS)]
        a, b = 12 + (n * 17) % 80, 2 + (n * 5) % 9
        rec = {"question": fill(q, a, b), "answer": fill(ans, a, b)}
        (test if n < 6 else train).append(rec)
    return test, train


def wiki_tokenize(s):
    """A sentence in WikiText's tokenised style (" @-@ ", " , ", spaced brackets and quotes)."""
    s = re.sub(r"(?<=\d),(?=\d)", " @,@ ", s)
    s = re.sub(r"(?<=\d)\.(?=\d)", " @.@ ", s)
    s = re.sub(r"(?<=\w)-(?=\w)", " @-@ ", s)
    s = re.sub(r"([,;:()\"!?])", r" \1 ", s)
    s = re.sub(r"\.(\s|$)", r" .\1", s)
    s = re.sub(r"'s\b", " 's", s)
    return re.sub(r"\s+", " ", s).strip()


def make_wikitext(pool, base):
    """(raw file text, [pages]) with 3 pages in wiki.test.raw's line format."""
    extra = [
        'The station ( built in 1 @,@ 204 ) is 3 @.@ 5 km from the “ old ” town — near the café " Le Monde " .',
        "Its name 's origin is unclear ; some say it 's from a 12th @-@ century word [ citation needed ] .",
        "The players ' union met on 1 May ; the vote was 7 : 2 { see below } , at 20 ° N !",
    ]
    pages = []
    for p, title in enumerate(["Debian Packages", "Virtual Machines", "Text Editors"]):
        lines = [f" = {title} = ", " "]
        for sec in range(2):
            para = [wiki_tokenize(pool.pick(base + p * 20 + sec * 5 + k)) for k in range(3)]
            if sec == 0:
                para.insert(1, extra[p])
            lines += [" " + " ".join(para) + " ", " "]
            lines += [f" = = {['History', 'Usage'][sec]} = = ", " "]
            lines += [" " + " ".join(wiki_tokenize(pool.pick(base + p * 20 + sec * 5 + k)) for k in (3, 4)) + " ",
                      " "]
            if p == 1 and sec == 1:
                lines += [" = = = Early years = = = ", " ", " " + wiki_tokenize(pool.pick(base + 99)) + " ", " "]
        pages.append(lines)
    raw = "\n".join([" "] + [line for lines in pages for line in lines] + [""])
    expect = ["\n".join(lines) for lines in pages[:-1]] + ["\n".join(pages[-1] + [""])]
    got = ref.split_wikitext_pages(raw)
    assert got == expect, (len(got), len(expect))
    return raw, got


# ------------------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "data", "eval"))
    ap.add_argument("--text", default=os.path.join(ROOT, "resources", "text", "demo_heldout.txt"))
    args = ap.parse_args()
    pool = Pool(load_sentences(args.text))
    if len(pool.s) < 200:
        raise SystemExit(f"{args.text}: only {len(pool.s)} usable sentences")
    for sub in ("shared", "hf"):
        shutil.rmtree(os.path.join(args.out, sub), ignore_errors=True)
    w = Writer(args.out)

    for task, base, numeric, sizes in (("arc_easy", 0, 5, [4] * 8), ("arc_challenge", 100, 2, [4, 4, 4, 3, 4, 5, 4, 4])):
        shared, hf = make_arc(pool, base, numeric, sizes)
        w.both(f"{task}/test.jsonl", shared, f"{task}/test.jsonl", hf)

    shared, hf = make_hellaswag(pool, 200)
    write_jsonl(os.path.join(w.shared, "hellaswag/validation.part1-of-2.jsonl"), shared[:4], ascii_only=True)
    write_jsonl(os.path.join(w.shared, "hellaswag/validation.part2-of-2.jsonl"), shared[4:], ascii_only=True)
    write_jsonl(os.path.join(w.hf, "hellaswag/validation.jsonl"), hf, ascii_only=False)
    w.files += ["shared/hellaswag/validation.part1-of-2.jsonl", "shared/hellaswag/validation.part2-of-2.jsonl",
                "hf/hellaswag/validation.jsonl"]

    recs = make_piqa(pool, 300)
    w.both("piqa/validation.jsonl", recs, "piqa/validation.jsonl", recs)
    shared, hf = make_boolq(pool, 400)
    w.both("boolq/validation.jsonl", shared, "boolq/validation.jsonl", hf)
    shared, hf = make_winogrande()
    w.both("winogrande/winogrande_xl_validation.jsonl", shared, "winogrande/validation.jsonl", hf)
    shared, hf = make_openbookqa(pool, 500)
    w.both("openbookqa/main_test.jsonl", shared, "openbookqa/test.jsonl", hf)
    recs = make_rte(pool, 600)
    w.both("rte/validation.jsonl", recs, "rte/validation.jsonl", recs)

    for subject, splits in make_mmlu(pool, 700).items():
        for split in ("test", "dev"):
            shared = [dict(question=q, **{f"choice{j}": c for j, c in enumerate(ch)}, answer=a)
                      for q, ch, a in splits[split]]
            hf = [{"question": q, "subject": subject, "choices": ch, "answer": a} for q, ch, a in splits[split]]
            rel = f"mmlu/{split}/{subject}_{split}.jsonl"
            w.both(rel, shared, rel, hf)

    shared, hf = make_lambada(pool, 800)
    w.both("lambada_openai/test.jsonl", shared, "lambada_openai/test.jsonl", hf)
    test, train = make_gsm8k()
    w.both("gsm8k/test.jsonl", test, "gsm8k/test.jsonl", test)
    w.both("gsm8k/train.jsonl", train, "gsm8k/train.jsonl", train)

    raw, pages = make_wikitext(pool, 900)
    write_text(os.path.join(w.shared, "wikitext/wiki.test.raw"), raw)
    write_jsonl(os.path.join(w.hf, "wikitext/test.jsonl"), [{"page": p} for p in pages], ascii_only=False)
    w.files += ["shared/wikitext/wiki.test.raw", "hf/wikitext/test.jsonl"]

    total = sum(os.path.getsize(os.path.join(args.out, f)) for f in w.files)
    print(f"wrote {len(w.files)} files ({total:,} bytes) under {args.out}")


if __name__ == "__main__":
    main()
