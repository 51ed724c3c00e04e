import CJaanCluster

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Starts a process with `posix_spawn`, passing exactly the listed descriptors.
enum ProcessSpawner {
    /// Signals whose handling the child gets back to the default.
    private static let defaultedSignals = [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE, SIGQUIT, SIGUSR1, SIGUSR2]

    /// Spawns `path` with `arguments` (the program name first) and `environment` (`KEY=value`).
    ///
    /// - Parameters:
    ///   - descriptors: pairs of (descriptor in this process, number it gets in the child). The child
    ///     gets these without close-on-exec and no other descriptor beyond 0, 1 and 2.
    ///   - newProcessGroup: puts the child in a process group of its own, so a terminal's Ctrl-C
    ///     reaches only this process, which relays it.
    /// - Returns: the child's process id.
    static func spawn(
        path: String,
        arguments: [String],
        environment: [String],
        descriptors: [(source: Int32, target: Int32)],
        newProcessGroup: Bool
    ) throws(ClusterError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let firstFree = max(3, (descriptors.map(\.target).max() ?? 2) + 1)
        // Copy every source above every source and target first, so no dup2 overwrites a later source.
        let staging = max(firstFree, (descriptors.map(\.source).max() ?? 0) + 1)
        var staged: [(Int32, Int32)] = []
        for (offset, pair) in descriptors.enumerated() {
            let temporary = staging + Int32(offset)
            posix_spawn_file_actions_adddup2(&actions, pair.source, temporary)
            staged.append((temporary, pair.target))
        }
        for (temporary, target) in staged {
            // dup2 to a different number clears close-on-exec on the target.
            posix_spawn_file_actions_adddup2(&actions, temporary, target)
        }
        jaan_cluster_spawn_close_from(&actions, firstFree)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in defaultedSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var pid = pid_t()
        let result = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            }
        }
        guard result == 0 else { throw .spawnFailed(errno: result) }
        return pid
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}

/// How a child process ended, decoded from a `waitpid` status.
struct ExitStatus: Sendable, Equatable, CustomStringConvertible {
    let rawValue: Int32

    /// The exit code, when the process exited.
    var exitCode: Int32? { rawValue & 0x7f == 0 ? (rawValue >> 8) & 0xff : nil }
    /// The signal that ended the process, when one did.
    var signal: Int32? { rawValue & 0x7f == 0 ? nil : rawValue & 0x7f }

    var description: String {
        if let exitCode { return "exit code \(exitCode)" }
        return "signal \(signal ?? 0)"
    }
}
