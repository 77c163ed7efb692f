import PropertyBased
import Testing
@testable import SpecDispatchCore

@Suite("escaping control characters (properties)")
struct ControlCharactersProperties {
    /// Text mixing what the escaping must tell apart: controls, backslashes, the characters that
    /// follow a backslash in an escape, and text that must come out as it went in.
    static let text = Gen<Unicode.Scalar?>.element(of: Array("ab \\ntu07{}x9\u{0}\u{7}\u{8}\t\n\u{B}\u{C}\r\u{1B}\u{1F}\u{7F}\u{80}\u{85}\u{9B}\u{9F}\u{A0}éñ漢字🎯\u{200F}\u{202A}\u{202E}\u{2066}\u{2069}\u{2028}".unicodeScalars))
        .compactMap { $0 }.array(of: 0...16).map { String(String.UnicodeScalarView($0)) }

    @Test("escaped text holds no control character, and unescaping it gives the text back")
    func reversible() async {
        await propertyCheck(count: 500, input: Self.text) { text in
            let escaped = ControlCharacters.escaped(text)
            #expect(!escaped.unicodeScalars.contains(where: ControlCharacters.contains), "\(escaped.debugDescription)")
            #expect(Unescaping.text(escaped) == text, "\(text.debugDescription) escaped to \(escaped.debugDescription)")
        }
    }

    @Test("two different texts never escape alike, not even a text and its own escaped form")
    func injective() async {
        await propertyCheck(count: 500, input: Self.text, Self.text) { a, b in
            // The escaped form is the likeliest look-alike: `\033` typed out against a real ESC.
            for other in [b, ControlCharacters.escaped(a)] where other != a {
                #expect(ControlCharacters.escaped(a) != ControlCharacters.escaped(other), "\(a.debugDescription), \(other.debugDescription)")
            }
        }
    }

    @Test("text without control characters or backslashes comes out unchanged")
    func plainTextUnchanged() async {
        await propertyCheck(count: 300, input: Self.text) { text in
            let plain = String(String.UnicodeScalarView(text.unicodeScalars.filter { !ControlCharacters.contains($0) && $0 != "\\" }))
            #expect(ControlCharacters.escaped(plain) == plain)
        }
    }

    @Test("every scalar of the Basic Multilingual Plane, alone and after a backslash, escapes reversibly")
    func everyScalar() {
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in [String(Character(scalar)), "\\" + String(Character(scalar))] {
                let escaped = ControlCharacters.escaped(text)
                if escaped.unicodeScalars.contains(where: ControlCharacters.contains) || Unescaping.text(escaped) != text {
                    Issue.record("U+\(String(value, radix: 16)): \(escaped.debugDescription)")
                    return
                }
            }
        }
    }
}

/// The reading of `ControlCharacters.escaped` that proves it loses nothing: each escape back to
/// its character, a doubled backslash to one, any other backslash as itself.
enum Unescaping {
    static func text(_ escaped: String) -> String? {
        let s = Array(escaped.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            guard s[i] == "\\", i + 1 < s.count else {
                out.append(s[i])
                i += 1
                continue
            }
            let letters: [Unicode.Scalar: Unicode.Scalar] = ["a": "\u{7}", "b": "\u{8}", "t": "\t", "n": "\n", "v": "\u{B}", "f": "\u{C}", "r": "\r", "\\": "\\"]
            if let scalar = letters[s[i + 1]] {
                out.append(scalar)
                i += 2
            } else if ("0"..."7").contains(s[i + 1]) {
                guard i + 3 < s.count, let value = UInt32(String(String.UnicodeScalarView(s[(i + 1)...(i + 3)])), radix: 8),
                      let scalar = Unicode.Scalar(value) else { return nil }
                out.append(scalar)
                i += 4
            } else if s[i + 1] == "u" {
                guard i + 2 < s.count, s[i + 2] == "{", let close = s[(i + 3)...].firstIndex(of: "}"),
                      let value = UInt32(String(String.UnicodeScalarView(s[(i + 3)..<close])), radix: 16),
                      let scalar = Unicode.Scalar(value) else { return nil }
                out.append(scalar)
                i = close + 1
            } else {
                out.append("\\")
                i += 1
            }
        }
        return String(out)
    }
}
