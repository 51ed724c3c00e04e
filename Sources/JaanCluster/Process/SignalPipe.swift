import CJaanCluster
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The write end of the self-pipe that signal handlers report to; -1 when none is installed.
private let signalPipeWriteEnd = Atomic<Int32>(-1)

/// Turns SIGTERM, SIGINT, SIGHUP and SIGCHLD into bytes on a pipe the supervisor loop polls.
///
/// A signal handler may only do async-signal-safe work; writing one byte (the signal number) to a
/// non-blocking pipe is. Dropping the pipe restores the default handling of these signals.
struct SignalPipe: ~Copyable {
    static let signals = [SIGTERM, SIGINT, SIGHUP, SIGCHLD]

    let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        _ = jaan_cluster_nonblocking_pipe(&ends)
        readEnd = ends[0]
        writeEnd = ends[1]
        signalPipeWriteEnd.store(writeEnd, ordering: .sequentiallyConsistent)
        for signal in Self.signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                let fd = signalPipeWriteEnd.load(ordering: .relaxed)
                guard fd >= 0 else { return }
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: signal)
                _ = write(fd, &byte, 1)
                errno = saved
            }
            action.sa_flags = SA_RESTART | (signal == SIGCHLD ? SA_NOCLDSTOP : 0)
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }

    /// The signals received since the last call, in order.
    func drain() -> [Int32] {
        var received: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            received += buffer[0..<count].map { Int32($0) }
        }
        return received
    }

    deinit {
        signalPipeWriteEnd.store(-1, ordering: .sequentiallyConsistent)
        for signal in Self.signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = SIG_DFL
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        close(readEnd)
        close(writeEnd)
    }
}
