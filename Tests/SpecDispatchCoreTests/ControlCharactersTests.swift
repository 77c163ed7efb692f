import Testing
@testable import SpecDispatchCore

@Suite("escaping control characters")
struct ControlCharactersTests {
    @Test("C0 controls and DEL escape as git quotes paths: C escapes, else three octal digits")
    func asciiControls() {
        #expect(ControlCharacters.escaped("a\u{7}\u{8}\t\n\u{B}\u{C}\rb") == #"a\a\b\t\n\v\f\rb"#)
        #expect(ControlCharacters.escaped("\u{1B}[2Jx") == #"\033[2Jx"#)
        #expect(ControlCharacters.escaped("\u{1B}]0;pwned\u{7}") == #"\033]0;pwned\a"#)
        #expect(ControlCharacters.escaped("A\u{0}B\u{1F}\u{7F}") == #"A\000B\037\177"#)
    }

    @Test("C1 controls and bidirectional overrides and isolates escape as \\u{…}")
    func unicodeControls() {
        #expect(ControlCharacters.escaped("\u{9B}2J") == #"\u{9B}2J"#)
        #expect(ControlCharacters.escaped("\u{80}\u{85}\u{9F}") == #"\u{80}\u{85}\u{9F}"#)
        #expect(ControlCharacters.escaped("abc\u{202E}fed\u{2066}x\u{2069}") == #"abc\u{202E}fed\u{2066}x\u{2069}"#)
    }

    @Test("titles in any language, and backslashes that read as no escape, print unchanged")
    func plainText() {
        for text in ["Set up the project skeleton", "实现链接存储", "Crème brûlée — naïve café", "Deploy 🚀 to prod 🎯",
                     "עברית\u{200F} and العربية", "nbsp\u{A0}here", "C:\\Users\\Me", "a \\d+ regex", "ends in \\", ""] {
            #expect(ControlCharacters.escaped(text) == text)
        }
    }

    @Test("a backslash that would read as an escape is doubled")
    func backslashes() {
        #expect(ControlCharacters.escaped(#"a\033b"#) == #"a\\033b"#)
        #expect(ControlCharacters.escaped(#"C:\temp\new"#) == #"C:\\temp\\new"#)
        #expect(ControlCharacters.escaped(#"\\n"#) == #"\\\\n"#)
        #expect(ControlCharacters.escaped("\\\u{1B}") == #"\\\033"#)
        #expect(ControlCharacters.escaped(#"\u{202E}"#) == #"\\u{202E}"#)
    }

    @Test("escapedLines keeps a message's line breaks and escapes the rest")
    func lines() {
        #expect(ControlCharacters.escapedLines("failed:\n\u{1B}[31merror\u{1B}[0m\r\n") == #"failed:"# + "\n" + #"\033[31merror\033[0m\r"# + "\n")
    }

    @Test("a name may hold no control character; the refusal names the option, the character and where")
    func names() {
        #expect(ArgumentText.name.refusal("Ada Lovelace 漢字", option: "--by") == nil)
        #expect(ArgumentText.name.refusal("me\nCompletes: 1.3", option: "--by")
            == "--by contains a control character (U+000A at position 3); names are one line of text")
        #expect(ArgumentText.name.refusal("a\tb", option: "--reviewer")?.hasPrefix("--reviewer contains a control character (U+0009 at position 2)") == true)
        #expect(ArgumentText.name.refusal("漢\u{202E}", option: "--agent")?.contains("(U+202E at position 2)") == true)
        #expect(ArgumentText.name.refusal("\u{9B}", option: "--agent")?.contains("(U+009B at position 1)") == true)
    }

    @Test("a reason may hold newlines and tabs, no other control character")
    func reasons() {
        #expect(ArgumentText.reason.refusal("first line\n\tsecond line", option: "--reason") == nil)
        #expect(ArgumentText.reason.refusal("\u{1B}[2Jx", option: "--reason")
            == "--reason contains a control character (U+001B at position 1); a reason may hold newlines and tabs, no other control character")
        #expect(ArgumentText.reason.refusal("line\r\nnext", option: "--reason")?.contains("(U+000D at position 5)") == true)
        #expect(ArgumentText.reason.refusal("cut\u{0}here", option: "--reason")?.contains("(U+0000 at position 4)") == true)
    }
}
