import JaanCompression
import Testing

@Suite("Accept-Encoding negotiation")
struct AcceptEncodingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var header: [String]
        var supported: [ContentCoding] = [.gzip, .deflate]
        var expected: ContentCoding?
        var testDescription: String { "\(header) -> \(expected?.description ?? "none")" }
    }

    static let cases: [Case] = [
        // No header or an empty one: no coding.
        Case(header: [], expected: .identity),
        Case(header: [""], expected: .identity),
        // Plain lists: the server prefers gzip over deflate on equal weights.
        Case(header: ["gzip"], expected: .gzip),
        Case(header: ["deflate"], expected: .deflate),
        Case(header: ["gzip, deflate, br"], expected: .gzip),
        Case(header: ["deflate, gzip"], expected: .gzip),
        Case(header: ["br, zstd"], expected: .identity),
        Case(header: ["deflate, gzip"], supported: [.deflate, .gzip], expected: .deflate),
        // q-values.
        Case(header: ["gzip;q=0.5, deflate;q=0.8"], expected: .deflate),
        Case(header: ["deflate;q=1.0, gzip;q=0.999"], expected: .deflate),
        Case(header: ["gzip ; q=0.2 , deflate ; Q=0.1"], expected: .gzip),
        Case(header: ["gzip;q=0.001"], expected: .gzip),
        Case(header: ["x-gzip"], expected: .gzip),
        Case(header: ["GZIP;Q=1"], expected: .gzip),
        // q=0 excludes.
        Case(header: ["gzip;q=0, deflate"], expected: .deflate),
        Case(header: ["gzip;q=0, deflate;q=0"], expected: .identity),
        Case(header: ["gzip;q=0.000"], expected: .identity),
        // identity.
        Case(header: ["identity"], expected: .identity),
        Case(header: ["identity;q=1, gzip;q=0.5"], expected: .identity),
        Case(header: ["identity;q=0.5, gzip;q=0.5"], expected: .gzip),
        Case(header: ["identity;q=0"], expected: nil),
        Case(header: ["gzip;q=0, identity;q=0"], expected: nil),
        // The wildcard.
        Case(header: ["*"], expected: .gzip),
        Case(header: ["*;q=0.5, gzip;q=0.1"], expected: .deflate),
        Case(header: ["*;q=0"], expected: nil),
        Case(header: ["*;q=0, identity"], expected: .identity),
        Case(header: ["*;q=0, deflate"], expected: .deflate),
        Case(header: ["*;q=0, gzip;q=0.3"], expected: .gzip),
        // Several field lines are one list.
        Case(header: ["gzip;q=0", "deflate"], expected: .deflate),
        Case(header: ["br", "deflate;q=0.4"], expected: .deflate),
        // Malformed elements are ignored.
        Case(header: ["gzip;q=2, deflate"], expected: .deflate),
        Case(header: ["gzip;q=abc"], expected: .identity),
        Case(header: ["gzip;q=0.5555, deflate;q=0.1"], expected: .deflate),
        Case(header: [" , ,gzip,,"], expected: .gzip),
        Case(header: ["g zip"], expected: .identity),
        // Unknown parameters do not change the weight.
        Case(header: ["gzip;level=9;q=0.3, deflate;q=0.2"], expected: .gzip),
    ]

    @Test(arguments: cases)
    func negotiatesAsRFC9110Says(_ testCase: Case) {
        #expect(AcceptEncoding.negotiate(testCase.header, supported: testCase.supported) == testCase.expected)
    }

    @Test func codingNamesMapToFormats() {
        #expect(ContentCoding("gzip")?.format == .gzip)
        #expect(ContentCoding(" Deflate ")?.format == .zlib)
        #expect(ContentCoding("identity") == .identity)
        #expect(ContentCoding.identity.format == nil)
        #expect(ContentCoding("br") == nil)
    }
}
