#ifndef C_JAAN_CLUSTER_H
#define C_JAAN_CLUSTER_H

#include <spawn.h>

/// Calls Swift cannot make directly: variadic `prctl`, the `CPU_COUNT` macro, and GNU extensions
/// the Glibc module does not export.

/// Asks the kernel to send `signal` to the calling process when the thread that created it exits.
/// Returns 0 on success, -1 with errno set on failure.
int jaan_cluster_set_parent_death_signal(int signal);

/// The number of CPUs in the calling thread's affinity mask, or -1 when it cannot be read.
int jaan_cluster_affinity_cpu_count(void);

/// Adds a file action closing every descriptor from `from` up (`posix_spawn_file_actions_addclosefrom_np`).
int jaan_cluster_spawn_close_from(posix_spawn_file_actions_t *actions, int from);

/// Creates a close-on-exec, non-blocking pipe (`pipe2`). Returns 0 or -1 with errno set.
int jaan_cluster_nonblocking_pipe(int ends[2]);

#endif
