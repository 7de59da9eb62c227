#!/usr/bin/env bash
# Here (Debian): downloads what the GPU machine's image lacks, as .deb files that tools/gpu/common.sh unpacks
# there (all git-ignored):
#   .qt6/deps  PCRE2 (util/regex.cpp) and utf8proc (tokenizer.json's NFC): every build needs them; 1.8 MB, so
#              a task that builds only llmdrop or a benchmark carries ".qt6/deps";
#   .qt6/debs  the Qt 6 Core/Test runtime and CMake files, for the Qt Test suites (carry ".qt6/debs" and
#              ".qt6/deps");
#   .qt6/gui   with `gui`: what the workbench needs besides (tools/gpu/run.sh gui).
# Usage: tools/fetch_qt.sh [gui]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .qt6/deps .qt6/debs
(cd .qt6/deps && apt-get download libpcre2-dev libpcre2-8-0 libpcre2-16-0 libutf8proc-dev libutf8proc2 >/dev/null)
cd .qt6/debs
apt-get download qt6-base-dev qt6-base-dev-tools libqt6core6 libqt6test6 libicu72 libdouble-conversion3 \
  libb2-1 qmake6 qmake6-bin libglib2.0-0 >/dev/null
# `fetch_qt.sh gui`: also what the workbench needs there (tools/gpu/run.sh gui): Gui/Widgets/PrintSupport/Svg,
# QCustomPlot, the offscreen platform plugin, LinguistTools, and the libraries under them an Ubuntu image may
# lack (never libc or libstdc++: the machine's own are newer).
if [ "${1:-}" = gui ]; then
  mkdir -p ../gui
  cd ../gui
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
du -sh . ../deps
