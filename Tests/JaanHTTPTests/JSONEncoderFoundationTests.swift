import Foundation
import JaanHTTP
import NIOCore
import Testing

@Suite struct JSONEncoderFoundationTests {
    @Test func helloMessageMatchesFoundationByteForByte() throws {
        struct Message: Codable { var message: String }
        let value = Message(message: "Hello, World!")
        #expect(try jaanJSON(value) == #"{"message":"Hello, World!"}"#)
        #expect(try jaanJSON(value) == foundationJSON(value))
    }

    @Test func userWithItemsMatchesFoundation() throws {
        // Foundation's encoder on Linux orders keys by hash: compare parsed, and bytes with sorted keys.
        let user = FixtureUser.make(id: 42)
        #expect(try parsed(jaanJSON(user)) == parsed(foundationJSON(user)))
        var configuration = JSONResponseEncoder.Configuration()
        configuration.sortsKeys = true
        #expect(try jaanJSON(user, configuration: configuration) == foundationJSON(user, sorted: true))
        #expect(try jaanJSON(user).hasPrefix(#"{"id":42,"name":"#))
    }

    @Test func userWithItemsRoundTripsThroughJSONDecoder() throws {
        let user = FixtureUser.make(id: 7)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(FixtureUser.self, from: Data(jaanJSON(user).utf8))
        #expect(decoded == user)
    }

    @Test func sortedKeysMatchFoundation() throws {
        let user = FixtureUser.make(id: 3)
        var configuration = JSONResponseEncoder.Configuration()
        configuration.sortsKeys = true
        #expect(try jaanJSON(user, configuration: configuration) == foundationJSON(user, sorted: true))
        let dictionary = ["b": 1, "a": 2, "C": 3, "a2": 4, "a10": 5, "é": 6]
        #expect(try jaanJSON(dictionary, configuration: configuration) == foundationJSON(dictionary, sorted: true))
    }

    @Test func dictionariesBecomeObjectsLikeFoundation() throws {
        let byString = ["x": [1, 2], "y": [3]]
        #expect(try parsed(jaanJSON(byString)) == parsed(foundationJSON(byString)))
        let byInt = [1: "a", 2: "b"]
        #expect(try parsed(jaanJSON(byInt)) == parsed(foundationJSON(byInt)))
        let byDouble = [1.5: "a"]
        #expect(try jaanJSON(byDouble) == foundationJSON(byDouble))
    }

    @Test func foundationTypesAreWrittenLikeFoundation() throws {
        struct Values: Codable {
            var data = Data([0, 1, 2, 250, 255])
            var url = URL(string: "https://example.com/a/b?c=d#e")!
            var uuid = UUID(uuidString: "e621e1f8-c36c-495a-93fc-0c247a3e6e5f")!
            var decimal = Decimal(string: "12.345")!
            var optionalNil: Int? = nil
            var optionalSome: Int? = 5
            var nested: [[Int?]] = [[1, nil], []]
        }
        #expect(try parsed(jaanJSON(Values())) == parsed(foundationJSON(Values())))
        #expect(try jaanJSON(Values()).contains(#""data":"AAEC+v8=""#))
        #expect(try jaanJSON(Values()).contains(#""decimal":12.345,"#))
        #expect(try jaanJSON(Values()).contains(#""url":"https://example.com/a/b?c=d#e""#))
        #expect(try jaanJSON(Values()).contains(#""uuid":"E621E1F8-C36C-495A-93FC-0C247A3E6E5F""#))
        #expect(try !jaanJSON(Values()).contains("optionalNil"))
    }

    @Test func datesFollowTheConfiguredStrategy() throws {
        let date = Date(timeIntervalSince1970: 1_795_921_200.25)
        #expect(try jaanJSON([date]) == #"["2026-11-29T03:00:00Z"]"#)
        #expect(try jaanJSON([date]) == foundationJSON([date]))
        var configuration = JSONResponseEncoder.Configuration()
        configuration.dateEncodingStrategy = .iso8601WithFractionalSeconds
        #expect(try jaanJSON([date], configuration: configuration) == #"["2026-11-29T03:00:00.250Z"]"#)
        configuration.dateEncodingStrategy = .secondsSince1970
        #expect(try jaanJSON([date], configuration: configuration) == foundationJSON([date], dates: .secondsSince1970))
        configuration.dateEncodingStrategy = .millisecondsSince1970
        #expect(try jaanJSON([date], configuration: configuration) == foundationJSON([date], dates: .millisecondsSince1970))
        let old = [Date(timeIntervalSince1970: -2_208_988_800.5), Date(timeIntervalSince1970: 951_782_400)]
        #expect(try jaanJSON(old) == foundationJSON(old))
    }

    @Test(arguments: [
        "myProperty", "myURLValue", "URLValue", "_leading", "trailing_", "__both__", "already_snake", "value2Go",
        "HTTPStatus", "a", "aB", "ABC", "userID", "éTéÉé", "",
        // ASCII keys take a byte-wise path; these pin it to Foundation's splitting too.
        "Id", "X", "requesterId", "nextBefore", "a_B_c", "AbcDEF", "ID9x", "aBCd", "a1B2c3", "mixedÉCase",
    ])
    func snakeCaseKeysMatchFoundation(key: String) throws {
        struct OneKey: Encodable {
            struct Key: CodingKey {
                var stringValue: String
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
                var intValue: Int? { nil }
            }
            var key: String
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(1, forKey: Key(stringValue: self.key))
            }
        }
        var configuration = JSONResponseEncoder.Configuration()
        configuration.keyEncodingStrategy = .convertToSnakeCase
        #expect(try jaanJSON(OneKey(key: key), configuration: configuration) == foundationJSON(OneKey(key: key), snakeCase: true))
    }

    @Test func snakeCaseLeavesStringDictionaryKeysAloneLikeFoundation() throws {
        var configuration = JSONResponseEncoder.Configuration()
        configuration.keyEncodingStrategy = .convertToSnakeCase
        let value = ["outerKey": ["innerKey": 1]]
        #expect(try jaanJSON(value, configuration: configuration) == #"{"outerKey":{"innerKey":1}}"#)
        #expect(try jaanJSON(value, configuration: configuration) == foundationJSON(value, snakeCase: true))
        configuration.sortsKeys = true
        #expect(try jaanJSON(value, configuration: configuration) == foundationJSON(value, sorted: true, snakeCase: true))
    }

    @Test func snakeCaseAppliesToSynthesizedKeys() throws {
        var configuration = JSONResponseEncoder.Configuration()
        configuration.keyEncodingStrategy = .convertToSnakeCase
        let user = FixtureUser.make(id: 1)
        let text = try jaanJSON(user, configuration: configuration)
        #expect(try parsed(text) == parsed(foundationJSON(user, snakeCase: true)))
        #expect(text.contains(#""home_page_url":"#))
    }

    @Test func encodeIntoAppendsToTheBuffer() throws {
        var buffer = ByteBuffer(string: "prefix:")
        try JSONResponseEncoder().encode([1, 2], into: &buffer)
        #expect(String(buffer: buffer) == "prefix:[1,2]")
    }

    @Test func userInfoReachesEncodeTo() throws {
        struct Reader: Encodable {
            static let key = CodingUserInfoKey(rawValue: "flag")!
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(encoder.userInfo[Self.key] as? String ?? "missing")
            }
        }
        var configuration = JSONResponseEncoder.Configuration()
        configuration.userInfo[Reader.key] = "present"
        #expect(try jaanJSON(Reader(), configuration: configuration) == #""present""#)
    }
}
