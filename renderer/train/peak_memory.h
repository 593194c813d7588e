// The process's resident memory, for the benchmark reports.
#pragma once

#include <cstddef>

namespace nerds {

// VmHWM from /proc/self/status in MiB (rounded down); 0 where that file is unavailable.
size_t peak_rss_mib();
// VmRSS, the resident memory now, likewise.
size_t current_rss_mib();
// Starts the peak over at the memory resident now (Linux: "5" into /proc/self/clear_refs), so
// that runs made one after another in one process each get their own peak (`nerds race`).
// False where the kernel does not allow it: the peak then stays the process's.
bool reset_peak_rss();

}  // namespace nerds
