#!/usr/bin/env python3
"""Writes the demo model's card (README.md) from the training log train.py leaves in the model folder.

  python3 tools/demo/model_card.py resources/models/demo
"""
import json
import os
import sys

LICENSES = {
    "debian-handbook": "GPL-2.0+ or CC-BY-SA-3.0",
    "debian-reference": "GPL-2+ (package debian-reference-en)",
    "gnu-standards": "GNU Free Documentation License",
    "python3.11-doc": "PSF License Agreement (code examples also 0BSD)",
    "postgresql-doc-15": "PostgreSQL License",
    "git-doc": "GPL-2",
    "debian-policy": "GPL-2+",
    "perl-doc": "GPL-1+ or Artistic",
    "jargon-text": "public domain",
    "fortunes": "BSD (fortunes and fortunes-min)",
    "bible-kjv": "public domain text (King James Version; package bible-kjv-text, decoded with bible-kjv)",
}


def main(model_dir):
    log = json.load(open(os.path.join(model_dir, "training_log.json")))
    shape = log["shape"]
    size = sum(os.path.getsize(os.path.join(model_dir, f)) for f in os.listdir(model_dir)
               if f.endswith(".safetensors"))
    rows = "\n".join(f"| {name} | {c['train']['documents']:,} | {c['train']['characters']:,} | "
                     f"{c['valid']['documents']} / {c['heldout']['documents']} | {LICENSES.get(name, '?')} |"
                     for name, c in log["corpus"].items())
    curve = "\n".join(f"| {p['step']} | {p['train_loss']:.3f} | {p['valid_loss']:.3f} |" for p in log["curve"])
    card = f"""# LLM-Drop Workbench demo model

A small Llama-architecture language model, trained from scratch by this project so the workbench has something
real to analyse on a machine that cannot download models. It writes English in the registers of its training
text: technical documentation, fortune-cookie quotes and the King James Bible.

## Shape
`model_type: llama`, {shape['num_hidden_layers']} layers, hidden size {shape['hidden_size']}, MLP
{shape['intermediate_size']}, {shape['num_attention_heads']} query heads sharing {shape['num_key_value_heads']}
key/value heads (grouped-query attention, head dim {shape['head_dim']}), RoPE θ = 10000, context
{shape['max_position_embeddings']}, tied embeddings, vocabulary {shape['vocab_size']} (sentencepiece BPE with byte
fallback; unk=0, bos=1, eos=2). **{log['parameters']:,} parameters**, stored as bf16 safetensors in two shards
({size / 1e6:.1f} MB).

## Data
English prose unpacked from Debian 12 documentation packages by `tools/demo/prepare.sh` (HTML and POD stripped
to their prose paragraphs; code blocks, tables and navigation dropped). Each document goes to train, valid or
held-out by a hash of its text (1 % each for valid and held-out). {log['train_tokens']:,} training tokens.

| source package | train docs | train chars | valid / held-out docs | license of the text |
|---|---:|---:|---:|---|
{rows}

## Recipe
```sh
tools/demo/prepare.sh                 # Debian: download + unpack the packages, extract text, spm_train
tools/gpu/run.sh train_demo           # GPU machine: tools/demo/train.py, then this card
```
AdamW (β = 0.9, 0.95; weight decay 0.1 on matrices), learning rate {log['lr']} with linear warm-up and cosine decay
to 10 %, {log['steps']} steps of {log['batch_size']} × {log['seq_len']} random windows, bf16 autocast, gradient
clipping 1.0, seed {log['seed']}. The weights kept are those of the best validation loss (step
{log['best_step']}). Trained in {log['seconds']} s on one {log['gpu']} (torch {log['torch']}, transformers
{log['transformers']}).

| step | train loss | valid loss |
|---:|---:|---:|
{curve}

## Quality
Held-out perplexity, `llmdrop perplexity` protocol (windows of 255 tokens after BOS), over
{log['heldout_tokens']:,} held-out tokens: **{log['heldout_ppl']:.2f}**; the same network before training:
{log['untrained_heldout_ppl']:.1f} (a uniform guess over the vocabulary would be {shape['vocab_size']}).

Greedy continuation (transformers, fp32):

> {log['sample']}

## License
The weights are a statistical model of the texts above, distributed with the LLM-Drop Workbench under the
terms of those texts (the strongest being GPL-2+ / CC-BY-SA-3.0 / GFDL); use it for teaching and testing.
"""
    with open(os.path.join(model_dir, "README.md"), "w") as f:
        f.write(card)


if __name__ == "__main__":
    main(sys.argv[1])
