import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An exclusive lock on a data folder, held by the process that runs its server.
///
/// The kernel drops the lock when that process dies, however it dies, while the server it started
/// runs on. So a server found running on a folder whose lock is free was left by a process that is
/// gone, and a folder whose lock is taken belongs to a live one.
final class FolderLock: Sendable {
    private let path: String
    private let descriptor = Mutex<Int32?>(nil)

    /// A lock on the file at `path`, created when first taken.
    init(path: String) {
        self.path = path
    }

    /// Takes the lock, or returns `false` when another process holds it.
    func acquire() throws(LocalPostgresServerError) -> Bool {
        try descriptor.withLock { (held: inout Int32?) throws(LocalPostgresServerError) -> Bool in
            if held != nil { return true }
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw .cannotLock(path: path, errno: errno) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                close(fd)
                if code == EWOULDBLOCK { return false }
                throw .cannotLock(path: path, errno: code)
            }
            held = fd
            return true
        }
    }

    /// Lets the lock go, if held.
    func release() {
        descriptor.withLock { held in
            if let fd = held { close(fd) }
            held = nil
        }
    }
}
