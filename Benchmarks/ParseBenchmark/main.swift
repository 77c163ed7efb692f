import Foundation
import SpecDispatchCore

// In-process throughput of the tasks.md engine: parse, build the tree, derive statuses and
// readiness, repeated; prints MB/s for the parse alone and for the whole pipeline.
let arguments = CommandLine.arguments
guard arguments.count >= 2, let data = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: ParseBenchmark FILE [ROUNDS]\n".utf8))
    exit(2)
}
let bytes = [UInt8](data)
let rounds = arguments.count >= 3 ? Int(arguments[2]) ?? 30 : 30

func measure(_ body: () -> Int) -> (median: Double, checksum: Int) {
    var times: [Double] = []
    var checksum = 0
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        checksum &+= body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    return (times[times.count / 2], checksum)
}

let megabytes = Double(bytes.count) / 1_000_000
let parse = measure { TasksDocument(bytes: bytes).lines.count }
let pipeline = measure {
    let tree = TaskTree(bytes: bytes)
    return Readiness(tree: tree).readyUnits.count + tree.nodes.count
}
print(String(format: "file: %.2f MB, %d rounds", megabytes, rounds))
print(String(format: "parse:                 median %7.2f ms  %7.0f MB/s", parse.median, megabytes / parse.median * 1000))
print(String(format: "parse+tree+status+ready: median %5.2f ms  %7.0f MB/s", pipeline.median, megabytes / pipeline.median * 1000))
print("checksum: \(parse.checksum &+ pipeline.checksum)")
