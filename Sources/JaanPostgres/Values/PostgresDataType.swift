/// A PostgreSQL data type, by its object id (OID).
public struct PostgresDataType: Sendable, Hashable, CustomStringConvertible {
    /// The type's OID.
    public let oid: UInt32

    /// Creates a data type from its OID.
    public init(oid: UInt32) { self.oid = oid }

    /// No type: the server infers it from the statement.
    public static let unspecified = PostgresDataType(oid: 0)
    /// `bool`
    public static let bool = PostgresDataType(oid: 16)
    /// `bytea`
    public static let bytea = PostgresDataType(oid: 17)
    /// `name`
    public static let name = PostgresDataType(oid: 19)
    /// `int8` (`bigint`)
    public static let int8 = PostgresDataType(oid: 20)
    /// `int2` (`smallint`)
    public static let int2 = PostgresDataType(oid: 21)
    /// `int4` (`integer`)
    public static let int4 = PostgresDataType(oid: 23)
    /// `text`
    public static let text = PostgresDataType(oid: 25)
    /// `oid`
    public static let oidType = PostgresDataType(oid: 26)
    /// `json`
    public static let json = PostgresDataType(oid: 114)
    /// `xml`
    public static let xml = PostgresDataType(oid: 142)
    /// `float4` (`real`)
    public static let float4 = PostgresDataType(oid: 700)
    /// `float8` (`double precision`)
    public static let float8 = PostgresDataType(oid: 701)
    /// `unknown`, the type of an untyped literal.
    public static let unknown = PostgresDataType(oid: 705)
    /// `bpchar` (`char(n)`)
    public static let bpchar = PostgresDataType(oid: 1042)
    /// `varchar`
    public static let varchar = PostgresDataType(oid: 1043)
    /// `date`
    public static let date = PostgresDataType(oid: 1082)
    /// `timestamp` (without time zone)
    public static let timestamp = PostgresDataType(oid: 1114)
    /// `timestamptz` (with time zone)
    public static let timestamptz = PostgresDataType(oid: 1184)
    /// `numeric`
    public static let numeric = PostgresDataType(oid: 1700)
    /// `uuid`
    public static let uuid = PostgresDataType(oid: 2950)
    /// `jsonb`
    public static let jsonb = PostgresDataType(oid: 3802)

    /// The type's SQL name for the built-in types this module knows, else `oid <n>`.
    public var description: String {
        switch self {
        case .bool: "bool"
        case .bytea: "bytea"
        case .name: "name"
        case .int8: "int8"
        case .int2: "int2"
        case .int4: "int4"
        case .text: "text"
        case .oidType: "oid"
        case .json: "json"
        case .xml: "xml"
        case .float4: "float4"
        case .float8: "float8"
        case .unknown: "unknown"
        case .bpchar: "bpchar"
        case .varchar: "varchar"
        case .date: "date"
        case .timestamp: "timestamp"
        case .timestamptz: "timestamptz"
        case .numeric: "numeric"
        case .uuid: "uuid"
        case .jsonb: "jsonb"
        default: "oid \(oid)"
        }
    }

    /// Whether values of this type read naturally as text: the character types, JSON, XML,
    /// and types created by users (enums, domains, extensions such as `citext`).
    var isTextual: Bool {
        switch self {
        case .text, .varchar, .bpchar, .name, .unknown, .json, .jsonb, .xml: true
        default: oid >= 16384
        }
    }
}
