// The process's peak resident memory, for the benchmark reports.
#pragma once

#include <cstddef>

namespace nerds {

// VmHWM from /proc/self/status in MiB (rounded down); 0 where that file is unavailable.
size_t peak_rss_mib();

}  // namespace nerds
