import FoundationEssentials

/// Kiro ≥ 0.12's `## Task Dependency Graph` block: waves of task ids in a fenced JSON block.
/// Shapes vary, so this reads every shape seen and warns (falling back to file order) otherwise.
enum WaveGraph {
    /// Rank of each listed task: 0 for the first wave. Empty when there is no readable block.
    static func read(_ blocks: [(line: Int, text: String)], diagnostics: inout [Diagnostic]) -> [TaskID: Int] {
        for block in blocks {
            guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(block.text.utf8)),
                  let waves = waves(in: json), !waves.isEmpty
            else {
                diagnostics.append(Diagnostic(.warning, line: block.line, code: "unreadable-dependency-graph",
                    "cannot read the task dependency graph; steps follow file order"))
                continue
            }
            var rank: [TaskID: Int] = [:]
            for (position, wave) in waves.enumerated() {
                for id in wave where rank[id] == nil { rank[id] = position }
            }
            return rank
        }
        return [:]
    }

    /// The waves in order: `{"waves":[…]}` or a bare array; each wave an array of ids or an
    /// object with `tasks` and an optional `id`/`wave` number that orders it.
    private static func waves(in json: JSONValue) -> [[TaskID]]? {
        let list: [JSONValue]
        switch json {
        case .array(let items): list = items
        case .object(let object):
            guard case .array(let items)? = object["waves"] else { return nil }
            list = items
        default: return nil
        }
        var keyed: [(key: Double, position: Int, tasks: [TaskID])] = []
        for (position, item) in list.enumerated() {
            switch item {
            case .array(let ids):
                keyed.append((Double(position), position, ids.compactMap(taskID)))
            case .object(let object):
                guard case .array(let ids)? = object["tasks"] else { return nil }
                let key = [object["id"], object["wave"], object["index"]].lazy.compactMap { $0?.number }.first
                keyed.append((key ?? Double(position), position, ids.compactMap(taskID)))
            default:
                return nil
            }
        }
        return keyed.sorted { ($0.key, $0.position) < ($1.key, $1.position) }.map(\.tasks)
    }

    private static func taskID(_ value: JSONValue) -> TaskID? {
        switch value {
        case .string(let text): TaskID(text)
        case .number(let n) where n == n.rounded() && n >= 0: TaskID(String(Int(n)))
        case .object(let object): object["id"].flatMap(taskID)
        default: nil
        }
    }
}

/// Any JSON value, for reading documents whose shape varies.
enum JSONValue: Decodable, Equatable {
    case string(String), number(Double), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }
}
