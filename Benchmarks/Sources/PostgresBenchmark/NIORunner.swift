import Logging
import PostgresNIO

/// Runs the workloads through PostgresNIO's `PostgresClient`, with prepared statements.
enum NIORunner {
    struct Account {
        var aid: Int
        var bid: Int
        var abalance: Int
        var filler: String
    }

    struct SelectBalance: PostgresPreparedStatement {
        static let sql = "SELECT abalance FROM pgbench_accounts WHERE aid = $1"
        typealias Row = Int
        var aid: Int
        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(aid)
            return bindings
        }
        func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
    }

    struct SelectHundred: PostgresPreparedStatement {
        static let sql = "SELECT aid, bid, abalance, filler FROM pgbench_accounts WHERE aid BETWEEN $1 AND $2"
        typealias Row = Account
        var first: Int
        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(first)
            bindings.append(first + 99)
            return bindings
        }
        func decodeRow(_ row: PostgresRow) throws -> Account {
            let (aid, bid, abalance, filler) = try row.decode((Int, Int, Int, String).self)
            return Account(aid: aid, bid: bid, abalance: abalance, filler: filler)
        }
    }

    static func run(_ workload: Workload, port: Int, clients: Int, seconds: Double) async throws -> Measurement {
        var configuration = PostgresClient.Configuration(
            host: "127.0.0.1",
            port: port,
            username: "postgres",
            password: nil,
            database: "postgres",
            tls: .disable
        )
        configuration.options.maximumConnections = clients
        configuration.options.minimumConnections = clients
        let client = PostgresClient(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            _ = try await Measurement.drive(clients: clients, seconds: 0.5) { random in try await once(workload, client, random: &random) }
            return try await Measurement.drive(clients: clients, seconds: seconds) { random in try await once(workload, client, random: &random) }
        }
    }

    static func once(_ workload: Workload, _ client: PostgresClient, random: inout FastRandom) async throws -> Int {
        switch workload {
        case .selectOnly:
            var count = 0
            for try await _ in try await client.execute(SelectBalance(aid: random.next(in: 1...1_000_000))) { count += 1 }
            precondition(count == 1)
            return 1
        case .hundredRows:
            var accounts: [Account] = []
            for try await account in try await client.execute(SelectHundred(first: random.next(in: 1...999_900))) {
                accounts.append(account)
            }
            precondition(accounts.count == 100)
            return 1
        }
    }
}
