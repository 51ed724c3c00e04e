import Logging
import Testing

@testable import JaanCluster

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@Suite struct ClusterTests {
    func cluster(workers: WorkerCount, host: String = "127.0.0.1", port: Int = 0) -> Cluster {
        Cluster(configuration: .init(host: host, port: port, workers: workers), logger: .init(label: "test"))
    }

    @Test func oneWorkerServesAloneOnASocketItBinds() throws {
        guard case .single(let worker) = try cluster(workers: .fixed(1)).role(environment: [:]) else {
            Issue.record("not a single process")
            return
        }
        defer { close(worker.listeningSocket) }
        #expect(worker.id == 0)
        #expect(!worker.isSupervised)
        #expect(worker.port > 0)
        #expect(ListeningSocket.boundPort(of: worker.listeningSocket) == worker.port)
        #expect(worker.logger[metadataKey: Worker.metadataKey] == "0")
        #expect(worker.metadataProvider.get() == [Worker.metadataKey: "0"])
        worker.reportReady()
    }

    @Test func severalWorkersMakeThisProcessTheSupervisor() throws {
        guard case .supervisor(let supervisor) = try cluster(workers: .fixed(3)).role(environment: ["PATH": "/usr/bin"]) else {
            Issue.record("not the supervisor")
            return
        }
        defer { for socket in supervisor.sockets { close(socket.descriptor) } }
        #expect(supervisor.workerCount == 3)
        #expect(supervisor.port > 0)
        // A socket per worker slot, all on the port, so that the kernel spreads connections among them.
        #expect(supervisor.sockets.count == 3)
        #expect(Set(supervisor.sockets.map(\.descriptor)).count == 3)
        for socket in supervisor.sockets {
            #expect(ListeningSocket.boundPort(of: socket.descriptor) == supervisor.port)
            #expect(fcntl(socket.descriptor, F_GETFD) & FD_CLOEXEC != 0)
            var reusePort: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            #expect(getsockopt(socket.descriptor, SOL_SOCKET, SO_REUSEPORT, &reusePort, &length) == 0 && reusePort == 1)
        }
        #expect(supervisor.socket(forSlot: 2).descriptor == supervisor.sockets[2].descriptor)
    }

    @Test func aSharedSocketServesEverySlot() throws {
        var configuration = Cluster.Configuration(host: "127.0.0.1", port: 0, workers: .fixed(3))
        configuration.listening = .sharedSocket
        let cluster = Cluster(configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        guard case .supervisor(let supervisor) = try cluster.role(environment: [:]) else {
            Issue.record("not the supervisor")
            return
        }
        defer { close(supervisor.sockets[0].descriptor) }
        #expect(supervisor.sockets.count == 1)
        #expect((0..<3).allSatisfy { supervisor.socket(forSlot: $0).descriptor == supervisor.sockets[0].descriptor })
    }

    @Test func workersThatCannotBeStartedEndInACrashLoop() async throws {
        var configuration = Cluster.Configuration(host: "127.0.0.1", port: 0, workers: .fixed(2))
        configuration.executablePath = "/nonexistent/jaan-worker"
        configuration.initialBackoff = .milliseconds(5)
        configuration.maximumRestarts = 2
        let cluster = Cluster(configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        guard case .supervisor(let supervisor) = try cluster.role(environment: [:]) else {
            Issue.record("not the supervisor")
            return
        }
        defer { for socket in supervisor.sockets { close(socket.descriptor) } }
        #expect(await supervisor.run() == 1)
        #expect(await supervisor.run() == 1)
    }

    @Test func portOutOfRangeIsRejected() {
        #expect(throws: ClusterError.addressNotResolved) { try cluster(workers: .fixed(1), port: 70000).role(environment: [:]) }
    }

    @Test func addressNotOnThisMachineIsRejected() {
        // 203.0.113.0/24 is reserved for documentation: never a local address.
        #expect(throws: ClusterError.bindFailed) { try cluster(workers: .fixed(1), host: "203.0.113.7").role(environment: [:]) }
    }

    @Test(arguments: [
        ["JAAN_CLUSTER_WORKER_ID": "x"],
        ["JAAN_CLUSTER_WORKER_ID": "1", "JAAN_CLUSTER_LISTEN_FD": "3"],
        [
            "JAAN_CLUSTER_WORKER_ID": "1", "JAAN_CLUSTER_LISTEN_FD": "3", "JAAN_CLUSTER_CONTROL_FD": "4",
            "JAAN_CLUSTER_SUPERVISOR_PID": "0", "JAAN_CLUSTER_SHUTDOWN_TIMEOUT_MS": "5000",
        ],
        [
            "JAAN_CLUSTER_WORKER_ID": "1", "JAAN_CLUSTER_LISTEN_FD": "3", "JAAN_CLUSTER_CONTROL_FD": "4",
            "JAAN_CLUSTER_SUPERVISOR_PID": "42", "JAAN_CLUSTER_SHUTDOWN_TIMEOUT_MS": "5000",
        ],
        [
            "JAAN_CLUSTER_WORKER_ID": "1", "JAAN_CLUSTER_LISTEN_FD": "3", "JAAN_CLUSTER_CONTROL_FD": "4",
            "JAAN_CLUSTER_SUPERVISOR_PID": "42", "JAAN_CLUSTER_SHUTDOWN_TIMEOUT_MS": "5000", "JAAN_CLUSTER_WORKER_COUNT": "1",
        ],
    ])
    func malformedWorkerEnvironmentIsRejected(environment: [String: String]) {
        #expect(throws: ClusterError.malformedWorkerEnvironment) { try cluster(workers: .fixed(2)).role(environment: environment) }
    }

    @Test func workerEnvironmentReplacesAnInheritedMarker() throws {
        let marker = WorkerEnvironment(workerID: 3, workerCount: 4, supervisorPID: 42, shutdownTimeout: .milliseconds(2500))
        let lines = marker.merged(into: ["HOME": "/root", "JAAN_CLUSTER_WORKER_ID": "9"])
        var environment: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: "=", maxSplits: 1)
            environment[String(parts[0])] = String(parts[1])
        }
        #expect(environment["HOME"] == "/root")
        #expect(try WorkerEnvironment(environment) == marker)
        #expect(marker.shutdownTimeoutMilliseconds == 2500)
        #expect(environment["JAAN_CLUSTER_WORKER_COUNT"] == "4")
        #expect(try WorkerEnvironment(["HOME": "/root"]) == nil)
    }

    @Test func aWorkersCPUShareDividesTheUsableCPUs() {
        let cpus = UsableCPUs.count()
        func share(workers: Int) -> Int {
            Worker(id: 0, workerCount: workers, listeningSocket: -1, port: 0, logger: Logger(label: "test"), control: nil).cpuShare
        }
        #expect(share(workers: 1) == cpus)
        #expect(share(workers: cpus) == 1)
        #expect(share(workers: cpus * 4) == 1)
        if cpus >= 4 { #expect(share(workers: 2) == cpus / 2) }
    }

    @Test func workerCountIsAtLeastOne() {
        #expect(WorkerCount.fixed(0).resolve() == 1)
        #expect(WorkerCount.fixed(4).resolve() == 4)
        #expect(WorkerCount.fixed(4).description == "4")
        #expect(WorkerCount.automatic.description == "automatic")
        let automatic = WorkerCount.automatic.resolve()
        #expect(automatic >= 1)
        #expect(automatic <= Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    @Test func defaultsMatchTheOriginalDeployment() {
        let configuration = Cluster.Configuration()
        #expect(configuration.port == 3001)
        #expect(configuration.workers == .automatic)
        #expect(configuration.memoryLimit == 1_073_741_824)
        #expect(configuration.shutdownTimeout == .seconds(5))
        #expect(configuration.sampleInterval == .seconds(1))
    }
}

@Suite struct UsableCPUsTests {
    @Test func cgroupV2QuotaIsRoundedUpToWholeCPUs() {
        #expect(UsableCPUs.quota(cgroupV2CPUMax: "max 100000\n") == nil)
        #expect(UsableCPUs.quota(cgroupV2CPUMax: "150000 100000\n") == 2)
        #expect(UsableCPUs.quota(cgroupV2CPUMax: "50000 100000\n") == 1)
        #expect(UsableCPUs.quota(cgroupV2CPUMax: "400000 100000") == 4)
        #expect(UsableCPUs.quota(cgroupV2CPUMax: "garbage") == nil)
    }

    @Test func cgroupV1QuotaOfMinusOneIsUnlimited() {
        #expect(UsableCPUs.quota(cgroupV1Quota: "-1\n", period: "100000\n") == nil)
        #expect(UsableCPUs.quota(cgroupV1Quota: "300000\n", period: "100000\n") == 3)
        #expect(UsableCPUs.quota(cgroupV1Quota: "", period: "100000") == nil)
    }
}

@Suite struct ProcessSampleTests {
    @Test func residentMemoryAndCPUTimeAreParsed() {
        let stat = "1234 (my (odd) app) S 1 1234 1234 0 -1 4194560 500 0 0 0 250 50 0 0 20 0 4 0 100 1000000 300"
        let sample = ProcessSample.parse(statm: "5000 300 200 10 0 400 0\n", stat: stat, pageSize: 4096)
        #expect(sample == ProcessSample(residentBytes: 300 * 4096, cpuTicks: 300))
    }

    @Test func malformedProcFilesGiveNoSample() {
        #expect(ProcessSample.parse(statm: "", stat: "1 (a) S", pageSize: 4096) == nil)
        #expect(ProcessSample.parse(statm: "1 2", stat: "no parenthesis", pageSize: 4096) == nil)
    }

    @Test func thisProcessCanBeSampled() throws {
        let sample = try #require(ProcessSample.read(pid: getpid()))
        #expect(sample.residentBytes > 0)
        #expect(ProcessSample.read(pid: -1) == nil)
    }
}
