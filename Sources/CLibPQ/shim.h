#ifndef JAAN_CLIBPQ_SHIM_H
#define JAAN_CLIBPQ_SHIM_H

// Debian and most distributions install the header under include/postgresql,
// which pkg-config adds to the search path; some systems put it at the top level.
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#elif __has_include(<postgresql/libpq-fe.h>)
#include <postgresql/libpq-fe.h>
#else
#error "libpq-fe.h not found: install libpq-dev (apt) or libpq (brew)"
#endif

// The readiness API JaanPostgres waits for libpq's sockets with (see SocketReactor.swift).
#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>

// Names the calling thread (at most 15 characters), for profilers and debuggers; prctl is
// variadic, which Swift cannot call.
static inline int jaan_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, name, 0, 0, 0);
}
#endif

#endif
