# LLMDROP_SANITIZE=ON (preset "asan", tools/setup.sh sanitize): everything is compiled with clang's
# AddressSanitizer and UndefinedBehaviorSanitizer, and tests/fuzz adds a libFuzzer target per input parser
# (only clang has libFuzzer).
#
#  -fno-sanitize-recover=undefined  undefined behaviour ends the process (a test or fuzz run fails) instead of
#                                   printing a line and going on.
#  -fno-omit-frame-pointer          ASan's fast unwinder walks frame pointers: full stacks in reports.
#  -D_GLIBCXX_ASSERTIONS           libstdc++'s bounds and precondition checks (operator[], front() on an empty
#                                   vector): ASan does not see reads inside a container's allocation.
#  -fsanitize=fuzzer-no-link        libFuzzer's coverage counters in core (and everything else), so the fuzz
#                                   targets are guided by the parsers' branches; the sanitizer runtimes define
#                                   the hooks, so the CLI and the test suites link without libFuzzer.
# Nothing else is needed beside Debian's uninstrumented libtorch, protobuf, Qt and the static sentencepiece (the
# suites and fuzz runs report nothing of theirs): UBSan's vptr check finds their type_info, and libstdc++ only
# annotates its containers for ASan when _GLIBCXX_SANITIZE_VECTOR is defined, so there are no
# container-overflow false positives at the boundary (no detect_container_overflow=0 needed). Precompiled
# headers stay on: this build directory has clang's own. The preset builds -O1 -gline-tables-only with
# assertions on (no NDEBUG): nlohmann::json's assertions (operator[] on a const object without the key) are
# findings too.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "LLMDROP_SANITIZE needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++ "
                      "(cmake --preset asan)")
endif()
if(LLMDROP_GUI)
  message(FATAL_ERROR "LLMDROP_SANITIZE builds core, the CLI and their tests: configure with LLMDROP_GUI=OFF")
endif()

# clang 14 on libstdc++ 12 in C++20 defines std::vector<c10::IValue>'s constexpr members where libtorch 1.13's
# ATen/core/List.h first uses them, before IValue is complete, and fails ("arithmetic on a pointer to an
# incomplete type 'c10::IValue'"; gcc defers them). Reading ivalue.h first completes IValue in time.
add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:SHELL:-include ATen/core/ivalue.h>")

set(LLMDROP_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
                            -fno-omit-frame-pointer)
add_compile_options(
  "$<$<COMPILE_LANGUAGE:CXX>:${LLMDROP_SANITIZER_FLAGS};-D_GLIBCXX_ASSERTIONS;-fsanitize=fuzzer-no-link>")
add_link_options(${LLMDROP_SANITIZER_FLAGS})

# The environment of every sanitized test (tests/, tests/fuzz). abort_on_error: a report ends in SIGABRT, a
# clear failure; print_stacktrace: UBSan's reports come with the stack; the symbolizer is Debian's llvm package.
find_program(LLMDROP_LLVM_SYMBOLIZER NAMES llvm-symbolizer llvm-symbolizer-14)
set(LLMDROP_SANITIZER_ENV
    "ASAN_OPTIONS=abort_on_error=1:strict_string_checks=1:check_initialization_order=1"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
if(LLMDROP_LLVM_SYMBOLIZER)
  list(APPEND LLMDROP_SANITIZER_ENV "ASAN_SYMBOLIZER_PATH=${LLMDROP_LLVM_SYMBOLIZER}")
endif()
