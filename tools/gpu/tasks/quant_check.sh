# our GPTQ / AWQ files against plain-torch dequantization [carry quant-check]
# Log: quant_check.log.
# tools/quant_reference.py dequantizes each export of quant-check/ (tools/quant_check_prepare.sh: GPTQ, AWQ and a
# mixed-precision GPTQ with per-module rules) the way the GPTQ and AWQ loaders do and compares the weights with
# ours bit for bit and transformers' log-probabilities with ours (and loads the quantized checkpoint through
# transformers' GPTQ integration where it is installed).
set +e
needs quant-check tools/quant_check_prepare.sh || exit 1
for check in gptq awq mixed; do
  dir=quant-check/$check
  [ -d $dir ] || continue  # a call may carry only some of them (the device call takes at most 64 MiB)
  python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1] + ".xz"), open(sys.argv[1], "wb"))' \
    $dir/dense/model.safetensors
  python3 tools/quant_reference.py --quantized $dir/quantized --dense $dir/dense --ours $dir/ours.json \
    --ids "$(cat $dir/ids)" 2>&1 | grep -v Warning
done | tee "$out/quant_check.log"
