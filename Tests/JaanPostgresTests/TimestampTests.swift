import Foundation
import Testing

@testable import JaanPostgres

/// PostgreSQL's text form of timestamps, read without a server.
@Suite struct TimestampTests {
    private func parse(_ text: String) -> Date? {
        Array(text.utf8).withUnsafeBufferPointer { Timestamp.parse($0) }
    }

    private func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    @Test func readsEveryFormTheServerSends() {
        #expect(self.parse("1970-01-01") == self.date(0))
        #expect(self.parse("2026-03-04 05:06:07+00") == self.date(1_772_600_767))
        #expect(self.parse("2026-03-04T05:06:07+00") == self.date(1_772_600_767))
        #expect(self.parse("2026-03-04 05:06:07.5+00") == self.date(1_772_600_767.5))
        #expect(self.parse("2026-03-04 05:06:07.000250+00") == self.date(1_772_600_767.000250))
        #expect(self.parse("2026-03-04 05:06:07+05:30") == self.date(1_772_600_767 - 19_800))
        #expect(self.parse("2026-03-04 05:06:07-08") == self.date(1_772_600_767 + 28_800))
        #expect(self.parse("1900-01-01 00:00:00+00:19:32") == self.date(-2_208_988_800 - 1_172))
        #expect(self.parse("infinity") == .distantFuture)
        #expect(self.parse("-infinity") == .distantPast)
    }

    @Test func refusesMalformedText() {
        for text in [
            "", "2026", "2026-03", "2026-13-01", "2026-03-32", "2026-03-04 05", "2026-03-04 05:06",
            "2026-03-04 05:06:07.", "2026-03-04 05:06:07+", "2026-03-04 05:06:07+00 junk", "2026-3-4x", "infinite",
        ] {
            #expect(self.parse(text) == nil, "\(text)")
        }
    }
}
