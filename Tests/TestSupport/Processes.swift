import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Finds the processes a test started, wherever they were reparented: each carries a marker
/// variable in its environment, which every child inherits.
public enum Processes {
    /// A marker unique to one test: `SPEC_DISPATCH_TEST_MARK=<uuid>`.
    public static func newMarker() -> (key: String, value: String) {
        ("SPEC_DISPATCH_TEST_MARK", UUID().uuidString)
    }

    /// Live (not zombie) processes whose environment holds `key=value`, with their command lines.
    public static func running(marked key: String, _ value: String) -> [(pid: Int32, command: String)] {
        let needle = Array("\(key)=\(value)".utf8)
        let own = getpid()
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { name in
            guard let pid = Int32(name), pid != own,
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")"), !stat[stat.index(after: close)...].hasPrefix(" Z"),
                  let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                  environ.split(separator: 0).contains(where: { Array($0) == needle }) else { return nil }
            let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
                .map { String(decoding: $0.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self) } ?? "?"
            return (pid, command)
        }
    }

    /// Kills every process with the marker (what a failing test would leave).
    public static func kill(marked key: String, _ value: String) {
        for (pid, _) in running(marked: key, value) { Glibc.kill(pid, SIGKILL) }
    }
}
