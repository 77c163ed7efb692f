import Foundation
import TestSupport
import SpecDispatch
#if canImport(Glibc)
import Glibc
#endif

/// How an interruption test kills a command: at one of its checkpoints (`SPEC_DISPATCH_KILL_AT`),
/// or from outside with SIGKILL after a delay.
enum Interruption: CustomStringConvertible {
    case checkpoint(FaultInjection.Checkpoint)
    case externalKill(afterMicroseconds: UInt32)

    var description: String {
        switch self {
        case .checkpoint(let point): "kill at \(point.rawValue)"
        case .externalKill(let delay): "kill -9 after \(delay) µs"
        }
    }

    /// `rounds` kills at each checkpoint, and `external` kills at delays spread evenly over a
    /// whole run of the command (`typical` seconds) and a little beyond (stratified, jittered),
    /// in a shuffled order.
    static func plan(checkpoints: [FaultInjection.Checkpoint], rounds: Int, external: Int, typical: Double,
                     using random: inout SplitMix64) -> [Interruption] {
        var trials: [Interruption] = []
        for _ in 0..<rounds { trials += checkpoints.map { .checkpoint($0) } }
        for i in 0..<external {
            // Up to half again the warm-up's time: on a loaded machine the command runs slower than
            // it did then, and some kills must still land after it finished (the "done" outcome).
            let fraction = (Double(i) + Double.random(in: 0..<1, using: &random)) / Double(external)
            trials.append(.externalKill(afterMicroseconds: UInt32(fraction * typical * 1.5 * 1_000_000)))
        }
        trials.shuffle(using: &random)
        return trials
    }

    /// Runs the command `launch` starts, interrupted this way; returns how it ended.
    func run(_ launch: ([String: String]) throws -> LaunchedCommand) throws -> CommandResult {
        switch self {
        case .checkpoint(let point):
            return try launch(["SPEC_DISPATCH_KILL_AT": point.rawValue]).wait()
        case .externalKill(let delay):
            let process = try launch([:])
            usleep(delay)
            process.killHard()
            return process.wait()
        }
    }

    /// The seed of a campaign: `SPEC_DISPATCH_TEST_SEED` replays one (the timing of kills still varies).
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["SPEC_DISPATCH_TEST_SEED"].flatMap(UInt64.init) ?? UInt64(Date().timeIntervalSince1970 * 1000)
    }
}

/// A small seedable generator (SplitMix64), so a failing campaign can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
