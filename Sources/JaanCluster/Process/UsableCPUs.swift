import CJaanCluster

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Counts the CPUs this process may use: its affinity mask, capped by a cgroup CPU quota.
enum UsableCPUs {
    static func count() -> Int {
        let affinity = Int(jaan_cluster_affinity_cpu_count())
        let online = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        var cpus = affinity > 0 ? affinity : max(1, online)
        if let quota = cgroupQuota() {
            cpus = min(cpus, quota)
        }
        return max(1, cpus)
    }

    /// The CPU quota of the process's cgroup, rounded up to whole CPUs, or `nil` when unlimited.
    static func cgroupQuota() -> Int? {
        if let text = readSmallFile("/sys/fs/cgroup/cpu.max") {
            return quota(cgroupV2CPUMax: text)
        }
        for directory in ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"] {
            if let quota = readSmallFile(directory + "/cpu.cfs_quota_us"),
                let period = readSmallFile(directory + "/cpu.cfs_period_us")
            {
                return self.quota(cgroupV1Quota: quota, period: period)
            }
        }
        return nil
    }

    /// Parses cgroup v2 `cpu.max` (`"max 100000"` or `"200000 100000"`).
    static func quota(cgroupV2CPUMax text: String) -> Int? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let quota = Int(fields[0]), let period = Int(fields[1]) else { return nil }
        return wholeCPUs(quota: quota, period: period)
    }

    /// Parses cgroup v1 `cpu.cfs_quota_us` (`-1` for unlimited) and `cpu.cfs_period_us`.
    static func quota(cgroupV1Quota quota: String, period: String) -> Int? {
        guard let quota = Int(quota.filter { !$0.isWhitespace }), let period = Int(period.filter { !$0.isWhitespace }) else {
            return nil
        }
        return wholeCPUs(quota: quota, period: period)
    }

    private static func wholeCPUs(quota: Int, period: Int) -> Int? {
        guard quota > 0, period > 0 else { return nil }
        return max(1, (quota + period - 1) / period)
    }
}

/// Reads a small file of `/proc` or `/sys` whole, or `nil` when it cannot be read.
func readSmallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        bytes += buffer[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}
