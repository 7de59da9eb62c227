# Third-party dependencies of every target. core needs libtorch, nlohmann/json and sentencepiece;
# Qt is needed by the tests (Qt Test) and the GUI.

find_package(Torch REQUIRED)
# With a CUDA libtorch and nvcc at hand, core also builds its own decode kernels (core/model/cuda). The language
# is enabled here, at the top, as CMake asks of a language that linked targets use.
set(LLMDROP_CUDA_KERNELS OFF)
if(TARGET torch_cuda)
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES native)
    endif()
    set(CMAKE_CUDA_STANDARD 20)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    enable_language(CUDA)
    set(LLMDROP_CUDA_KERNELS ON)
  endif()
  message(STATUS "CUDA decode kernels: ${LLMDROP_CUDA_KERNELS}")
endif()
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)

# sentencepiece. Debian's libsentencepiece embeds protobuf-lite 3.14 and exports it; Debian's libtorch links
# the system protobuf 3.21: in one process they crash at start-up. Beside Debian's libtorch we therefore link a
# static sentencepiece built from Debian's source against the system protobuf (tools/setup.sh makes it in
# .deps/sentencepiece). Any other libtorch (pip / CUDA) hides its protobuf, so there the system one is fine.
set(LLMDROP_SENTENCEPIECE_PREFIX "${PROJECT_SOURCE_DIR}/.deps/sentencepiece" CACHE PATH
    "Prefix of the static sentencepiece built by tools/build-sentencepiece.sh")
get_filename_component(_torch_prefix "${TORCH_INSTALL_PREFIX}" ABSOLUTE)
if(_torch_prefix STREQUAL "/usr")
  set(LLMDROP_DEBIAN_TORCH ON)
else()
  set(LLMDROP_DEBIAN_TORCH OFF)
endif()

add_library(llmdrop_sentencepiece INTERFACE)
if(EXISTS "${LLMDROP_SENTENCEPIECE_PREFIX}/lib/libsentencepiece.a")
  target_include_directories(llmdrop_sentencepiece SYSTEM INTERFACE "${LLMDROP_SENTENCEPIECE_PREFIX}/include")
  target_link_libraries(llmdrop_sentencepiece INTERFACE "${LLMDROP_SENTENCEPIECE_PREFIX}/lib/libsentencepiece.a")
  if(LLMDROP_DEBIAN_TORCH)
    # The same protobuf libtorch uses (Caffe2's config defines the target).
    target_link_libraries(llmdrop_sentencepiece INTERFACE protobuf::libprotobuf)
  endif()
  message(STATUS "sentencepiece: static, from ${LLMDROP_SENTENCEPIECE_PREFIX}")
elseif(LLMDROP_DEBIAN_TORCH)
  message(FATAL_ERROR
    "Debian's libtorch needs the bundled static sentencepiece (Debian's libsentencepiece crashes beside it).\n"
    "Run `tools/setup.sh deps` once, or set LLMDROP_SENTENCEPIECE_PREFIX.")
else()
  find_path(SENTENCEPIECE_INCLUDE_DIR sentencepiece_processor.h REQUIRED)
  find_library(SENTENCEPIECE_LIBRARY sentencepiece REQUIRED)
  target_include_directories(llmdrop_sentencepiece SYSTEM INTERFACE "${SENTENCEPIECE_INCLUDE_DIR}")
  target_link_libraries(llmdrop_sentencepiece INTERFACE "${SENTENCEPIECE_LIBRARY}")
  message(STATUS "sentencepiece: system, ${SENTENCEPIECE_LIBRARY}")
endif()

# PCRE2 (8-bit) runs the regular expressions of task files (util/regex.cpp): Debian and Ubuntu's libpcre2-dev.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PCRE2 QUIET IMPORTED_TARGET libpcre2-8)
endif()
add_library(llmdrop_pcre2 INTERFACE)
if(TARGET PkgConfig::PCRE2)
  target_link_libraries(llmdrop_pcre2 INTERFACE PkgConfig::PCRE2)
  message(STATUS "PCRE2: ${PCRE2_VERSION}")
else()  # no pkg-config: look for the header and library directly
  find_path(PCRE2_INCLUDE_DIR pcre2.h)
  find_library(PCRE2_LIBRARY pcre2-8)
  if(NOT PCRE2_INCLUDE_DIR OR NOT PCRE2_LIBRARY)
    message(FATAL_ERROR
      "PCRE2 (libpcre2-8) is missing: install libpcre2-dev (`apt-get install libpcre2-dev`), or set "
      "PCRE2_INCLUDE_DIR (the folder of pcre2.h) and PCRE2_LIBRARY (libpcre2-8.so).")
  endif()
  target_include_directories(llmdrop_pcre2 SYSTEM INTERFACE "${PCRE2_INCLUDE_DIR}")
  target_link_libraries(llmdrop_pcre2 INTERFACE "${PCRE2_LIBRARY}")
  message(STATUS "PCRE2: ${PCRE2_LIBRARY}")
endif()

# utf8proc normalizes text to NFC / NFKC as tokenizer.json normalizers ask (checkpoint/tokenizer_json.cpp):
# Debian and Ubuntu's libutf8proc-dev.
add_library(llmdrop_utf8proc INTERFACE)
find_path(UTF8PROC_INCLUDE_DIR utf8proc.h)
find_library(UTF8PROC_LIBRARY utf8proc)
if(NOT UTF8PROC_INCLUDE_DIR OR NOT UTF8PROC_LIBRARY)
  message(FATAL_ERROR
    "utf8proc is missing: install libutf8proc-dev (`apt-get install libutf8proc-dev`), or set "
    "UTF8PROC_INCLUDE_DIR (the folder of utf8proc.h) and UTF8PROC_LIBRARY (libutf8proc.so).")
endif()
target_include_directories(llmdrop_utf8proc SYSTEM INTERFACE "${UTF8PROC_INCLUDE_DIR}")
target_link_libraries(llmdrop_utf8proc INTERFACE "${UTF8PROC_LIBRARY}")
message(STATUS "utf8proc: ${UTF8PROC_LIBRARY}")

set(_qt_components)
if(LLMDROP_TESTS)
  list(APPEND _qt_components Core Test)
endif()
if(LLMDROP_GUI)
  list(APPEND _qt_components Core Gui Widgets PrintSupport Svg Concurrent LinguistTools)
endif()
if(_qt_components)
  list(REMOVE_DUPLICATES _qt_components)
  find_package(Qt6 6.2 REQUIRED COMPONENTS ${_qt_components})
endif()
if(LLMDROP_GUI)
  find_package(QCustomPlotQt6 REQUIRED)
endif()
