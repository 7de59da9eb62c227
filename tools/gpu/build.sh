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
torch=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLMDROP_GUI=OFF \
  -DCMAKE_PREFIX_PATH="$torch;$qt/usr/lib/x86_64-linux-gnu/cmake" -DCMAKE_CUDA_ARCHITECTURES=90 "$@"
cmake --build build-cuda -j "$(nproc)"
