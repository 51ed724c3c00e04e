import Foundation
import JaanPostgres
import Testing

extension PostgresTests {
    @Suite struct DecodingTests {
        struct Payload: Codable, Sendable, Equatable {
            var name: String
            var tags: [String]
        }

        struct Everything: Decodable {
            var small: Int16
            var medium: Int32
            var large: Int64
            var plain: Int
            var flag: Bool
            var ratio: Double
            var title: String
            var id: UUID
            var at: Date
            var blob: Data
            var payload: Payload
            var document: Payload
            var missing: String?
        }

        @Test func decodesEveryTypeFromLiterals() async throws {
            try await TestServer.withConnection { connection async throws in
                let rows = try await connection.query(
                    """
                    SELECT 7::int2 AS small, 70000::int4 AS medium, 9000000000::int8 AS large, -5 AS plain,
                           true AS flag, 2.5::float8 AS ratio, 'héllo'::text AS title,
                           'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS id,
                           '2026-03-04 05:06:07.123456+00'::timestamptz AS at,
                           '\\x00ff10'::bytea AS blob,
                           '{"name": "n", "tags": ["a", "b"]}'::jsonb AS payload,
                           '{"name": "m", "tags": []}'::json AS document,
                           NULL::text AS missing
                    """
                )
                let value = try #require(try rows.decode(Everything.self).first)
                #expect(value.small == 7 && value.medium == 70000 && value.large == 9_000_000_000 && value.plain == -5)
                #expect(value.flag && value.ratio == 2.5 && value.title == "héllo")
                #expect(value.id == UUID(uuidString: "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"))
                #expect(abs(value.at.timeIntervalSince1970 - 1_772_600_767.123456) < 0.000_001)
                #expect(value.blob == Data([0x00, 0xff, 0x10]))
                #expect(value.payload == Payload(name: "n", tags: ["a", "b"]))
                #expect(value.document == Payload(name: "m", tags: []))
                #expect(value.missing == nil)
            }
        }

        @Test func bindsRoundTripEveryType() async throws {
            let id = UUID()
            let date = Date(timeIntervalSince1970: 1_700_000_000.654321)
            let early = Date(timeIntervalSince1970: -1_000_000_000.5)
            let blob = Data((0...255).map { UInt8($0) })
            let payload = Payload(name: "x\"y", tags: ["'", "\\"])
            try await TestServer.withConnection { connection async throws in
                let row = try await connection.query(
                    """
                    SELECT \(Int16(-3)) AS a, \(Int32(123_456)) AS b, \(Int64.max) AS c, \(Int.min) AS d, \(false) AS e,
                           \(Double.pi) AS f, \("multi\nline\ttext 'quoted' ☃") AS g, \(id) AS h, \(date) AS i, \(early) AS j,
                           \(blob) AS k, \(PostgresJSON(payload)) AS l, \(Optional<Int>.none) AS m, \(Double.infinity) AS n
                    """
                )[0]
                #expect(try row.decode(Int16.self, column: "a") == -3)
                #expect(try row.decode(Int32.self, column: "b") == 123_456)
                #expect(try row.decode(Int64.self, column: "c") == .max)
                #expect(try row.decode(Int.self, column: "d") == .min)
                #expect(try row.decode(Bool.self, column: "e") == false)
                #expect(try row.decode(Double.self, column: "f") == .pi)
                #expect(try row.decode(String.self, column: "g") == "multi\nline\ttext 'quoted' ☃")
                #expect(try row.decode(UUID.self, column: "h") == id)
                #expect(abs(try row.decode(Date.self, column: "i").timeIntervalSince(date)) < 0.000_001)
                #expect(abs(try row.decode(Date.self, column: "j").timeIntervalSince(early)) < 0.000_001)
                #expect(try row.decode(Data.self, column: "k") == blob)
                #expect(try row.decode(PostgresJSON<Payload>.self, column: "l").value == payload)
                #expect(try row.decode(Int?.self, column: "m") == nil)
                #expect(try row.decode(Double.self, column: "n") == .infinity)
            }
        }

        @Test func rowsDecodeIntoStructsByColumnNameInAnyOrder() async throws {
            struct User: Decodable, Equatable {
                var id: Int
                var name: String
                var createdAt: Date?
            }
            try await TestServer.withConnection { connection async throws in
                let rows = try await connection.query(
                    "SELECT 'ann' AS name, 1 AS id, NULL::timestamptz AS created_at UNION ALL SELECT 'bob', 2, 'infinity'"
                )
                let users = try rows.decode(User.self, keyDecodingStrategy: .convertFromSnakeCase)
                #expect(users == [User(id: 1, name: "ann", createdAt: nil), User(id: 2, name: "bob", createdAt: .distantFuture)])
                #expect(rows.columnNames == ["name", "id", "created_at"])
                #expect(rows.count == 2)
            }
        }

        @Test func nullInANonOptionalFieldNamesTheColumn() async throws {
            struct Row: Decodable { var score: Int }
            try await TestServer.withConnection { connection async throws in
                let rows = try await connection.query("SELECT NULL::int4 AS score")
                let error = #expect(throws: PostgresDecodingError.self) { try rows.decode(Row.self) }
                #expect(error?.column == "score")
                #expect(error?.isUnexpectedNull == true)
                #expect(error?.description.contains("\"score\"") == true)
            }
        }

        @Test func typeMismatchNamesTheColumnAndTypes() async throws {
            struct Row: Decodable { var label: Int }
            try await TestServer.withConnection { connection async throws in
                let rows = try await connection.query("SELECT 'secret-value'::text AS label")
                let error = #expect(throws: PostgresDecodingError.self) { try rows.decode(Row.self) }
                #expect(error?.column == "label")
                #expect(error?.isTypeMismatch == true)
                #expect(error?.postgresType == .text)
                #expect(error?.description.contains("secret-value") == false)
                let uuidError = #expect(throws: PostgresDecodingError.self) { try rows[0].decode(UUID.self, column: "label") }
                #expect(uuidError?.column == "label")
            }
        }

        @Test func missingColumnAndOutOfRangeValuesAreErrors() async throws {
            struct Row: Decodable { var absent: String }
            try await TestServer.withConnection { connection async throws in
                let rows = try await connection.query("SELECT 70000::int4 AS big, 'x'::text AS present")
                let missing = #expect(throws: PostgresDecodingError.self) { try rows.decode(Row.self) }
                #expect(missing?.column == "absent")
                let overflow = #expect(throws: PostgresDecodingError.self) { try rows[0].decode(Int16.self, column: "big") }
                #expect(overflow?.column == "big")
                #expect(throws: PostgresDecodingError.self) { try rows[0].decode(Int.self, at: 5) }
            }
        }

        @Test func invalidJSONInAJSONColumnIsAnErrorNamingIt() async throws {
            try await TestServer.withConnection { connection async throws in
                let rows = try await connection.query(#"SELECT '{"name": 1}'::jsonb AS doc"#)
                let error = #expect(throws: PostgresDecodingError.self) { try rows[0].decode(PostgresJSON<Payload>.self, column: "doc") }
                #expect(error?.column == "doc")
            }
        }
    }
}
