// The two norms of the scene contraction (Mip-NeRF 360's L2, Zip-NeRF's L-infinity), for tests
// that run each case under both, with a name for the failure message.
#pragma once

#include "renderer/math/contraction.h"

namespace nerds_test {

inline constexpr nerds::ContractNorm kContractNorms[] = {nerds::ContractNorm::L2, nerds::ContractNorm::Linf};

inline const char* contract_norm_name(nerds::ContractNorm n) { return n == nerds::ContractNorm::L2 ? "l2" : "linf"; }

}  // namespace nerds_test
