import HTTPTypes
import NIOCore
import NIOHTTP1

/// Writes an HTTP/1.1 response head. The framing fields (`Content-Length`, `Transfer-Encoding`, `Connection`) are
/// the server's: it writes them from the ``ResponseFrame`` and drops any the handler set.
enum ResponseHeadSerializer {
    static func write(_ head: HTTPResponse, frame: ResponseFrame, date: String, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(frame.version.minor == 0 && frame.version.major == 1 ? "HTTP/1.0 " : "HTTP/1.1 ")
        buffer.writeString(String(head.status.code))
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(head.status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        var hasDate = false
        for field in head.headerFields {
            switch field.name {
            case .contentLength, .transferEncoding, .connection:
                continue
            case .date:
                hasDate = true
            default:
                break
            }
            buffer.writeString(field.name.rawName)
            buffer.writeStaticString(": ")
            buffer.writeString(field.value)
            buffer.writeStaticString("\r\n")
        }
        if !hasDate {
            buffer.writeStaticString("date: ")
            buffer.writeString(date)
            buffer.writeStaticString("\r\n")
        }
        if let length = frame.contentLength {
            buffer.writeStaticString("content-length: ")
            buffer.writeString(String(length))
            buffer.writeStaticString("\r\n")
        }
        if frame.framing == .chunked {
            buffer.writeStaticString("transfer-encoding: chunked\r\n")
        }
        if !frame.keepAlive {
            buffer.writeStaticString("connection: close\r\n")
        } else if frame.version.minor == 0 {
            buffer.writeStaticString("connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
    }

    /// Writes the size line of a chunk.
    static func writeChunkHeader(size: Int, into buffer: inout ByteBuffer) {
        buffer.writeString(String(size, radix: 16))
        buffer.writeStaticString("\r\n")
    }
}
