/// Commit-message trailers that report progress: `Completes: 1.2` (several ids, or several
/// trailers). Keys are case-insensitive, as git treats trailer keys.
public enum ProgressTrailers {
    /// Ids named by `Completes:` trailers, in order, without repeats; `invalid` holds the words
    /// that are not task ids.
    public static func completions(in trailers: [(key: String, value: String)]) -> (ids: [TaskID], invalid: [String]) {
        var ids: [TaskID] = []
        var invalid: [String] = []
        for trailer in trailers where trailer.key.lowercased() == "completes" {
            for word in trailer.value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
                let text = word.trimming(["`", "*"])
                guard !text.isEmpty else { continue }
                if let id = TaskID(text) {
                    if !ids.contains(id) { ids.append(id) }
                } else {
                    invalid.append(text)
                }
            }
        }
        return (ids, invalid)
    }
}
