#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root, or with sudo available):
#   tools/setup.sh deps   install the Debian packages and build the bundled static sentencepiece
#   tools/setup.sh build  deps + configure + build (build/bin/llmdrop, build/bin/llmdrop-workbench)
#   tools/setup.sh test   build + run every test through CTest
#   tools/setup.sh run    build + start the workbench (QT_QPA_PLATFORM=offscreen works) [MODEL]
#   tools/setup.sh sanitize  deps + ASan/UBSan build with clang (build-asan, no GUI) + its test suites and a
#                         fuzz run of every input parser (LLMDROP_FUZZ_SECONDS each, default 45; tests/fuzz)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${LLMDROP_JOBS:-$(nproc)}
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo

# libopenblas0-pthread: Debian's libtorch calls the system BLAS; OpenBLAS takes over from the reference BLAS
# (about 40x faster matrix products on the CPU). libgloo-dev: the headers of the Gloo that libtorch's c10d
# links, for ranks on the CPU (data and tensor parallelism, the multi-rank tests).
packages=(build-essential cmake ninja-build pkg-config dpkg-dev qt6-base-dev qt6-tools-dev qt6-l10n-tools
  qt6-tools-dev-tools qt6-svg-dev libqcustomplot-dev nlohmann-json3-dev libtorch-dev libprotobuf-dev protobuf-compiler
  sentencepiece libopenblas0-pthread libgl-dev xvfb xauth libpcre2-dev libutf8proc-dev libgloo-dev clang libclang-rt-14-dev llvm)

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Debian's libsentencepiece embeds protobuf-lite 3.14 and crashes in one process with Debian's libtorch
# (protobuf 3.21). We build sentencepiece's static library from Debian's own source package against the
# system protobuf; CMake picks it up from .deps/sentencepiece (cmake/LlmdropDependencies.cmake).
bundle_sentencepiece() {
  local prefix=$root/.deps/sentencepiece
  [ -f "$prefix/lib/libsentencepiece.a" ] && return 0
  local src_root=$root/.deps/src
  mkdir -p "$src_root"
  if ! ls -d "$src_root"/sentencepiece-*/ >/dev/null 2>&1; then
    if ! apt-get source --print-uris sentencepiece >/dev/null 2>&1 || \
       [ -z "$(apt-get source --print-uris sentencepiece 2>/dev/null | grep dsc)" ]; then
      echo "setup: enabling Debian source packages (deb-src) to fetch sentencepiece's source" >&2
      printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        | $sudo tee /etc/apt/sources.list.d/llmdrop-deb-src.sources >/dev/null
      $sudo apt-get update -q
    fi
    (cd "$src_root" && apt-get source -q sentencepiece)
  fi
  "$root/tools/build-sentencepiece.sh" "$(ls -d "$src_root"/sentencepiece-*/ | head -1)" "$prefix" system
}

configure_and_build() {
  (cd "$root" && cmake --preset default && cmake --build --preset default -j "$jobs")
}

cmd=${1:-build}; shift || true
case "$cmd" in
  deps) install_packages; bundle_sentencepiece ;;
  build) install_packages; bundle_sentencepiece; configure_and_build ;;
  test)
    install_packages; bundle_sentencepiece; configure_and_build
    cd "$root" && ctest --preset default -j "$jobs" ;;
  sanitize)
    install_packages; bundle_sentencepiece
    cd "$root"
    cmake --preset asan -DLLMDROP_FUZZ_SECONDS="${LLMDROP_FUZZ_SECONDS:-45}"
    cmake --build --preset asan -j "$jobs"
    status=0
    ctest --preset asan -j "$jobs" || status=$?
    cat build-asan/tests/fuzz/*/summary.txt 2>/dev/null || true
    exit $status ;;
  run)
    install_packages; bundle_sentencepiece; configure_and_build
    exec "$root/build/bin/llmdrop-workbench" "$@" ;;
  *) echo "usage: tools/setup.sh deps|build|test|sanitize|run [MODEL]" >&2; exit 2 ;;
esac
