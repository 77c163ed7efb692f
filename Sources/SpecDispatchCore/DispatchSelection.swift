/// Which ready units `next` may open now (docs/units.md): at most as many as the window cap leaves,
/// never two open units that write the same file, in the order given.
public struct DispatchSelection: Sendable, Equatable {
    public struct Candidate: Sendable, Equatable {
        public var key: String
        public var writes: Set<String>

        public init(key: String, writes: Set<String>) {
            self.key = key
            self.writes = writes
        }
    }

    /// Keys of the candidates to open, in order.
    public var chosen: [String]
    /// Candidates held back because an open (or just chosen) unit writes one of their files.
    public var heldBack: [(key: String, files: [String])]
    /// True when the cap stopped the selection while candidates remained.
    public var capReached: Bool

    /// - Parameters:
    ///   - openWrites: files written by the units already open.
    ///   - openCount: windows already open; `cap` bounds the total.
    public init(candidates: [Candidate], openWrites: Set<String>, openCount: Int, cap: Int, limit: Int) {
        var writes = openWrites
        var chosen: [String] = []
        var heldBack: [(String, [String])] = []
        var capReached = false
        for candidate in candidates {
            if chosen.count >= limit { break }
            if openCount + chosen.count >= cap {
                capReached = true
                break
            }
            let overlap = candidate.writes.filter { mine in writes.contains { WritePath.overlap(mine, $0) } }
            if !overlap.isEmpty {
                heldBack.append((candidate.key, overlap.sorted()))
                continue
            }
            chosen.append(candidate.key)
            writes.formUnion(candidate.writes)
        }
        self.chosen = chosen
        self.heldBack = heldBack
        self.capReached = capReached
    }

    public static func == (a: DispatchSelection, b: DispatchSelection) -> Bool {
        a.chosen == b.chosen && a.capReached == b.capReached
            && a.heldBack.map(\.key) == b.heldBack.map(\.key) && a.heldBack.map(\.files) == b.heldBack.map(\.files)
    }
}
