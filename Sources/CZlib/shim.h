// The system zlib (Debian's zlib1g-dev), plus functions for what Swift cannot call directly.
#ifndef JAAN_CZLIB_SHIM_H
#define JAAN_CZLIB_SHIM_H

#include <zlib.h>

// deflateInit2 and inflateInit2 are macros that pass ZLIB_VERSION and sizeof(z_stream),
// which Swift cannot expand; these wrappers call them.
static inline int CZlib_deflateInit2(z_streamp stream, int level, int method, int windowBits, int memLevel, int strategy) {
    return deflateInit2(stream, level, method, windowBits, memLevel, strategy);
}

static inline int CZlib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

#endif
