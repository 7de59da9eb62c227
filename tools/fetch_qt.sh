#!/usr/bin/env bash
# Here (Debian): downloads the Qt 6 Core/Test runtime and CMake files, PCRE2 and utf8proc, into .qt6/debs (git-ignored; carry ".qt6")
# so that a GPU task can build the Qt Test suites against them (the GPU machine has no Qt); tools/gpu/common.sh
# unpacks them there.  Usage: tools/fetch_qt.sh [gui]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .qt6/debs
cd .qt6/debs
# libpcre2-dev / libpcre2-8-0 (util/regex.cpp) and libutf8proc-dev / libutf8proc2 (tokenizer.json's NFC):
# the GPU machine's image lacks them as well.
apt-get download qt6-base-dev qt6-base-dev-tools libqt6core6 libqt6test6 libicu72 libdouble-conversion3 \
  libb2-1 libpcre2-16-0 qmake6 qmake6-bin libglib2.0-0 libpcre2-dev libpcre2-8-0 \
  libutf8proc-dev libutf8proc2 >/dev/null
# `fetch_qt.sh gui`: also what the workbench needs there (tools/gpu/run.sh gui): Gui/Widgets/PrintSupport/Svg,
# QCustomPlot, the offscreen platform plugin, LinguistTools, and the libraries under them an Ubuntu image may
# lack (never libc or libstdc++: the machine's own are newer).
if [ "${1:-}" = gui ]; then
  apt-get download libqt6gui6 libqt6widgets6 libqt6printsupport6 libqt6concurrent6 libqt6svg6 qt6-svg-dev \
    libqt6opengl6 qt6-qpa-plugins libqcustomplot2.1-qt6 libqcustomplot-dev qt6-tools-dev qt6-tools-dev-tools \
    qt6-l10n-tools libqt6dbus6 libqt6network6 libqt6xml6 libqt6sql6 libqt6qml6 libqt6core5compat6 libxkbcommon0 \
    libfontconfig1 fontconfig-config fonts-dejavu-core libfreetype6 libharfbuzz0b libgraphite2-3 libbrotli1 \
    libpng16-16 libjpeg62-turbo libmd4c0 libegl1 libgl1 libopengl0 libglx0 libglvnd0 libx11-6 libxcb1 libxau6 \
    libxdmcp6 libbsd0 libdbus-1-3 libts0 libinput10 libmtdev1 libevdev2 libwacom9 libgudev-1.0-0 libexpat1 \
    libdeflate0 libgl-dev libglx-dev libopengl-dev libegl-dev libglvnd-dev libglvnd-core-dev mesa-common-dev \
    libgles-dev libgles1 libgles2 libdrm-dev >/dev/null
fi
ls | wc -l
du -sh .
