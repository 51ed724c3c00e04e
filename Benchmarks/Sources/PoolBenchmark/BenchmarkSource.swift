import JaanPool
import Synchronization

/// A connection that costs nothing, so the benchmark measures the pool alone.
struct BenchmarkConnection: PooledConnection {
    let id: Int
    var isUsable: Bool { true }
    func close() async {}
}

/// Opens ``BenchmarkConnection``s at once.
final class BenchmarkSource: ConnectionSource, Sendable {
    private let counter = Counter()

    func makeConnection() async throws -> BenchmarkConnection {
        BenchmarkConnection(id: self.counter.next())
    }
}

/// Hands out increasing numbers.
final class Counter: Sendable {
    private let value = Atomic(0)

    func next() -> Int {
        self.value.add(1, ordering: .relaxed).newValue
    }
}
