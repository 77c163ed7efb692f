import CLibGit2

/// The SHA-1 name of a git object (20 bytes).
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Three big-endian words, so that comparing them compares the bytes.
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    /// The all-zero id git uses for "no object".
    public static let zero = ObjectID(high: 0, middle: 0, low: 0)

    private init(high: UInt64, middle: UInt64, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// Parses 40 hexadecimal digits (either case); nil for anything else.
    public init?(hex: String) {
        var bytes = [UInt8](repeating: 0, count: 20)
        var count = 0
        for character in hex.utf8 {
            guard count < 40, let nibble = ObjectID.nibble(character) else { return nil }
            bytes[count / 2] |= count.isMultiple(of: 2) ? nibble << 4 : nibble
            count += 1
        }
        guard count == 40 else { return nil }
        self.init(bytes: bytes)
    }

    /// The id made of these 20 bytes.
    init(bytes: some Collection<UInt8>) {
        var high: UInt64 = 0, middle: UInt64 = 0, low: UInt32 = 0
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 0..<8: high = high << 8 | UInt64(byte)
            case 8..<16: middle = middle << 8 | UInt64(byte)
            default: low = low << 8 | UInt32(byte)
            }
        }
        self.init(high: high, middle: middle, low: low)
    }

    /// The id of a libgit2 `git_oid`.
    init(_ oid: git_oid) {
        self = withUnsafeBytes(of: oid.id) { raw in
            ObjectID(
                high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                middle: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                low: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
            )
        }
    }

    /// The id of a libgit2 `const git_oid *` (must not be null).
    init(_ oid: UnsafePointer<git_oid>) {
        self.init(oid.pointee)
    }

    /// The 20 bytes, in order.
    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(20)
        for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: middle >> UInt64(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: low >> UInt32(shift))) }
        return result
    }

    /// This id as a libgit2 `git_oid`.
    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: middle.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    /// The 40 lowercase hexadecimal digits.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        let bytes = self.bytes
        return String(unsafeUninitializedCapacity: 40) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[2 * index] = digits[Int(byte >> 4)]
                buffer[2 * index + 1] = digits[Int(byte & 0x0f)]
            }
            return 40
        }
    }

    /// The first 7 hexadecimal digits, as `git log --oneline` shows them.
    public var short: String {
        String(hex.prefix(7))
    }

    /// True for the all-zero id.
    public var isZero: Bool {
        self == .zero
    }

    /// The hexadecimal form.
    public var description: String {
        hex
    }

    /// Byte-wise order, as git sorts object names.
    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
