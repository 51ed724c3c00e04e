import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// An address book as uploaded: a JSON array of `{"email", "name", "phone"}` objects, or CSV with
/// an `email,name,phone` header (columns in any order; only `email` is required).
struct ContactList: Sendable {
    struct Contact: Decodable, Sendable, Equatable {
        var email: String
        var name: String?
        var phone: String?
    }

    var contacts: [Contact]

    /// Parses `body` as JSON or CSV according to `contentType`, normalizing and checking each email.
    init(body: ByteBuffer, contentType: String?) throws {
        let mediaType = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/json":
            do {
                contacts = try JSONDecoder().decode([Contact].self, from: Data(body.readableBytesView))
            } catch {
                throw HTTPError(.badRequest, message: "Malformed JSON: expected an array of contacts")
            }
        case "text/csv":
            contacts = try Self.parseCSV(String(decoding: body.readableBytesView, as: UTF8.self))
        default:
            throw HTTPError(.unsupportedMediaType, message: "Expected Content-Type application/json or text/csv")
        }
        guard !contacts.isEmpty else { throw Validation.invalid("contacts", "the list is empty") }
        for index in contacts.indices {
            contacts[index].email = try Validation.email(contacts[index].email, field: "contacts[\(index)].email")
            let name = contacts[index].name ?? ""
            let phone = contacts[index].phone ?? ""
            guard name.utf8.count <= 200, phone.utf8.count <= 50, !name.contains("\u{0}"), !phone.contains("\u{0}") else {
                throw Validation.invalid("contacts[\(index)]", "name or phone too long")
            }
        }
    }

    /// Parses CSV (RFC 4180 quoting) whose first line names the columns.
    static func parseCSV(_ text: String) throws -> [Contact] {
        var rows = CSVReader(text).makeIterator()
        guard let header = rows.next() else { return [] }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let emailColumn = names.firstIndex(of: "email") else {
            throw Validation.invalid("csv", "the first line must name the columns, including email")
        }
        let nameColumn = names.firstIndex(of: "name")
        let phoneColumn = names.firstIndex(of: "phone")
        var contacts: [Contact] = []
        while let row = rows.next() {
            if row.count == 1 && row[0].isEmpty { continue }
            func field(_ column: Int?) -> String? {
                guard let column, column < row.count else { return nil }
                return row[column]
            }
            contacts.append(Contact(email: field(emailColumn) ?? "", name: field(nameColumn), phone: field(phoneColumn)))
        }
        return contacts
    }
}

/// Splits CSV text into rows of fields; quoted fields may hold commas, quotes (doubled) and newlines.
struct CSVReader: Sequence {
    let text: String

    init(_ text: String) { self.text = text }

    func makeIterator() -> Iterator { Iterator(scalars: Array(text.utf8)) }

    struct Iterator: IteratorProtocol {
        let scalars: [UInt8]
        var position = 0

        mutating func next() -> [String]? {
            guard position < scalars.count else { return nil }
            var fields: [String] = []
            var field: [UInt8] = []
            var quoted = false
            while position < scalars.count {
                let byte = scalars[position]
                position += 1
                if quoted {
                    if byte == UInt8(ascii: "\"") {
                        if position < scalars.count && scalars[position] == UInt8(ascii: "\"") {
                            field.append(byte)
                            position += 1
                        } else {
                            quoted = false
                        }
                    } else {
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): quoted = true
                case UInt8(ascii: ","):
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                case UInt8(ascii: "\n"):
                    fields.append(String(decoding: field, as: UTF8.self))
                    return fields
                case UInt8(ascii: "\r"): continue
                default: field.append(byte)
                }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            return fields
        }
    }
}
