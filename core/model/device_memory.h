#pragma once
// Device bookkeeping for measurements: synchronisation, peak memory, and recovery after out-of-memory.
// On CUDA these use the caching allocator; on the CPU the process's resident set.
#include <c10/core/Device.h>

#include <cstdint>
#include <exception>
#include <functional>

namespace llmdrop {

void synchronize(c10::Device device);  // waits for queued work (no-op on the CPU)
// Waits for the work queued on this thread's current stream only (no-op on the CPU).
void synchronize_current_stream(c10::Device device);
// Runs work() with a side stream of a GPU current, so that its copies overlap what other threads queue on
// their streams, and waits for what it queued there; on the CPU just runs it.
void on_side_stream(c10::Device device, const std::function<void()>& work);
void reset_peak_memory(c10::Device device);
// Peak bytes allocated on a CUDA device since reset_peak_memory; on the CPU the process's peak resident set.
int64_t peak_memory_bytes(c10::Device device);
void release_cached_memory(c10::Device device);  // after an out-of-memory, so the next attempt starts clean
bool is_out_of_memory(const std::exception& error);
// Bytes a new allocation can still take on `device`: on a GPU what the driver reports free plus what the
// caching allocator holds unused; on the CPU the kernel's MemAvailable; at most $LLMDROP_MEMORY_LIMIT (bytes)
// when set.
int64_t available_memory_bytes(c10::Device device);

}  // namespace llmdrop
