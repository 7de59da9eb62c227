# Nsight Compute on the decode products (bf16 and 4-bit g128, Llama-2-7B shapes, default launch shapes) [carry .qt6/deps]
# Per launch: throughput against the peaks, occupancy, warp stall reasons, instruction mix; then each gemv
# kernel's registers, shared memory and spills. KERNELS (an ncu -k regex, default gemv) and FORMATS (as
# bench_decode_kernels --formats, default bf16,int4) narrow it. Logs: kernel_profile.log, resources.log (and
# build-bench.log).
logged build-bench.log build_targets bench_decode_kernels
ncu --clock-control none --kernel-name "regex:${KERNELS:-gemv}" --import-source no \
  --section SpeedOfLight --section MemoryWorkloadAnalysis --section Occupancy --section LaunchStats \
  --section WarpStateStats --section SchedulerStats --section InstructionStats \
  build-cuda/bin/bench_decode_kernels --sweep 0 --copies 2 --repeats 1 --formats "${FORMATS:-bf16,int4}" \
  >"$out/kernel_profile.log" 2>&1 || tail -20 "$out/kernel_profile.log"
cuobjdump -res-usage build-cuda/bin/bench_decode_kernels 2>&1 | grep -A1 "gemv" | cut -c1-300 >"$out/resources.log"
grep -E "^  [a-z_]|Duration|DRAM Throughput|Memory Throughput|Achieved Occupancy|Registers Per|Stall|Warp Cycles Per Issued|Issued Ipc" \
  "$out/kernel_profile.log" | head -150
