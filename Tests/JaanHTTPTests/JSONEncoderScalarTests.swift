import Foundation
import JaanHTTP
import Testing

@Suite struct JSONEncoderScalarTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote\"", #""quote\"""#),
        ("back\\slash", #""back\\slash""#),
        ("slash/", #""slash/""#),
        ("\u{8}\u{c}\n\r\t", #""\b\f\n\r\t""#),
        ("\u{0}\u{1}\u{1f}", #""\u0000\u0001\u001f""#),
        ("\u{7f}", "\"\u{7f}\""),
        ("é😀中", "\"é😀中\""),
        ("", #""""#),
    ])
    func stringsAreEscapedLikeFoundation(input: String, expected: String) throws {
        #expect(try jaanJSON([input]) == "[\(expected)]")
        #expect(try jaanJSON([input]) == foundationJSON([input]))
    }

    @Test(arguments: [
        0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1e-5, 1e-7, 1e15, 1e16, 1e21, 123456789012345678.0, 999_999_999_999_999.0,
        .leastNonzeroMagnitude, .greatestFiniteMagnitude, -2.2250738585072014e-308, 12345.678, 100.0, -123.0, 1.0 / 3.0,
    ])
    func doublesMatchFoundation(value: Double) throws {
        #expect(try jaanJSON([value]) == foundationJSON([value]))
        let roundTripped = try JSONDecoder().decode([Double].self, from: Data(jaanJSON([value]).utf8))
        #expect(roundTripped[0].bitPattern == value.bitPattern || (value == 0 && roundTripped[0] == 0))
    }

    @Test(arguments: [Float(0.1), 1, -0.0, 1e-5, 3.4e38, 16_777_216, .leastNormalMagnitude, .leastNonzeroMagnitude])
    func floatsMatchFoundation(value: Float) throws {
        #expect(try jaanJSON([value]) == foundationJSON([value]))
    }

    @Test func integersOfEveryWidthMatchFoundation() throws {
        struct Integers: Codable {
            var int = Int.min
            var intMax = Int.max
            var int8 = Int8.min
            var int16 = Int16.min
            var int32 = Int32.min
            var int64 = Int64.min
            var uint = UInt.max
            var uint8 = UInt8.max
            var uint16 = UInt16.max
            var uint32 = UInt32.max
            var uint64 = UInt64.max
            var zero = 0
            var arrays: [[Int8]] = [[-1, 0, 1]]
            var unsigned: [UInt16] = [0, 9, 10, 65535]
        }
        #expect(try parsed(jaanJSON(Integers())) == parsed(foundationJSON(Integers())))
        #expect(try jaanJSON(Integers()).hasPrefix(#"{"int":-9223372036854775808,"intMax":9223372036854775807,"int8":-128,"#))
        #expect(try jaanJSON([Int.min]) == "[-9223372036854775808]")
    }

    @Test func topLevelScalarsAreFragments() throws {
        #expect(try jaanJSON(3) == "3")
        #expect(try jaanJSON("s") == #""s""#)
        #expect(try jaanJSON(true) == "true")
        #expect(try jaanJSON(Int?.none) == "null")
        #expect(try jaanJSON([false, true]) == "[false,true]")
    }

    @Test func escapesAreFoundAtEveryPositionOfLongStrings() throws {
        let specials: [Character] = ["\"", "\\", "\u{0}", "\u{1f}", "\n", "é", "😀", "/", "\u{7f}", " "]
        for length in [1, 7, 8, 9, 15, 16, 17, 40] {
            for position in 0..<length {
                for special in specials {
                    var text = String(repeating: "a", count: length)
                    let index = text.index(text.startIndex, offsetBy: position)
                    text.replaceSubrange(index...index, with: String(special))
                    #expect(try jaanJSON([text]) == foundationJSON([text]), "\(length) \(position) \(special)")
                }
            }
        }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteDoublesThrowWithTheirPath(value: Double) throws {
        struct Holder: Encodable { var values: [String: [Double]] }
        let error = #expect(throws: EncodingError.self) { try jaanJSON(Holder(values: ["k": [1, value]])) }
        guard case .invalidValue(_, let context) = error else {
            Issue.record("expected invalidValue")
            return
        }
        #expect(context.codingPath.map(\.stringValue) == ["values", "k", "Index 1"])
    }

    @Test func nonFiniteFloatsDecimalsAndDatesThrow() throws {
        #expect(throws: EncodingError.self) { try jaanJSON([Float.nan]) }
        #expect(throws: EncodingError.self) { try jaanJSON(["k": Decimal.nan]) }
        var configuration = JSONResponseEncoder.Configuration()
        configuration.dateEncodingStrategy = .secondsSince1970
        #expect(throws: EncodingError.self) { try jaanJSON([Date(timeIntervalSince1970: .infinity)], configuration: configuration) }
        struct Single: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(Double.nan)
            }
        }
        #expect(throws: EncodingError.self) { try jaanJSON(Single()) }
    }
}
