#!/usr/bin/env bash
# On the GPU machine: build core, the CLI and the Qt Test suites against python3's CUDA libtorch
# (-DLLMDROP_GUI=OFF; Qt Core/Test from the carried .qt6/debs, see fetch-qt.sh), into build-cuda/.
set -euo pipefail
cd "$(dirname "$0")/../.."
qt=$PWD/.qt6/root
if [ ! -d "$qt" ]; then
  for deb in .qt6/debs/*.deb; do dpkg -x "$deb" "$qt"; done
fi
export LD_LIBRARY_PATH=$qt/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LLMDROP_TORCH_PREFIX=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
export LLMDROP_QT_PREFIX=$qt/usr/lib/x86_64-linux-gnu/cmake
export TORCH_CUDA_ARCH_LIST=9.0
cmake --preset cuda "$@"
cmake --build --preset cuda -j "$(nproc)"
