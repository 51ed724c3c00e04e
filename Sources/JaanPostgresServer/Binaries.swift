import Foundation

/// The PostgreSQL server programs this helper runs.
struct Binaries: Sendable {
    var initdb: String
    var pgCtl: String

    /// `runuser`, to run the server as its account when this process is root.
    static let runuser: String? = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Finds `initdb` and `pg_ctl`: in `configured` when given, else in the newest
    /// `/usr/lib/postgresql/<version>/bin`, else in the folders of `PATH`.
    static func find(in configured: String?) throws -> Binaries {
        var candidates: [String] = []
        if let configured {
            candidates = [configured]
        } else {
            let root = "/usr/lib/postgresql"
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            candidates += versions.compactMap { Int($0) }.sorted(by: >).map { "\(root)/\($0)/bin" }
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
            candidates += path.split(separator: ":").map(String.init)
        }
        for folder in candidates {
            let initdb = folder + "/initdb"
            let pgCtl = folder + "/pg_ctl"
            if FileManager.default.isExecutableFile(atPath: initdb), FileManager.default.isExecutableFile(atPath: pgCtl) {
                // Symbolic links (Debian's /usr/local/bin wrappers) resolve to the real folder,
                // so pg_ctl finds the matching `postgres` beside itself.
                let real = URL(fileURLWithPath: pgCtl).resolvingSymlinksInPath().deletingLastPathComponent().path
                return Binaries(initdb: real + "/initdb", pgCtl: real + "/pg_ctl")
            }
        }
        throw LocalPostgresServerError.binariesNotFound
    }
}
