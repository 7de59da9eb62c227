#!/usr/bin/env python3
"""Training-style text for healing the demo model (#26): 6,000 of the demo corpus's training documents, shuffled
(seed 0) so that every source is in the first blocks. Needs WORK/corpus/train.jsonl from tools/demo/prepare.sh
(its extraction step; the tokenizer training is not needed).

    tools/demo/heal_text.py [WORK]   (default WORK=.demo-work; writes WORK/heal_train.jsonl)
"""
import os
import random
import sys

work = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", ".demo-work")
with open(os.path.join(work, "corpus", "train.jsonl")) as f:
    documents = f.readlines()
random.seed(0)
random.shuffle(documents)
with open(os.path.join(work, "heal_train.jsonl"), "w") as f:
    f.writelines(documents[:6000])
print(f"{os.path.join(work, 'heal_train.jsonl')}: 6000 of {len(documents)} training documents")
