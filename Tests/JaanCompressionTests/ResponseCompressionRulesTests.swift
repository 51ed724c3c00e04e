import HTTPTypes
import Testing

@testable import JaanCompression

@Suite("Response compression rules")
struct ResponseCompressionRulesTests {
    let rules = ResponseCompressionRules(minimumSize: 1024, contentTypes: .default, codings: [.gzip, .deflate])

    func response(_ status: HTTPResponse.Status = .ok, _ fields: HTTPFields = [.contentType: "application/json"]) -> HTTPResponse {
        HTTPResponse(status: status, headerFields: fields)
    }

    @Test func largeJSONIsCompressedWithGzip() {
        var response = self.response(.ok, [.contentType: "application/json", .contentLength: "5000"])
        let decision = self.rules.decide(method: .get, acceptEncoding: ["gzip, deflate"], response: &response, bodyLength: 5000)
        #expect(decision == .compress(.gzip, .gzip))
        #expect(response.headerFields[.contentEncoding] == "gzip")
        #expect(response.headerFields[.contentLength] == nil)
        #expect(response.headerFields[.vary] == "Accept-Encoding")
    }

    @Test func deflateMeansZlibFraming() {
        var response = self.response()
        let decision = self.rules.decide(method: .get, acceptEncoding: ["deflate"], response: &response, bodyLength: 5000)
        #expect(decision == .compress(.deflate, .zlib))
        #expect(response.headerFields[.contentEncoding] == "deflate")
    }

    @Test func bodyUnderThresholdIsSentAsIsButVaries() {
        var response = self.response()
        #expect(self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &response, bodyLength: 1023) == .passThrough)
        #expect(response.headerFields[.contentEncoding] == nil)
        #expect(response.headerFields[.vary] == "Accept-Encoding")
    }

    @Test func streamedBodyWithSmallContentLengthIsSentAsIs() {
        var response = self.response(.ok, [.contentType: "text/plain", .contentLength: "10"])
        #expect(self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &response, bodyLength: nil) == .passThrough)
        #expect(response.headerFields[.contentLength] == "10")
    }

    @Test func streamedBodyOfUnknownLengthIsCompressed() {
        var response = self.response(.ok, [.contentType: "text/event-stream"])
        #expect(self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &response, bodyLength: nil) == .compress(.gzip, .gzip))
    }

    @Test func clientWithoutAcceptEncodingGetsIdentityAndVary() {
        var response = self.response()
        #expect(self.rules.decide(method: .get, acceptEncoding: [], response: &response, bodyLength: 5000) == .passThrough)
        #expect(response.headerFields[.vary] == "Accept-Encoding")
    }

    @Test func incompressibleTypeIsSentAsIsWithoutVary() {
        var response = self.response(.ok, [.contentType: "image/png"])
        #expect(self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &response, bodyLength: 50_000) == .passThrough)
        #expect(response.headerFields[.vary] == nil)
    }

    @Test func existingContentEncodingIsKept() {
        var response = self.response(.ok, [.contentType: "application/json", .contentEncoding: "br"])
        #expect(self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &response, bodyLength: 50_000) == .passThrough)
        #expect(response.headerFields[.contentEncoding] == "br")
    }

    @Test func noTransformIsHonoured() {
        var response = self.response(.ok, [.contentType: "application/json", .cacheControl: "public, No-Transform"])
        #expect(self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &response, bodyLength: 50_000) == .passThrough)
        #expect(response.headerFields[.contentEncoding] == nil)
    }

    @Test func headIsNotCompressedButVaries() {
        var response = self.response(.ok, [.contentType: "application/json", .contentLength: "50000"])
        #expect(self.rules.decide(method: .head, acceptEncoding: ["gzip"], response: &response, bodyLength: 0) == .passThrough)
        #expect(response.headerFields[.contentLength] == "50000")
        #expect(response.headerFields[.vary] == "Accept-Encoding")
    }

    @Test(arguments: [HTTPResponse.Status.noContent, .notModified, .partialContent, .continue])
    func bodilessAndPartialStatusesAreNotCompressed(status: HTTPResponse.Status) {
        var response = self.response(status)
        #expect(self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &response, bodyLength: 50_000) == .passThrough)
        #expect(response.headerFields[.contentEncoding] == nil)
    }

    @Test func strongETagBecomesWeak() {
        var response = self.response(.ok, [.contentType: "application/json", .eTag: "\"v1\""])
        _ = self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &response, bodyLength: 5000)
        #expect(response.headerFields[.eTag] == "W/\"v1\"")
    }

    @Test func weakETagStaysWeak() {
        var response = self.response(.ok, [.contentType: "application/json", .eTag: "W/\"v1\""])
        _ = self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &response, bodyLength: 5000)
        #expect(response.headerFields[.eTag] == "W/\"v1\"")
    }

    @Test func uncompressedResponseKeepsStrongETag() {
        var response = self.response(.ok, [.contentType: "application/json", .eTag: "\"v1\""])
        _ = self.rules.decide(method: .get, acceptEncoding: ["identity"], response: &response, bodyLength: 5000)
        #expect(response.headerFields[.eTag] == "\"v1\"")
    }

    @Test func existingVaryIsExtendedOnce() {
        var response = self.response(.ok, [.contentType: "application/json", .vary: "Origin"])
        _ = self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &response, bodyLength: 5000)
        #expect(response.headerFields[values: .vary] == ["Origin", "Accept-Encoding"])

        var already = self.response(.ok, [.contentType: "application/json", .vary: "origin, accept-encoding"])
        _ = self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &already, bodyLength: 5000)
        #expect(already.headerFields[values: .vary] == ["origin, accept-encoding"])

        var star = self.response(.ok, [.contentType: "application/json", .vary: "*"])
        _ = self.rules.decide(method: .get, acceptEncoding: ["gzip"], response: &star, bodyLength: 5000)
        #expect(star.headerFields[values: .vary] == ["*"])
    }

    @Test func nothingAcceptableFallsBackToIdentity() {
        var response = self.response()
        #expect(self.rules.decide(method: .get, acceptEncoding: ["*;q=0"], response: &response, bodyLength: 5000) == .passThrough)
    }
}
