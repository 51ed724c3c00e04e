import JaanHTTP
import Testing

@testable import JaanTimeout

/// The race between a request's work and its deadline, driven from two threads at once.
@Suite(.timeLimit(.minutes(1))) struct HandlerRaceTests {
    private func makeRace(cancelling signal: CancellationSignal) -> HandlerRace {
        signal.begin(request: 1)
        return HandlerRace(
            timeout: .seconds(1),
            deadline: 1_000_000_000,
            timer: ClockDeadlineTimer(clock: ManualClock()),
            cancellation: RequestCancellation(signal: signal, request: 1)
        )
    }

    @Test func workAndDeadlineArrivingTogetherYieldOneOutcome() async throws {
        var inTime = 0
        var expired = 0
        for _ in 0..<2_000 {
            let signal = CancellationSignal()
            let race = self.makeRace(cancelling: signal)
            async let finished = race.finish()
            async let deadline: Void = race.deadlinePassed()
            let outcome = await finished
            await deadline
            switch outcome {
            case .inTime(let handedOver):
                #expect(!handedOver)
                #expect(!signal.hasFired)
                inTime += 1
            case .expired:
                #expect(signal.hasFired)
                expired += 1
            }
            // Later calls of either side change nothing.
            race.deadlinePassed()
            #expect(race.finish() == outcome)
        }
        #expect(inTime + expired == 2_000)
    }

    @Test func deadlineCancelsTheRequest() {
        let signal = CancellationSignal()
        let race = self.makeRace(cancelling: signal)
        race.deadlinePassed()
        #expect(signal.hasFired)
        #expect(race.finish() == .expired)
    }

    @Test func handOverAfterTheDeadlineIsRefused() {
        let race = self.makeRace(cancelling: CancellationSignal())
        race.deadlinePassed()
        #expect(!race.handOver())
    }

    @Test func deadlineAfterHandOverIsIgnored() {
        let signal = CancellationSignal()
        let race = self.makeRace(cancelling: signal)
        #expect(race.handOver())
        race.deadlinePassed()
        #expect(!signal.hasFired)
        #expect(race.finish() == .inTime(handedOver: true))
    }
}
