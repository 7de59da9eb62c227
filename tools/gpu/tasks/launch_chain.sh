# What a dependency between decode products costs (#24): tools/launch_chain.cu, early-launched kernels against one persistent kernel with grid barriers [no carry]
# Builds tools/launch_chain.cu (nvcc only, no libtorch, a few seconds) and runs it with PHASES phases (default
# 160, the launches of a 32-layer decode step). Log: launch_chain.log.
nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
"$nvcc" -arch=sm_90a -std=c++20 -O3 tools/launch_chain.cu -o /tmp/launch_chain
/tmp/launch_chain ${PHASES:-160} 2>&1 | tee "$out/launch_chain.log"
