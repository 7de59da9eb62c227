# build core, CLI, benchmarks and test suites into build-cuda/ [carry .qt6/debs .qt6/deps]; ARGS go to cmake
# Against python3's CUDA libtorch, -DLLMDROP_GUI=OFF, Qt Core/Test from the carried .qt6 (tools/fetch_qt.sh).
build_cuda "$@"
