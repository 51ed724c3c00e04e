import CoreMetrics
import Synchronization

/// A metrics backend about as cheap as a real one can be: each counter, gauge and timer is an atomic, so the
/// benchmark can show what publishing the pool's figures costs per lease.
final class AtomicMetricsFactory: MetricsFactory, Sendable {
    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { AtomicHandler() }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { AtomicHandler() }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { AtomicHandler() }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

/// One figure: the last value recorded, or the running total.
final class AtomicHandler: CounterHandler, RecorderHandler, TimerHandler, Sendable {
    private let value = Atomic<Int64>(0)

    func increment(by amount: Int64) { self.value.add(amount, ordering: .relaxed) }
    func reset() { self.value.store(0, ordering: .relaxed) }
    func record(_ value: Int64) { self.value.store(value, ordering: .relaxed) }
    func record(_ value: Double) { self.value.store(Int64(value), ordering: .relaxed) }
    func recordNanoseconds(_ duration: Int64) { self.value.store(duration, ordering: .relaxed) }
}
