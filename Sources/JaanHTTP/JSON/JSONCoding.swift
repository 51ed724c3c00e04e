public import HTTPTypes
import Logging
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Request {
    /// Decodes the body as JSON.
    ///
    /// ```swift
    /// let input = try await request.decode(as: NewUser.self, context: context)
    /// ```
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - context: The request's context: its ``RequestContext/requestDecoder`` decodes, its logger hears why
    ///     a body did not decode.
    ///   - limit: The most bytes to read; the server's body limit applies in any case.
    /// - Throws: ``HTTPError`` 415 when `Content-Type` is not JSON, 400 with a reason when the JSON is malformed or
    ///   does not fit `type`, 413 when the body is too large.
    public func decode<Value: Decodable>(
        as type: Value.Type,
        context: some RequestContext,
        limit: Int = .max
    ) async throws -> Value {
        guard let contentType = self.headers[.contentType], JSONMediaType.matches(contentType) else {
            throw HTTPError(.unsupportedMediaType, message: "Expected Content-Type application/json")
        }
        let buffer = try await self.body.collect(upTo: limit)
        do {
            return try context.requestDecoder.decode(Value.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            context.logger.debug("Request body did not decode", metadata: ["error": "\(error)"])
            throw HTTPError(.badRequest, message: JSONMediaType.reason(for: error))
        }
    }
}

/// A response whose body is a value encoded as JSON.
///
/// ```swift
/// router.post("/users") { request, context in
///     JSONResponse(status: .created, user)
/// }
/// ```
public struct JSONResponse<Value: Encodable>: ResponseGenerator {
    /// The response status. Defaults to 200.
    public var status: HTTPResponse.Status
    /// Extra header fields.
    public var headers: HTTPFields
    /// The value to encode.
    public var value: Value

    /// Creates a JSON response.
    public init(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], _ value: Value) {
        self.status = status
        self.headers = headers
        self.value = value
    }

    /// Encodes the value with the context's ``RequestContext/responseEncoder``.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        // Room for the server's X-Request-Id too, so that adding it does not copy the fields.
        headers.reserveCapacity(headers.count + 2)
        headers[.contentType] = "application/json; charset=utf-8"
        let body = try context.responseEncoder.encode(self.value, allocator: context.allocator)
        return Response(status: self.status, headers: headers, body: ResponseBody(buffer: body))
    }
}

/// A value a handler can return as is, to be answered as `200 OK` with its JSON encoding.
public protocol ResponseEncodable: Encodable, ResponseGenerator {}

extension ResponseEncodable {
    /// The value as a JSON `200 OK`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse(self).response(from: request, context: context)
    }
}

extension Array: ResponseGenerator, ResponseEncodable where Element: Encodable {}

/// JSON media type checks and error reasons.
enum JSONMediaType {
    /// Whether a `Content-Type` value is JSON: `application/json` or any `+json` type, parameters ignored.
    static func matches(_ contentType: String) -> Bool {
        let mediaType = (contentType.split(separator: ";", maxSplits: 1).first ?? "").filter { $0 != " " && $0 != "\t" }.lowercased()
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    /// A reason for the client that names the field at fault and nothing of the server's types.
    static func reason(for error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.isEmpty ? "the body" : codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "Missing field \(path(context.codingPath + [key]))"
        case .valueNotFound(_, let context):
            return "Missing value for \(path(context.codingPath))"
        case .typeMismatch(_, let context):
            return "Invalid value for \(path(context.codingPath))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "Malformed JSON" : "Invalid value for \(path(context.codingPath))"
        @unknown default:
            return "Malformed JSON"
        }
    }
}
