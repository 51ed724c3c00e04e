import HTTPTypes
import JaanHTTP
import Testing

@testable import JaanTimeout

/// The race between a handler and its deadline, driven from two threads at once.
@Suite(.timeLimit(.minutes(1))) struct HandlerRaceTests {
    @Test func handlerAndDeadlineArrivingTogetherYieldOneOutcome() async throws {
        var finished = 0
        var expired = 0
        for _ in 0..<2_000 {
            let race = HandlerRace(timeout: .seconds(1), timer: ClockDeadlineTimer(clock: ManualClock()))
            async let handler: Void = race.finish(.success(Response(status: .ok)))
            async let deadline: Void = race.deadlinePassed()
            let outcome = await race.outcome()
            _ = await (handler, deadline)
            switch outcome {
            case .finished(let result, let handedOver):
                #expect(try result.get().status == .ok)
                #expect(!handedOver)
                finished += 1
            case .expired:
                expired += 1
            }
            // A second call of either side changes nothing.
            race.finish(.success(Response(status: .accepted)))
            race.deadlinePassed()
        }
        #expect(finished + expired == 2_000)
    }

    @Test func handOverAfterTheDeadlineIsRefused() {
        let race = HandlerRace(timeout: .seconds(1), timer: ClockDeadlineTimer(clock: ManualClock()))
        race.deadlinePassed()
        #expect(!race.handOver())
    }

    @Test func deadlineAfterHandOverIsIgnored() async {
        let race = HandlerRace(timeout: .seconds(1), timer: ClockDeadlineTimer(clock: ManualClock()))
        #expect(race.handOver())
        race.deadlinePassed()
        race.finish(.success(Response(status: .ok)))
        guard case .finished(_, let handedOver) = await race.outcome() else {
            Issue.record("The deadline won after it was handed over")
            return
        }
        #expect(handedOver)
    }
}
