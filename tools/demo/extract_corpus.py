#!/usr/bin/env python3
"""Turns the unpacked Debian documentation packages (prepare.sh) into the demo model's English corpus.

Documents: one per HTML or POD page (its prose paragraphs, code blocks and navigation left out), one per fortune,
one per Bible chapter. Each document goes to train, valid or heldout by a hash of its text (1% each for
valid and heldout), so the split is deterministic and independent of file order.

Writes into OUT: train.jsonl / valid.jsonl / heldout.jsonl ({"text", "source"} per line), spm_input.txt
(train paragraphs, one per line, for spm_train), heldout.txt (plain held-out text) and stats.json.
"""
import argparse
import glob
import gzip
import hashlib
import html.parser
import json
import os
import re
import subprocess

PROSE_TAGS = {"p", "li", "dd", "blockquote"}
SKIP_TAGS = {"pre", "script", "style", "table", "nav", "header", "footer"}
SKIP_CLASSES = ("sphinxsidebar", "related", "footer", "navheader", "navfooter", "toc", "highlight", "admonition-title")


class ProseExtractor(html.parser.HTMLParser):
    """Collects the text of prose elements that are not inside code, navigation or tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skip) of open elements
        self.paragraphs = []
        self.current = None

    def skipping(self):
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "hr", "meta", "link", "input", "col"):
            return
        classes = dict(attrs).get("class") or ""
        skip = tag in SKIP_TAGS or any(c in classes for c in SKIP_CLASSES)
        self.stack.append((tag, skip))
        prose = tag in PROSE_TAGS or "para" in classes.split()  # Publican (debian-handbook) uses div.para
        if prose and self.current is None and not self.skipping():
            self.current = (len(self.stack), [])

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                if self.current is not None and self.current[0] == i + 1:
                    self.paragraphs.append(" ".join("".join(self.current[1]).split()))
                    self.current = None
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.current is not None and not self.skipping():
            self.current[1].append(data)


def prose_paragraphs(paragraphs, min_words=8):
    out = []
    for p in paragraphs:
        p = p.replace("¶", "").strip()
        if len(p.split()) >= min_words and sum(c.isalpha() for c in p) > 0.6 * len(p):
            out.append(p)
    return out


def html_documents(paths):
    for path in sorted(p for p in paths if os.path.isfile(p)):
        with open(path, encoding="utf-8", errors="replace") as f:
            parser = ProseExtractor()
            parser.feed(f.read())
        paragraphs = prose_paragraphs(parser.paragraphs)
        if paragraphs:
            yield "\n".join(paragraphs)


def fortune_documents(root):
    files = [p for p in glob.glob(os.path.join(root, "usr/share/games/fortunes/*"))
             if os.path.isfile(p) and not os.path.splitext(p)[1] and not os.path.islink(p)]
    for path in sorted(files):
        with open(path, encoding="utf-8", errors="replace") as f:
            for entry in f.read().split("\n%\n"):
                text = " ".join(entry.split())
                if len(text.split()) >= 6 and sum(c.isalpha() for c in text) > 0.6 * len(text):
                    yield text


def bible_documents(root):
    """Chapters of the King James Bible, decoded by the bible-kjv package's own reader."""
    out = subprocess.run([os.path.join(root, "usr/bin/bible"), "-p", os.path.join(root, "usr/lib"),
                          "-d", "bible.data", "Gen1:1-Rev22:21"], capture_output=True, text=True,
                         check=True).stdout
    chapter = []
    for line in out.splitlines() + [""]:
        if re.match(r"^\S.* \d+$", line) or (not line and chapter):  # "Genesis 1" starts a chapter
            if chapter:
                text = " ".join(" ".join(chapter).split())
                text = re.sub(r"(^| )\d+ ", r"\1", text)  # verse numbers
                yield text
            chapter = []
        elif line.strip():
            chapter.append(line)


