import Foundation
import Testing

@testable import JaanCluster

@Suite struct ClusterStatusTests {
    let status = ClusterStatus(
        supervisorPID: 100, host: "0.0.0.0", port: 3001, phase: "running", startedAt: Date(timeIntervalSince1970: 1_000_000),
        updatedAt: Date(timeIntervalSince1970: 1_000_100),
        workers: [
            WorkerStatus(
                id: 0, pid: 101, state: .online, startedAt: Date(timeIntervalSince1970: 1_000_000), restarts: 2,
                residentBytes: 88_290_918, cpuPercent: 3.1
            ),
            WorkerStatus(id: 1, pid: nil, state: .waitingRestart, startedAt: nil, restarts: 5, residentBytes: nil, cpuPercent: nil),
        ]
    )

    @Test func statusWrittenByTheSupervisorIsReadBack() throws {
        let path = NSTemporaryDirectory() + "jaan-status-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try status.write(to: path)
        #expect(try ClusterStatus.read(from: path) == status)
    }

    @Test func missingOrMalformedStatusIsReported() throws {
        #expect(throws: ClusterError.statusUnreadable) { try ClusterStatus.read(from: "/nonexistent/status.json") }
        let path = NSTemporaryDirectory() + "jaan-status-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("{\"port\": 1}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ClusterError.statusUnreadable) { try ClusterStatus.read(from: path) }
    }

    @Test func tableShowsEveryWorkerLikePM2() {
        let table = status.table(at: Date(timeIntervalSince1970: 1_003_725))
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0] == "supervisor 100 running on 0.0.0.0:3001")
        #expect(lines[1].split(separator: " ") == ["id", "pid", "state", "uptime", "restarts", "memory", "cpu"])
        #expect(lines[2].split(separator: " ") == ["0", "101", "online", "1h", "2m", "2", "84.2", "MB", "3.1%"])
        #expect(lines[3].split(separator: " ") == ["1", "-", "waiting", "restart", "-", "5", "-", "-"])
    }

    @Test func jsonIsTheStatusFileFormat() throws {
        let json = status.json()
        #expect(json.contains("\"state\" : \"waiting restart\""))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(ClusterStatus.self, from: Data(json.utf8)) == status)
    }

    @Test func durationsAndSizesAreShort() {
        #expect(ClusterStatus.format(duration: 42) == "42s")
        #expect(ClusterStatus.format(duration: 125) == "2m 5s")
        #expect(ClusterStatus.format(duration: 90_000) == "1d 1h")
        #expect(ClusterStatus.format(bytes: 3 << 30) == "3.00 GB")
    }
}
