import JaanPool
import JaanPostgres
import Logging
import Synchronization

/// Runs the workloads through JaanPool and JaanPostgres.
enum JaanRunner {
    struct Account: Decodable {
        var aid: Int
        var bid: Int
        var abalance: Int
        var filler: String
    }

    static func run(
        _ workload: Workload,
        url: String,
        clients: Int,
        seconds: Double,
        onReactor: Bool = false,
        pipelineDepth: Int = 1
    ) async throws -> Measurement {
        var configuration = PostgresClient.Configuration(connectionString: url)
        configuration.pool.maximumConnections = clients
        configuration.pool.minimumConnections = clients
        let client = PostgresClient(configuration: configuration, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            // Warm up: open every connection and prepare the statement on it.
            let executor: (any TaskExecutor)? = onReactor ? client.taskExecutor : nil
            _ = try await Measurement.drive(clients: clients, seconds: 0.5, executor: executor) { random in
                try await once(workload, client, pipelineDepth: pipelineDepth, random: &random)
            }
            return try await Measurement.drive(clients: clients, seconds: seconds, executor: executor) { random in
                try await once(workload, client, pipelineDepth: pipelineDepth, random: &random)
            }
        }
    }

    static func once(_ workload: Workload, _ client: PostgresClient, pipelineDepth: Int, random: inout FastRandom) async throws -> Int {
        switch workload {
        case .selectOnly where pipelineDepth > 1:
            var queries: [PostgresQuery] = []
            for _ in 0..<pipelineDepth {
                queries.append("SELECT abalance FROM pgbench_accounts WHERE aid = \(random.next(in: 1...1_000_000))")
            }
            let results = try await client.pipeline(queries)
            for rows in results { _ = try rows[0].decode(Int.self, at: 0) }
            return pipelineDepth
        case .selectOnly:
            let aid = random.next(in: 1...1_000_000)
            let rows = try await client.query("SELECT abalance FROM pgbench_accounts WHERE aid = \(aid)")
            _ = try rows[0].decode(Int.self, at: 0)
            return 1
        case .hundredRows:
            let first = random.next(in: 1...999_900)
            let rows = try await client.query(
                "SELECT aid, bid, abalance, filler FROM pgbench_accounts WHERE aid BETWEEN \(first) AND \(first + 99)"
            )
            let accounts = try rows.decode(Account.self)
            precondition(accounts.count == 100)
            return 1
        }
    }
}
