import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// Connection requests: ask, list, accept (addressee only), remove (either party).
struct ConnectionRoutes: Sendable {
    let client: PostgresClient

    struct NewConnection: Decodable {
        var userId: Int
    }

    struct Connection: Codable, Sendable, ResponseEncodable {
        var id: Int
        var requesterId: Int
        var addresseeId: Int
        var status: String
        var createdAt: Date
        var acceptedAt: Date?
    }

    struct Listed: Codable, Sendable {
        var id: Int
        var requesterId: Int
        var addresseeId: Int
        var status: String
        var createdAt: Date
        var acceptedAt: Date?
        var userId: Int
        var userName: String
        var userEmail: String
    }

    struct ConnectionList: Encodable, Sendable, ResponseEncodable {
        var connections: [Listed]
    }

    func add(to group: RouterGroup<AppContext>) {
        group.post("/connections") { request, context in try await self.request(request, context) }
        group.get("/connections") { request, context in try await list(request, context) }
        group.post("/connections/:id/accept") { _, context in try await accept(context) }
        group.delete("/connections/:id") { _, context in
            let me = try context.requireUser().id
            let id = try context.parameters.require("id", as: Int.self)
            let deleted = try await client.query(Queries.deleteConnection(id: id, party: me))
            guard deleted.affectedRows == 1 else { throw HTTPError(.notFound, message: "No such connection") }
            return Response(status: .noContent)
        }
    }

    private func request(_ request: Request, _ context: AppContext) async throws -> JSONResponse<Connection> {
        let me = try context.requireUser().id
        let input = try await request.decode(as: NewConnection.self, context: context, limit: 64 * 1024)
        guard input.userId != me else { throw Validation.invalid("user_id", "cannot connect to yourself") }
        let rows = try await client.query(Queries.requestConnection(from: me, to: input.userId))
        guard let row = rows.first else { throw HTTPError(.notFound, message: "No such user") }
        return JSONResponse(status: .created, try row.decode(Connection.self, keyDecodingStrategy: .convertFromSnakeCase))
    }

    private func list(_ request: Request, _ context: AppContext) async throws -> ConnectionList {
        let me = try context.requireUser().id
        let query = request.query
        let status = query["status"] ?? "accepted"
        guard status == "pending" || status == "accepted" else {
            throw HTTPError(.badRequest, message: "Invalid status: expected pending or accepted")
        }
        let limit = try Validation.limit(query["limit"], fallback: 100)
        let rows = try await client.query(Queries.connections(of: me, status: status, limit: limit))
        return ConnectionList(connections: try rows.decode(Listed.self, keyDecodingStrategy: .convertFromSnakeCase))
    }

    private func accept(_ context: AppContext) async throws -> Connection {
        let me = try context.requireUser().id
        let id = try context.parameters.require("id", as: Int.self)
        let rows = try await client.query(Queries.acceptConnection(id: id, addressee: me))
        if let row = rows.first { return try row.decode(Connection.self, keyDecodingStrategy: .convertFromSnakeCase) }
        let existing = try await client.query(Queries.connection(id: id, party: me))
        guard let row = existing.first else { throw HTTPError(.notFound, message: "No such connection") }
        let connection = try row.decode(Connection.self, keyDecodingStrategy: .convertFromSnakeCase)
        if connection.addresseeId != me { throw HTTPError(.forbidden, message: "Only the addressee may accept") }
        throw HTTPError(.conflict, message: "Already accepted")
    }
}
