// NERDS_HD marks a formula that both backends call: __host__ __device__ under nvcc,
// plain inline C++ otherwise. Functions tagged with it take plain structs and pointers:
// no allocation, exceptions, virtual calls or std containers inside.
#pragma once

#if defined(__CUDACC__)
#define NERDS_HD __host__ __device__ __forceinline__
#else
#define NERDS_HD inline
#endif
