import Foundation
import PropertyBased
import Testing
@testable import SpecDispatchCore

@Suite("JSON writer")
struct JSONWriterProperties {
    @Test("any strings, nested in objects and arrays, come back from a JSON parser unchanged")
    func stringsRoundTrip() async throws {
        let alphabet = Array("ab \"\\\n\r\t\u{01}\u{1F}é漢🎯/")
        let text = Gen<Character?>.element(of: alphabet).compactMap { $0 }.array(of: 0...12).map { String($0) }
        await propertyCheck(count: 200, input: text.array(of: 0...6), Gen.bool) { strings, pretty in
            var w = JSONWriter(pretty: pretty)
            w.object { w in
                w.strings("list", strings)
                w.key("nested")
                w.array { w in
                    for s in strings { w.object { w in w.string("s", s); w.int("n", s.count); w.bool("b", true) } }
                }
                w.string("none", nil as String?)
            }
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: Any])
            #expect(parsed["list"] as? [String] == strings)
            let nested = try #require(parsed["nested"] as? [[String: Any]])
            #expect(nested.map { $0["s"] as? String } == strings)
            #expect(parsed["none"] is NSNull)
        }
    }
}
