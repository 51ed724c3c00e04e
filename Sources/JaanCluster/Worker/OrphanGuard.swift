import CJaanCluster
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Makes a worker stop when its supervisor dies, even by SIGKILL.
///
/// Two mechanisms, because each alone has a gap:
/// - `PR_SET_PDEATHSIG` sends SIGTERM when the *thread* that spawned the worker exits. The supervisor
///   spawns every worker from the one thread that runs its loop for its whole life, so in practice
///   this is the death of the supervisor; but the signal is lost if the supervisor died before the
///   call (checked with `getppid()` right after).
/// - A watcher thread polls the control channel (a socket pair whose other end only the supervisor
///   holds). The end of the supervisor, however it happens, closes that end; the watcher then sends
///   SIGTERM to this process.
///
/// SIGTERM lets the application drain like any graceful stop; if the process still runs after the
/// shutdown timeout, the watcher kills it with SIGKILL.
enum OrphanGuard {
    static func start(_ inherited: WorkerEnvironment, logger: Logger) {
        _ = jaan_cluster_set_parent_death_signal(SIGTERM)
        if getppid() != inherited.supervisorPID {
            logger.info("Supervisor gone before the worker started; stopping")
            kill(getpid(), SIGTERM)
        }
        let control = inherited.controlFD
        let grace = inherited.shutdownTimeoutMilliseconds
        let thread = Thread {
            waitForHangUp(control)
            logger.info("Supervisor gone; stopping the worker")
            kill(getpid(), SIGTERM)
            usleep(UInt32(clamping: grace * 1000))
            kill(getpid(), SIGKILL)
        }
        thread.name = "jaan-cluster-orphan-guard"
        thread.start()
    }

    /// Blocks until the supervisor's end of the control channel is closed.
    private static func waitForHangUp(_ fd: Int32) {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let result = poll(&entry, 1, -1)
            if result < 0 {
                if errno == EINTR { continue }
                return
            }
            if entry.revents & (Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)) != 0 { return }
            if entry.revents & Int16(POLLIN) != 0 {
                var byte: UInt8 = 0
                let count = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
                if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) { return }
            }
        }
    }
}
