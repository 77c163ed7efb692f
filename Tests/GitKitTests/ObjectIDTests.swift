import GitKit
import Testing
import TestSupport

@Suite("Object ids")
struct ObjectIDTests {
    @Test("ObjectID parses and prints hex, orders bytewise")
    func objectIDs() throws {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        let id = try #require(ObjectID(hex: hex.uppercased()))
        #expect(id.hex == hex)
        #expect(id.short == "0123456")
        #expect(id.description == hex)
        #expect(ObjectID(hex: "xyz") == nil)
        #expect(ObjectID(hex: hex + "0") == nil)
        #expect(ObjectID.zero.hex == String(repeating: "0", count: 40))
        #expect(ObjectID.zero < id)
        #expect(ObjectID("ff00000000000000000000000000000000000000") > ObjectID("0fffffffffffffffffffffffffffffffffffffff"))
        #expect(ObjectID("0000000000000000000000000000000000000002") > ObjectID("0000000000000000000000000000000000000001"))
    }
}
