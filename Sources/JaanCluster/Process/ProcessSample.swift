#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Resident memory and consumed CPU time of a process, read from `/proc`.
struct ProcessSample: Sendable, Equatable {
    /// Resident set size in bytes.
    var residentBytes: Int
    /// User plus system CPU time, in clock ticks.
    var cpuTicks: Int

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    static let ticksPerSecond = Int(sysconf(Int32(_SC_CLK_TCK)))

    /// Samples `pid`, or `nil` when it is gone.
    static func read(pid: Int32) -> ProcessSample? {
        guard let statm = readSmallFile("/proc/\(pid)/statm"), let stat = readSmallFile("/proc/\(pid)/stat") else { return nil }
        return parse(statm: statm, stat: stat, pageSize: pageSize)
    }

    /// Parses `/proc/PID/statm` (second field: resident pages) and `/proc/PID/stat` (fields 14 and 15:
    /// utime and stime, counted after the parenthesised command name, which may contain spaces).
    static func parse(statm: String, stat: String, pageSize: Int) -> ProcessSample? {
        let memory = statm.split(separator: " ")
        guard memory.count >= 2, let pages = Int(memory[1]) else { return nil }
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3), so utime (field 14) is fields[11] and stime fields[12].
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return ProcessSample(residentBytes: pages * pageSize, cpuTicks: user + system)
    }
}
