# The preamble of every GPU task, sourced by tools/gpu/run.sh before tools/gpu/tasks/TASK.sh (not run on its
# own): strict mode, the repository root as the working directory, $out for logs and results, unbuffered
# Python, and the helpers the tasks share.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
# $OUT is the folder whose files the device tool brings back (at most 8 of them); elsewhere /tmp.
out=${OUT:-/tmp}
mkdir -p "$out"
export PYTHONUNBUFFERED=1

qt=$root/.qt6/root
qt_lib=$qt/usr/lib/x86_64-linux-gnu
llmdrop=build-cuda/bin/llmdrop
# The Llama-2-7B-shaped random model (bf16, written by transformers) that the benchmarks share, and its
# last 8 of 32 layers: the drops the speed tasks compare.
model7b=/dev/shm/llama2-7b
last8=24,25,26,27,28,29,30,31

# needs PATH MAKER: stop with a message unless PATH was carried (MAKER makes it on the development machine).
needs() {
  [ -e "$1" ] || { echo "run.sh: $1 is missing: make it here with $2 and carry it" >&2; return 1; }
}

# logged LOG COMMAND…: COMMAND's output goes to $out/LOG; when it fails, the log's error lines (or its last 30
# lines) are shown and the task stops.
logged() {
  local log=$out/$1
  shift
  "$@" >"$log" 2>&1 && return 0
  if grep -qE "error|Error" "$log"; then grep -E "error|Error" "$log" | head -40; else tail -n 30 "$log"; fi
  exit 1
}

# For CMake's `cuda` preset: python3's CUDA libtorch (LLMDROP_TORCH_PREFIX), kernels for Hopper only.
torch_env() {
  if [ -z "${LLMDROP_TORCH_PREFIX:-}" ]; then
    LLMDROP_TORCH_PREFIX=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)') || return 1
  fi
  export LLMDROP_TORCH_PREFIX TORCH_CUDA_ARCH_LIST=9.0
}

# unpack FOLDER: the carried FOLDER/*.deb (tools/fetch_qt.sh) unpacked once into .qt6/root, whose headers and
# libraries CMake's find_path / find_library and the loader then see.
unpack() {
  needs "$1" tools/fetch_qt.sh || return 1
  if [ ! -e "$qt/.unpacked-$(basename "$1")" ]; then
    for deb in "$1"/*.deb; do dpkg -x "$deb" "$qt" || return 1; done
    touch "$qt/.unpacked-$(basename "$1")"
  fi
  export CMAKE_INCLUDE_PATH=$qt/usr/include CMAKE_LIBRARY_PATH=$qt_lib
  case ":${LD_LIBRARY_PATH:-}:" in
    *":$qt_lib:"*) ;;
    *) export LD_LIBRARY_PATH=$qt_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} ;;
  esac
}

# The machine lacks PCRE2 and utf8proc (every build: carry .qt6/deps) and Qt (the test suites: carry .qt6/debs
# too; the workbench: .qt6/gui as well).
deps_env() { unpack .qt6/deps; }
qt_env() { deps_env && unpack .qt6/debs; }
gui_env() { qt_env && unpack .qt6/gui; }

# build_cuda [CMAKE_ARGS…]: core, the CLI, the benchmarks and the Qt Test suites into build-cuda/ (the `cuda`
# preset: no GUI, Qt Core/Test from .qt6).
build_cuda() {
  torch_env && qt_env && export LLMDROP_QT_PREFIX=$qt_lib/cmake &&
    cmake --preset cuda -DLLMDROP_TESTS=ON "$@" && cmake --build --preset cuda -j "$(nproc)"
}

# build_targets TARGET…: only the named targets (llmdrop, bench_eval …) into build-cuda/, without the test
# suites (no Qt needed, only .qt6/deps).
build_targets() {
  local targets=() t
  for t in "$@"; do targets+=(--target "$t"); done
  torch_env && deps_env && cmake --preset cuda -DLLMDROP_TESTS=OFF && cmake --build --preset cuda "${targets[@]}"
}

# Writes $model7b unless this machine has it already.
write_model7b() {
  [ -d "$model7b" ] || python3 tools/bench_llmdrop_way.py --write "$model7b" --shape llama2-7b 2>&1 | grep -v Writing
}

# bench7b ARGS…: `llmdrop bench` on the Llama-2-7B shape with random weights, bf16, batch 1.
bench7b() {
  "$llmdrop" bench --random-weights --shape llama2-7b --device cuda --dtype bfloat16 "$@"
}
