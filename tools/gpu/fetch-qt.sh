#!/usr/bin/env bash
# Run here (Debian): downloads the Qt 6 Core/Test runtime and CMake files into .qt6/debs so a device run can
# build the Qt Test suites against them (the GPU machine has no Qt). The debs are unpacked there by build.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .qt6/debs
cd .qt6/debs
apt-get download qt6-base-dev qt6-base-dev-tools libqt6core6 libqt6test6 libicu72 libdouble-conversion3 \
  libb2-1 libpcre2-16-0 qmake6 qmake6-bin libglib2.0-0 >/dev/null
ls
