import Testing
@testable import GitKit

@Suite("gitattributes lines that may make a checkout filter act")
struct AttributeLinesTests {
    @Test("lines naming a filtering attribute, set, unset, reset or valued, or defining a macro, may ask",
          arguments: [
              "*.txt text", "*.txt -text", "*.txt !text", "*.txt text=auto", "*.sh eol=lf", "*.bat crlf",
              "*.c ident", "*.psd filter=lfs diff=lfs merge=lfs -text", "*.txt working-tree-encoding=UTF-16",
              "[attr]mine text eol=crlf", "\"with space.txt\" eol=crlf", "  *.txt\ttext", "\"unterminated text",
              "# comment\n*.md diff=markdown\nsrc/** eol=lf\n",
          ])
    func asks(_ text: String) {
        #expect(AttributeLines.mayAskForFilter(Array(text.utf8)))
    }

    @Test("merge, diff, export and other attributes, comments and blank lines do not",
          arguments: [
              "", "\n\n", "# *.txt text", "**/tasks.md merge=spec-dispatch", "*.png binary", "*.md diff=markdown",
              "docs/** export-ignore linguist-documentation", "\"a text file\" merge=union", "*.textile diff",
              "*.txt textconv", "*.x -crlfx",
          ])
    func doesNotAsk(_ text: String) {
        #expect(!AttributeLines.mayAskForFilter(Array(text.utf8)))
    }

    @Test("a file that is not UTF-8 may ask")
    func notUTF8() {
        #expect(AttributeLines.mayAskForFilter([0x2A, 0x20, 0xFF, 0x0A]))
    }
}
