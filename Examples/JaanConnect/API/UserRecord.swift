import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// A user as the API shows it: never the password hash.
struct UserRecord: Codable, Sendable, ResponseEncodable {
    var id: Int
    var email: String
    var name: String
    var createdAt: Date
}

/// A page of users and the cursor of the next page (`nil` on the last page).
struct UserPage: Codable, Sendable, ResponseEncodable {
    var users: [UserRecord]
    var nextCursor: String?
}
