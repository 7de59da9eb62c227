# where a 2048-token prefill of the Llama-2-7B shape spends its time, op by op (tools/prefill_profile.py)
# Table in prefill_profile.log.
python3 tools/prefill_profile.py 2>&1 | tee "$out/prefill_profile.log"
