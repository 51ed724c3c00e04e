import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// Messages between accepted connections, read newest first with keyset pagination.
struct MessageRoutes: Sendable {
    let client: PostgresClient

    struct NewMessage: Decodable {
        var recipientId: Int
        var body: String
    }

    struct Message: Codable, Sendable, ResponseEncodable {
        var id: Int
        var senderId: Int
        var recipientId: Int
        var body: String
        var createdAt: Date
    }

    struct MessagePage: Encodable, Sendable, ResponseEncodable {
        var messages: [Message]
        var nextBefore: Int?
    }

    func add(to group: RouterGroup<AppContext>) {
        group.post("/messages") { request, context in try await send(request, context) }
        group.get("/messages") { request, context in try await read(request, context) }
    }

    private func send(_ request: Request, _ context: AppContext) async throws -> JSONResponse<Message> {
        let me = try context.requireUser().id
        let input = try await request.decode(as: NewMessage.self, context: context, limit: 64 * 1024)
        let body = input.body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty, body.count <= 10_000, !body.contains("\u{0}") else {
            throw Validation.invalid("body", "must be 1 to 10000 characters")
        }
        let rows = try await client.query(Queries.sendMessage(from: me, to: input.recipientId, body: body))
        guard let row = rows.first else { throw HTTPError(.forbidden, message: "You can only message accepted connections") }
        return JSONResponse(status: .created, try row.decode(Message.self, keyDecodingStrategy: .convertFromSnakeCase))
    }

    private func read(_ request: Request, _ context: AppContext) async throws -> MessagePage {
        let me = try context.requireUser().id
        let query = request.query
        guard let other = try Validation.id(query["with"], name: "with") else {
            throw HTTPError(.badRequest, message: "Missing with")
        }
        let before = try Validation.id(query["before"], name: "before") ?? Int.max
        let limit = try Validation.limit(query["limit"], fallback: 50)
        let rows = try await client.query(Queries.messages(between: me, and: other, before: before, limit: limit + 1))
        var messages = try rows.decode(Message.self, keyDecodingStrategy: .convertFromSnakeCase)
        let hasMore = messages.count > limit
        if hasMore { messages.removeLast() }
        return MessagePage(messages: messages, nextBefore: hasMore ? messages.last?.id : nil)
    }
}
