import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The write end of the pipe SIGTERM and SIGINT are reported to.
private let stopPipeWriteEnd = Atomic<Int32>(-1)

/// Turns SIGTERM and SIGINT into a readable pipe that threads can poll.
enum StopSignal {
    /// Installs the handlers; returns the read end, which becomes readable on the first signal.
    static func install() -> Int32 {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { fatalError("pipe failed: \(errno)") }
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        stopPipeWriteEnd.store(ends[1], ordering: .sequentiallyConsistent)
        for signal in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                var byte: UInt8 = 1
                let saved = errno
                _ = write(stopPipeWriteEnd.load(ordering: .relaxed), &byte, 1)
                errno = saved
            }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        return ends[0]
    }
}
