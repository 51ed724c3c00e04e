import JaanCompression
import Testing

@Suite("Compressible content types")
struct CompressibleContentTypesTests {
    @Test(arguments: [
        "text/html", "text/plain; charset=utf-8", "Text/CSS", "text/event-stream",
        "application/json", "application/json; charset=utf-8", "application/problem+json", "application/ld+json",
        "application/javascript", "text/javascript", "application/xml", "image/svg+xml", "application/atom+xml",
        "application/x-ndjson", "application/wasm", "font/ttf",
    ])
    func defaultAllowsTextLikeTypes(contentType: String) {
        #expect(CompressibleContentTypes.default.allows(contentType: contentType))
    }

    @Test(arguments: [
        "image/png", "image/jpeg", "video/mp4", "application/zip", "application/gzip", "application/octet-stream",
        "font/woff2", "application/pdf", "", "json", "/json", "text/",
    ])
    func defaultRefusesOtherTypes(contentType: String) {
        #expect(!CompressibleContentTypes.default.allows(contentType: contentType))
    }

    @Test func missingContentTypeIsNotCompressed() {
        #expect(!CompressibleContentTypes.default.allows(contentType: nil))
    }

    @Test func userFilterReplacesTheDefault() {
        let filter = CompressibleContentTypes { $0 == "application/x-protobuf" }
        #expect(filter.allows(contentType: "Application/X-Protobuf; proto=Example"))
        #expect(!filter.allows(contentType: "text/html"))
    }
}
