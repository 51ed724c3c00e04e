public import HTTPTypes
package import Logging
public import NIOCore

/// An error that carries the response the client should see.
///
/// Throw it from a handler or middleware; the server answers with its status, its header fields and the JSON body
/// `{"error":{"status":404,"message":"Not Found"}}`. Its message is shown to the client, so it must be safe to show.
public struct HTTPError: Error, Sendable, HTTPResponseError {
    /// The response status.
    public var status: HTTPResponse.Status
    /// The message for the client; defaults to the status's reason phrase.
    public var message: String
    /// Extra header fields for the response (`Allow`, `Retry-After`, `WWW-Authenticate`, ...).
    public var headers: HTTPFields

    /// Creates an error with a status, a message that is safe to show, and extra header fields.
    public init(_ status: HTTPResponse.Status, message: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message ?? status.reasonPhrase
        self.headers = headers
    }

    /// The error as a JSON response.
    public func response(allocator: ByteBufferAllocator) -> Response {
        ErrorBody.response(status: self.status, message: self.message, headers: self.headers, allocator: allocator)
    }
}

extension HTTPError: CustomStringConvertible {
    /// The status and the message.
    public var description: String { "HTTPError(\(self.status.code), \(self.message))" }
}

/// An error that knows the response it should become. Errors of any other type become a 500 whose body says only
/// "Internal Server Error"; the error itself goes to the log.
public protocol HTTPResponseError: Error {
    /// The response the client sees.
    func response(allocator: ByteBufferAllocator) -> Response
}

/// The JSON error body every Jaan response uses: `{"error":{"status":...,"message":...}}`.
package enum ErrorBody {
    /// Makes the error response.
    package static func response(
        status: HTTPResponse.Status,
        message: String,
        headers: HTTPFields = [:],
        allocator: ByteBufferAllocator
    ) -> Response {
        var buffer = allocator.buffer(capacity: 48 + message.utf8.count)
        buffer.writeStaticString(#"{"error":{"status":"#)
        buffer.writeString(String(status.code))
        buffer.writeStaticString(#","message":"#)
        JSONString.write(message, into: &buffer)
        buffer.writeStaticString("}}")
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(buffer: buffer))
    }

    /// The response for an error of any type: its own for ``HTTPResponseError``; else 500, and the error itself
    /// goes to `logger`, never to the client.
    package static func response(for error: any Error, logger: Logger, allocator: ByteBufferAllocator) -> Response {
        if let error = error as? any HTTPResponseError {
            return error.response(allocator: allocator)
        }
        if error is CancellationError {
            logger.debug("Request cancelled")
            return Self.response(status: .serviceUnavailable, message: "Service Unavailable", allocator: allocator)
        }
        logger.error("Request failed", metadata: ["error": "\(String(reflecting: error))"])
        return Self.response(status: .internalServerError, message: "Internal Server Error", allocator: allocator)
    }
}
