#pragma once
// The devices this build and machine offer, torch-free for the GUI.
#include <string>
#include <vector>

namespace llmdrop {

// "cpu", then "cuda:0", "cuda:1", … for each CUDA device present.
std::vector<std::string> available_devices();
// Throws BadInput for a malformed name or a device this build or machine does not have (as parse_device).
void check_device(const std::string& name);

}  // namespace llmdrop
