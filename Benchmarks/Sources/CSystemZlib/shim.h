// The system zlib, called directly by the benchmark's raw-zlib baseline.
#ifndef JAAN_BENCHMARK_CSYSTEMZLIB_SHIM_H
#define JAAN_BENCHMARK_CSYSTEMZLIB_SHIM_H

#include <zlib.h>

static inline int CSystemZlib_deflateInit2(z_streamp stream, int level, int method, int windowBits, int memLevel, int strategy) {
    return deflateInit2(stream, level, method, windowBits, memLevel, strategy);
}

#endif
