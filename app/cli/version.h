#pragma once
// What `llmdrop --version` prints.
#include <string>

namespace llmdrop::cli {

// "llmdrop 0.1.0" (CMake's project(VERSION)), then the libtorch this build uses and whether CUDA is available
// to it on this machine, one line each.
std::string version_text();

}  // namespace llmdrop::cli
