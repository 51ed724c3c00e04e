import Foundation
import JaanCluster

enum ClusterStatusFixture {
    static func make() -> ClusterStatus {
        let now = Date()
        return ClusterStatus(
            supervisorPID: 1, host: "0.0.0.0", port: 3001, phase: "running", startedAt: now, updatedAt: now,
            workers: [
                WorkerStatus(id: 0, pid: 10, state: .online, startedAt: now, restarts: 0, residentBytes: 1024, cpuPercent: 1),
                WorkerStatus(id: 1, pid: 11, state: .launching, startedAt: now, restarts: 2, residentBytes: 2048, cpuPercent: nil),
            ]
        )
    }
}
