import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// Turns database failures into the API's answers: 409 for a unique violation, 503 when no
/// connection could be had, 500 otherwise; the cause goes only to the log, never to the client.
struct ErrorMiddleware: Middleware {
    typealias Context = AppContext

    nonisolated(nonsending) func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as PostgresError {
            context.logger.error("Database error", metadata: ["error": "\(error)", "message": "\(error.message ?? "")"])
            switch error.sqlState {
            case .uniqueViolation: throw HTTPError(.conflict, message: "Already exists")
            case .foreignKeyViolation: throw HTTPError(.notFound, message: "Not found")
            case .queryCanceled: throw HTTPError(.serviceUnavailable, message: "The database took too long")
            default:
                if error.code == .connectionFailed || error.code == .connectTimeout || error.code == .connectionClosed {
                    throw HTTPError(.serviceUnavailable, message: "The database is unavailable")
                }
                throw HTTPError(.internalServerError, message: "Internal Server Error")
            }
        } catch let error as PoolError {
            context.logger.error("Database pool error", metadata: ["error": "\(error)"])
            throw HTTPError(.serviceUnavailable, message: "The database is unavailable")
        }
    }
}