def jargon_documents(root):
    with gzip.open(os.path.join(root, "usr/share/doc/jargon-text/jargon.txt.gz"), "rt", errors="replace") as f:
        text = f.read()
    for entry in re.split(r"\n\s*\n", text):
        entry = " ".join(entry.split())
        if len(entry.split()) >= 12 and sum(c.isalpha() for c in entry) > 0.6 * len(entry):
            yield entry


def pod_documents(paths):
    """Perl's manual pages: pod2text indents prose by 4 columns and verbatim code by 8 or more."""
    for path in sorted(paths):
        text = subprocess.run(["pod2text", "--utf8", path], capture_output=True, check=True).stdout.decode("utf-8", "replace")
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)
                      if re.match(r"^    \S", p)]
        paragraphs = prose_paragraphs(paragraphs)
        if paragraphs:
            yield "\n".join(paragraphs)


def sources(root):
    doc = os.path.join(root, "usr/share/doc")
    python_html = [p for p in glob.glob(os.path.join(doc, "python3.11/html/**/*.html"), recursive=True)
                   if not re.search(r"/(genindex|py-modindex|search|_static|_sources|whatsnew|c-api)", p)]
    return [
        ("debian-handbook", html_documents(glob.glob(os.path.join(doc, "debian-handbook/html/en-US/*.html")))),
        ("debian-reference", html_documents(glob.glob(os.path.join(root, "usr/share/debian-reference/*.en.html")))),
        ("gnu-standards", html_documents(glob.glob(os.path.join(doc, "gnu-standards/*.html")))),
        ("python3.11-doc", html_documents(python_html)),
        ("postgresql-doc-15", html_documents(glob.glob(os.path.join(doc, "postgresql-doc-15/html/*.html")))),
        ("git-doc", html_documents(glob.glob(os.path.join(doc, "git/html/*.html")))),
        ("debian-policy", html_documents(glob.glob(os.path.join(doc, "debian-policy/**/*.html"), recursive=True))),
        ("perl-doc", pod_documents(glob.glob(os.path.join(root, "usr/share/perl/*/pod/*.pod")))),
        ("jargon-text", jargon_documents(root)),
        ("fortunes", fortune_documents(root)),
        ("bible-kjv", bible_documents(root)),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True, help="folder the .deb files were unpacked into")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    files = {split: open(os.path.join(args.out, split + ".jsonl"), "w", encoding="utf-8")
             for split in ("train", "valid", "heldout")}
    spm_input = open(os.path.join(args.out, "spm_input.txt"), "w", encoding="utf-8")
    heldout_text = open(os.path.join(args.out, "heldout.txt"), "w", encoding="utf-8")
    stats = {}
    for name, documents in sources(args.root):
        counts = stats.setdefault(name, {"train": [0, 0], "valid": [0, 0], "heldout": [0, 0]})
        for text in documents:
            bucket = int(hashlib.sha256(text.encode()).hexdigest(), 16) % 100
            split = "valid" if bucket == 0 else "heldout" if bucket == 1 else "train"
            files[split].write(json.dumps({"text": text, "source": name}, ensure_ascii=False) + "\n")
            counts[split][0] += 1
            counts[split][1] += len(text)
            if split == "train":
                spm_input.write(text + "\n")
            elif split == "heldout":
                heldout_text.write(text + "\n\n")
    for f in list(files.values()) + [spm_input, heldout_text]:
        f.close()
    with open(os.path.join(args.out, "stats.json"), "w") as f:
        json.dump({k: {s: {"documents": v[0], "characters": v[1]} for s, v in c.items()} for k, c in stats.items()},
                  f, indent=1)
    for name, c in stats.items():
        print(f"{name:18s} train {c['train'][0]:6d} docs {c['train'][1]:>10,d} chars   "
              f"valid {c['valid'][0]:4d}   heldout {c['heldout'][0]:4d}")


if __name__ == "__main__":
    main()
