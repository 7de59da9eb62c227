# multiple-choice scoring speed: bench_eval against transformers (Llama-2-7B shape) [carry .qt6/deps]
# Table in bench_eval.log.
# On the Llama-2-7B-shaped random model (bf16): hellaswag-shaped requests (tools/bench_eval_reference.py), scored
# by transformers one by one as lm-eval's HF backend does with batch 1, then by bench_eval (batch 1 and 16).
logged build-bench.log build_targets bench_eval
{
  write_model7b
  python3 tools/bench_eval_reference.py --make-requests /dev/shm/req.json --docs 256 --seed 1 --vocab 32000
  python3 tools/bench_eval_reference.py --model $model7b --requests /dev/shm/req.json --out /dev/shm/ref.json
  build-cuda/bin/bench_eval $model7b --requests /dev/shm/req.json --reference /dev/shm/ref.json --device cuda \
    --dtype bfloat16
} 2>&1 | tee "$out/bench_eval.log"
