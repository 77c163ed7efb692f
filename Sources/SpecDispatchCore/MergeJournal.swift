/// What `merge` is about to do, written before it touches the base's working tree or moves the
/// base branch, and deleted when it is done: a merge killed half-way leaves it behind, and
/// `doctor` reads it to finish that merge. One line per field, `key: value`, then `end`; values
/// escape `%` and line breaks as `%25`, `%0A`, `%0D`, so any path fits on its line.
public struct MergeJournal: Sendable, Equatable {
    public var spec: String
    public var unit: TaskID
    /// The claim branch's tip when the merge began.
    public var claimTip: String
    /// The base branch (`refs/heads/main`) and where it moves.
    public var base: String
    public var from: String
    public var to: String
    /// The working tree where the base branch is checked out, if any.
    public var checkout: String?

    public init(spec: String, unit: TaskID, claimTip: String, base: String, from: String, to: String, checkout: String?) {
        self.spec = spec
        self.unit = unit
        self.claimTip = claimTip
        self.base = base
        self.from = from
        self.to = to
        self.checkout = checkout
    }

    static let header = "spec-dispatch merge journal 1"

    public var text: String {
        var lines = [Self.header, "spec: \(Self.escape(spec))", "unit: \(unit.text)", "claim: \(claimTip)",
                     "base: \(Self.escape(base))", "from: \(from)", "to: \(to)"]
        if let checkout { lines.append("checkout: \(Self.escape(checkout))") }
        return (lines + ["end"]).joined(separator: "\n") + "\n"
    }

    /// Nil when the text is not a whole journal (cut short, or not one at all).
    public init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Cut short anywhere, it lacks its last line (an optional field may be what is missing).
        guard lines.first == Substring(Self.header), lines.suffix(2) == ["end", ""] else { return nil }
        var fields: [String: String] = [:]
        for line in lines.dropFirst().dropLast(2) {
            guard let colon = line.firstIndex(of: ":"), line[line.index(after: colon)...].hasPrefix(" ") else { return nil }
            fields[String(line[..<colon])] = Self.unescape(String(line[line.index(colon, offsetBy: 2)...]))
        }
        guard let spec = fields["spec"], let unitText = fields["unit"], let unit = TaskID(unitText),
              let claimTip = fields["claim"], let base = fields["base"], let from = fields["from"], let to = fields["to"],
              [claimTip, from, to].allSatisfy(Self.isObjectID) else { return nil }
        self.init(spec: spec, unit: unit, claimTip: claimTip, base: base, from: from, to: to, checkout: fields["checkout"])
    }

    private static func isObjectID(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "%": out += "%25"
            case "\n": out += "%0A"
            case "\r": out += "%0D"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func unescape(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = value.unicodeScalars[...]
        while let first = scalars.first {
            let code = String(String.UnicodeScalarView(scalars.prefix(3)))
            switch code {
            case "%25": out.append("%")
            case "%0A": out.append("\n")
            case "%0D": out.append("\r")
            default:
                out.append(first)
                scalars = scalars.dropFirst()
                continue
            }
            scalars = scalars.dropFirst(3)
        }
        return String(out)
    }
}
