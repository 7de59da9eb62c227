# Where a 4-bit decode product's time goes (#24): tools/int4_timeline.cu's phase stamps, RTN and act-order [no carry]
# Builds tools/int4_timeline.cu with the 4-bit kernels (LLMDROP_INT4_STAMPS: each block stamps %globaltimer at
# its phases; nvcc only, no libtorch, about 90 s) and runs it for RTN and act-order weights at the default launch
# shapes and at each shape in SHAPES (e.g. SHAPES="0 1"). Log: int4_timeline.log.
nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
"$nvcc" -arch=sm_90a -std=c++20 -O3 -DLLMDROP_INT4_STAMPS -I core tools/int4_timeline.cu \
  core/model/cuda/decode_kernels.cu -o /tmp/int4_timeline
for weights in "" --act-order; do
  /tmp/int4_timeline $weights
  for shape in ${SHAPES:-}; do /tmp/int4_timeline $weights --shape "$shape"; done
done 2>&1 | tee "$out/int4_timeline.log"
