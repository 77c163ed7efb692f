import PropertyBased
import Testing
@testable import SpecDispatchCore

@Suite("merge journal (properties)")
struct MergeJournalProperties {
    static let hex = Generator<String, Shrink.None<String>> { rng in
        String((0..<40).map { _ in Array("0123456789abcdef").randomElement(using: &rng)! })
    }
    static let text = Generator<String, Shrink.None<String>> { rng in
        (0..<Int.random(in: 0...8, using: &rng)).map { _ in
            ["a", "/", "%", "%0A", "%25", "\n", "\r", " ", ":", "é", "x y"].randomElement(using: &rng)!
        }.joined()
    }

    @Test("a journal reads back as written, whatever its paths hold (line breaks, %, colons)")
    func roundTrip() async {
        await propertyCheck(count: 200, input: Self.text, Self.text, Self.hex, Self.hex, Gen.bool) { spec, checkout, from, to, checkedOut in
            let journal = MergeJournal(spec: "s" + spec, unit: TaskID("3")!, claimTip: from, base: "refs/heads/" + spec,
                                       from: from, to: to, checkout: checkedOut ? "/tmp/" + checkout : nil)
            #expect(MergeJournal(text: journal.text) == journal)
            #expect(journal.text.split(separator: "\n", omittingEmptySubsequences: false).count == (checkedOut ? 10 : 9))
        }
    }

    @Test("a journal cut short anywhere is not read as one")
    func truncatedIsRejected() async {
        await propertyCheck(count: 200, input: Self.hex, Gen.int(in: 0...10_000)) { hex, cut in
            let text = MergeJournal(spec: "s", unit: TaskID("1")!, claimTip: hex, base: "refs/heads/main", from: hex, to: hex,
                                    checkout: "/work/repo").text
            let prefix = String(text.prefix(cut % text.count))
            #expect(MergeJournal(text: prefix) == nil, "\(prefix)")
        }
    }
}
