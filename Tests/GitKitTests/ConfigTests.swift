import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Configuration")
struct ConfigTests {
    @Test("values written to the local config are read back by GitKit and by git config")
    func roundTrip() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            let repository = try Repository.open(at: root)
            let local = try repository.localConfig()
            try local.set("dispatch.agent", "claude code")
            try git("config", "--local", "dispatch.parallel", "4", in: root)
            try local.set("dispatch.enabled", true)
            #expect(try gitValue("config", "--local", "dispatch.agent", in: root) == "claude code")
            #expect(try gitValue("config", "--local", "dispatch.parallel", in: root) == "4")
            #expect(try gitValue("config", "--local", "dispatch.enabled", in: root) == "true")

            try git("config", "dispatch.size", "2k", in: root)
            try git("config", "dispatch.flag", "yes", in: root)
            let config = try repository.config()
            #expect(try config.string("dispatch.agent") == "claude code")
            #expect(try config.int("dispatch.parallel") == 4)
            #expect(try config.int("dispatch.size") == 2048)
            #expect(try config.bool("dispatch.enabled") == true)
            #expect(try config.bool("dispatch.flag") == true)
            #expect(try config.string("dispatch.missing") == nil)
            #expect(try config.int("dispatch.missing") == nil)
            #expect(try config.bool("dispatch.missing") == nil)

            try local.unset("dispatch.agent")
            try local.unset("dispatch.agent")
            #expect(throws: CommandFailure.self) { try git("config", "--local", "dispatch.agent", in: root) }
            #expect(try repository.configSnapshot().string("dispatch.agent") == nil)
        }
    }

    @Test("an invalid integer or boolean is an error naming the key")
    func invalidValues() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            try git("config", "dispatch.parallel", "lots", in: root)
            try git("config", "dispatch.enabled", "perhaps", in: root)
            let config = try Repository.open(at: root).config()
            let intError = gitError { _ = try config.int("dispatch.parallel") }
            #expect(intError != nil)
            #expect(intError?.message.contains("dispatch.parallel") == true)
            let boolError = gitError { _ = try config.bool("dispatch.enabled") }
            #expect(boolError?.message.contains("dispatch.enabled") == true)
        }
    }

    @Test("multivars keep every value in git config --get-all order; add appends")
    func multivars() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            try git("config", "--add", "dispatch.label", "one", in: root)
            try git("config", "--add", "dispatch.label", "two", in: root)
            let repository = try Repository.open(at: root)
            try repository.localConfig().add("dispatch.label", "three")
            try repository.localConfig().add("dispatch.label", "")
            let expected = try run(["git", "config", "--get-all", "dispatch.label"], in: root).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            #expect(expected == ["one", "two", "three", ""])
            #expect(try repository.config().strings("dispatch.label") == expected)
            #expect(try repository.config().strings("dispatch.nothing").isEmpty)
        }
    }

    @Test("entries(matching:) lists the entries whose name matches a regular expression")
    func matchingEntries() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            try git("config", "dispatch.a", "1", in: root)
            try git("config", "dispatch.b", "2", in: root)
            try git("config", "--add", "dispatch.b", "3", in: root)
            try git("config", "other.c", "4", in: root)
            let entries = try Repository.open(at: root).localConfig().entries(matching: "^dispatch\\.")
            #expect(entries.map(\.name) == ["dispatch.a", "dispatch.b", "dispatch.b"])
            #expect(entries.map(\.value) == ["1", "2", "3"])
        }
    }

    @Test("a linked worktree writes the shared local config of the main repository")
    func worktreeSharesConfig() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root + "/repo")
            try git("worktree", "add", "-q", "-b", "wt", root + "/wt", in: root + "/repo")
            try Repository.open(at: root + "/wt").localConfig().set("dispatch.shared", "yes")
            #expect(try gitValue("config", "--local", "dispatch.shared", in: root + "/repo") == "yes")
        }
    }
}
