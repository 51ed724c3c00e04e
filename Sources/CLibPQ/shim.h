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
#endif

#endif
