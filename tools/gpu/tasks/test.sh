# build and run every test suite, the engines on cuda [carry .qt6/debs .qt6/deps]
# Logs: build-cuda.log, ctest-cuda.log.
# Fails unless every suite passes.
qt_env
build_cuda 2>&1 | tee "$out/build-cuda.log" | tail -5
ctest --preset cuda 2>&1 | tee "$out/ctest-cuda.log" | grep -E "max \||bf16 vs|Totals|tests passed|FAIL" || true
grep -q "100% tests passed" "$out/ctest-cuda.log"
