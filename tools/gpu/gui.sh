#!/usr/bin/env bash
# On the GPU machine (carry ".qt6" made by `tools/gpu/fetch-qt.sh gui`): builds the workbench against python3's
# CUDA libtorch (build-cuda-gui/) and runs it offscreen on the demo model with --device cuda: it opens the model
# and computes the importance map as a background job on the GPU, then saves the window. Screenshot and log
# in $OUT. Debian puts some libraries (libdbus) under /lib, hence $base_lib; fontconfig is pointed at the carried
# DejaVu fonts by a fonts.conf of our own (the carried one names /usr/share/fonts).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
qt=$PWD/.qt6/root
if [ ! -d "$qt" ]; then
  for deb in .qt6/debs/*.deb; do dpkg -x "$deb" "$qt"; done
fi
lib=$qt/usr/lib/x86_64-linux-gnu
base_lib=$qt/lib/x86_64-linux-gnu  # Debian puts some libraries (libdbus) under /lib
export LD_LIBRARY_PATH=$lib:$base_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export QT_PLUGIN_PATH=$lib/qt6/plugins QT_QPA_PLATFORM=offscreen FONTCONFIG_FILE=$qt/fonts.conf
cat >"$FONTCONFIG_FILE" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$qt/usr/share/fonts</dir><cachedir>$qt/fontconfig-cache</cachedir></fontconfig>
CONF
export LLMDROP_TORCH_PREFIX=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)') TORCH_CUDA_ARCH_LIST=9.0
{
  cmake -S . -B build-cuda-gui -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLMDROP_TESTS=OFF -DLLMDROP_GUI=ON \
    -DCMAKE_PREFIX_PATH="$LLMDROP_TORCH_PREFIX;$lib/cmake;$qt/usr" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$lib:$base_lib"
  cmake --build build-cuda-gui --target llmdrop-workbench
} >"$out/build-gui.log" 2>&1 || { tail -40 "$out/build-gui.log"; exit 1; }
build-cuda-gui/bin/llmdrop-workbench resources/models/demo --device cuda:0 --screenshot "$out/gui-cuda.png" 2>&1 |
  tee "$out/gui.log"
