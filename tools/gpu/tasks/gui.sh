# build the workbench, screenshot the demo model on cuda:0; `gui toggle`: also the 7B toggle latency [carry .qt6/debs .qt6/deps .qt6/gui (fetch_qt.sh gui): 71 MB with the tree, over the 64 MiB a call carries]
# Screenshot gui-cuda.png; with `toggle`, toggle.log: bench_toggle_latency on the Llama-2-7B shape (a bf16
# checkpoint of random weights written by transformers, on cuda:0), the resident design beside --reload (a
# model load per job, the design before sessions).
# Builds build-cuda-gui/ against python3's CUDA libtorch and runs it offscreen: it opens the demo model and
# computes the importance map as a background job on the GPU, then saves the window. Also gui.log, build-gui.log.
gui_env
base_lib=$qt/lib/x86_64-linux-gnu  # Debian puts some libraries (libdbus) under /lib
export LD_LIBRARY_PATH=$qt_lib:$base_lib${LD_LIBRARY_PATH#"$qt_lib"}  # qt_env put $qt_lib first; $base_lib next
# fontconfig is pointed at the carried DejaVu fonts by a fonts.conf of our own (the carried one names
# /usr/share/fonts).
export QT_PLUGIN_PATH=$qt_lib/qt6/plugins QT_QPA_PLATFORM=offscreen FONTCONFIG_FILE=$qt/fonts.conf
cat >"$FONTCONFIG_FILE" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$qt/usr/share/fonts</dir><cachedir>$qt/fontconfig-cache</cachedir></fontconfig>
CONF
torch_env
build_gui() {
  cmake -S . -B build-cuda-gui -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLMDROP_TESTS=OFF -DLLMDROP_GUI=ON \
    -DCMAKE_PREFIX_PATH="$LLMDROP_TORCH_PREFIX;$qt_lib/cmake;$qt/usr" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$qt_lib:$base_lib" &&
    cmake --build build-cuda-gui --target llmdrop-workbench bench_toggle_latency
}
logged build-gui.log build_gui
build-cuda-gui/bin/llmdrop-workbench resources/models/demo --device cuda:0 --screenshot "$out/gui-cuda.png" 2>&1 |
  tee "$out/gui.log"
if [ "${1:-}" = toggle ]; then
  # A real bf16 checkpoint, so that --reload pays for reading 13.5 GB as the old design did; the demo model's
  # tokenizer encodes the held-out text (its ids lie inside the 7B vocabulary).
  write_model7b
  cp resources/models/demo/tokenizer* "$model7b/"
  build-cuda-gui/bin/bench_toggle_latency "$model7b" --device cuda:0 --dtype bfloat16 --reload 2>&1 |
    tee "$out/toggle.log"
fi
