#!/usr/bin/env bash
# Builds sentencepiece's static library from SOURCE into PREFIX.
#   protobuf=system   link against the system protobuf (needed beside Debian's libtorch)
#   protobuf=builtin  use sentencepiece's own protobuf-lite (fine beside a pip/CUDA libtorch)
set -euo pipefail
src=$1 prefix=$2 protobuf=${3:-system}
builtin=OFF; [ "$protobuf" = builtin ] && builtin=ON
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Debian's source package removes the static library target (debian/patches/disable-static-library.patch);
# build from a scratch copy with that one patch reversed.
cp -r "$src" "$work/src"
if [ -f "$src/debian/patches/disable-static-library.patch" ]; then
  patch -s -R -p1 -d "$work/src" < "$src/debian/patches/disable-static-library.patch"
fi
if [ "$builtin" = OFF ]; then  # Debian's patch 0023 hard-codes the bundled protobuf header in init.h
  sed -i 's|"third_party/protobuf-lite/google/protobuf/message_lite.h"|<google/protobuf/message_lite.h>|' \
    "$work/src/src/init.h"
fi
src=$work/src
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DSPM_ENABLE_SHARED=OFF -DSPM_USE_BUILTIN_PROTOBUF=$builtin \
  -DSPM_ENABLE_TCMALLOC=OFF -DCMAKE_POLICY_VERSION_MINIMUM=3.5 >/dev/null
cmake --build "$work/build" --target sentencepiece-static -j "$(nproc)"
mkdir -p "$prefix/lib" "$prefix/include"
cp "$work"/build/src/libsentencepiece.a "$prefix/lib/"
cp "$src"/src/sentencepiece_processor.h "$prefix/include/"
echo "sentencepiece ($protobuf protobuf) installed in $prefix" >&2
