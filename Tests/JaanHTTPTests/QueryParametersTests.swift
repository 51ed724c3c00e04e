import JaanHTTP
import Testing

@Suite struct QueryParametersTests {
    private func pairs(_ query: Substring) -> [String] {
        QueryParameters(query).map { "\($0.name)=\($0.value)" }
    }

    @Test func decodesPairsInOrder() {
        let query = QueryParameters("q=caf%C3%A9+au+lait&limit=20&tag=a&tag=b")
        #expect(query["q"] == "café au lait")
        #expect(query["limit"] == "20")
        #expect(query["tag"] == "a")
        #expect(query.all("tag") == ["a", "b"])
        #expect(query["missing"] == nil)
        #expect(pairs("q=caf%C3%A9+au+lait&limit=20&tag=a&tag=b") == ["q=café au lait", "limit=20", "tag=a", "tag=b"])
    }

    @Test func keepsEmptyAndBareNamesAndDropsEmptyComponents() {
        #expect(pairs("&a=&&b&=c&") == ["a=", "b=", "=c"])
        #expect(pairs("") == [])
        #expect(pairs("a=b=c") == ["a=b=c"])
    }

    @Test func keepsAMalformedEscapeAsWritten() {
        #expect(pairs("a=%zz&b=%4&c=%ff") == ["a=%zz", "b=%4", "c=%ff"])
    }

    /// `&` and `=` separate on their bytes, as URLSearchParams does, even where a combining mark
    /// after them would make one character of the two.
    @Test func separatesOnBytesNotCharacters() {
        #expect(pairs("a=1&\u{301}b=2") == ["a=1", "\u{301}b=2"])
        #expect(pairs("a=\u{301}x") == ["a=\u{301}x"])
        #expect(pairs("na\u{301}=\u{301}") == ["na\u{301}=\u{301}"])
    }
}
