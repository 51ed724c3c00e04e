/// How many worker processes a cluster runs.
public struct WorkerCount: Sendable, Hashable, CustomStringConvertible {
    private let fixed: Int?

    private init(fixed: Int?) {
        self.fixed = fixed
    }

    /// One worker per CPU the process may use: the CPU affinity mask, capped by a cgroup CPU quota
    /// (cgroup v2 `cpu.max`, or v1 `cpu.cfs_quota_us`), at least one.
    public static var automatic: WorkerCount { WorkerCount(fixed: nil) }

    /// Exactly `count` workers (at least one). One worker means no supervisor: the process serves alone.
    public static func fixed(_ count: Int) -> WorkerCount { WorkerCount(fixed: max(1, count)) }

    /// The number of workers this resolves to on this machine now.
    public func resolve() -> Int {
        fixed ?? UsableCPUs.count()
    }

    /// `"automatic"` or the fixed number.
    public var description: String {
        fixed.map(String.init) ?? "automatic"
    }
}
