public import Foundation

extension ClusterStatus {
    /// The status as a table like `pm2 status`, one row per worker process.
    ///
    /// ```
    /// id  pid    state   uptime  restarts  memory    cpu
    /// 0   41234  online  2h 3m   1         84.2 MB   3.1%
    /// ```
    /// - Parameter date: the time uptimes are measured to. Defaults to now.
    public func table(at date: Date = Date()) -> String {
        var rows = [["id", "pid", "state", "uptime", "restarts", "memory", "cpu"]]
        for worker in workers {
            rows.append([
                String(worker.id),
                worker.pid.map(String.init) ?? "-",
                worker.state.name,
                worker.uptime(at: date).map(Self.format(duration:)) ?? "-",
                String(worker.restarts),
                worker.residentBytes.map(Self.format(bytes:)) ?? "-",
                worker.cpuPercent.map { String(format: "%.1f%%", $0) } ?? "-",
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let header = "supervisor \(supervisorPID) \(phase) on \(host):\(port)"
        let lines = rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    /// The status as pretty-printed JSON with sorted keys and ISO 8601 dates (what the status file holds).
    public func json() -> String {
        // Encoding plain strings, numbers and dates cannot fail.
        String(decoding: (try? encoded()) ?? Data(), as: UTF8.self)
    }

    static func format(duration seconds: TimeInterval) -> String {
        let total = Int(seconds)
        switch total {
        case ..<60: return "\(total)s"
        case ..<3600: return "\(total / 60)m \(total % 60)s"
        case ..<86400: return "\(total / 3600)h \(total % 3600 / 60)m"
        default: return "\(total / 86400)d \(total % 86400 / 3600)h"
        }
    }

    static func format(bytes: Int) -> String {
        let megabytes = Double(bytes) / 1_048_576
        return megabytes >= 1024 ? String(format: "%.2f GB", megabytes / 1024) : String(format: "%.1f MB", megabytes)
    }
}
