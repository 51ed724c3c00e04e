#if canImport(Glibc)
import Glibc
#endif

/// One contender: a name and a closure that compresses the payload once, returning the compressed length.
struct Contender {
    var name: String
    var run: () async throws -> Int
}

/// Runs contenders in interleaved rounds, so that noise from the shared machine hits all alike.
///
/// Time is the process's CPU time, not wall-clock time: on a machine shared with other jobs the
/// process is often descheduled, which wall-clock time would count against whoever was running.
/// (Process, not thread, time, since async code may resume on another thread.)
struct Measurement {
    var rounds: Int
    var iterations: Int

    /// The median time per body, in microseconds, for each contender, keyed by name.
    func medians(of contenders: [Contender]) async throws -> [String: Double] {
        var samples: [String: [Double]] = [:]
        var sink = 0
        for round in 0..<self.rounds {
            // Rotate the order each round so that no contender always runs first or last.
            let order = contenders.indices.map { contenders[($0 + round) % contenders.count] }
            for contender in order {
                let start = Self.processCPUMicroseconds()
                for _ in 0..<self.iterations {
                    sink &+= try await contender.run()
                }
                let elapsed = Self.processCPUMicroseconds() - start
                samples[contender.name, default: []].append(elapsed / Double(self.iterations))
            }
        }
        precondition(sink > 0)
        return samples.mapValues { values in
            let sorted = values.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }

    /// The CPU time this process has used, in microseconds.
    static func processCPUMicroseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
    }
}
