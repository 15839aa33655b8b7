import Foundation
import Synchronization
import Testing

@testable import FileSystem

/// The walker examines entries on several threads: what it visits, in which order, and what it
/// never enters must be what a walk on one thread gives.
@Suite("A parallel walk visits what a sequential walk visits, in the same order")
struct ParallelWalkTests {
    /// A generated tree: nested directories of files, links (to a file, to a directory, dangling), a
    /// FIFO, a name that is not UTF-8, a directory big enough to be examined on several threads, an
    /// atomic-writer mount, an excluded directory and excluded files, and two entries the kernel
    /// refuses (through the access seam: the tests run as root, who can read everything).
    private struct GeneratedTree {
        let root: String
        var regularFiles = 0

        init() throws {
            root =
                FileManager.default.temporaryDirectory.appendingPathComponent(
                    "kms-drift-parallel-walk-\(UUID().uuidString)"
                ).path
            let manager = FileManager.default
            func file(_ relative: String, _ text: String = "x = 1\n") throws {
                try text.write(toFile: root + "/" + relative, atomically: false, encoding: .utf8)
            }
            func directory(_ relative: String) throws {
                try manager.createDirectory(atPath: root + "/" + relative, withIntermediateDirectories: true)
            }
            for outer in 0..<23 {
                for inner in 0..<3 {
                    let path = "d\(outer)/e\(inner)"
                    try directory(path)
                    for index in 0..<(outer % 4 + 1) {
                        try file("\(path)/f\(index).toml", "value = \(outer * 100 + inner * 10 + index)\n")
                        regularFiles += 1
                    }
                }
                try manager.createSymbolicLink(
                    atPath: root + "/d\(outer)/to-file", withDestinationPath: "e0/f0.toml")
            }
            try directory("big")
            for index in 0..<300 {
                try file("big/n\(index).yaml", "n: \(index)\n")
                regularFiles += 1
            }
            try manager.createSymbolicLink(atPath: root + "/d1/to-directory", withDestinationPath: "../d2")
            try manager.createSymbolicLink(atPath: root + "/dangling", withDestinationPath: "missing/target")
            #expect(mkfifo(root + "/fifo", 0o600) == 0)
            let latin1 = Array((root + "/caf").utf8) + [0xE9]
            let descriptor = RawPath.withCString(latin1) { open($0, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) }
            #expect(descriptor >= 0)
            close(descriptor)
            regularFiles += 1
            try file("locked.toml")
            try directory("sealed")
            try file("sealed/inside.toml")
            try directory("excluded/deeper")
            try file("excluded/deeper/never.toml")
            try file("d0/scratch.tmp")
            let data = "..2026_12_06_22_00_00.1"
            try directory("mount/" + data + "/certs")
            try file("mount/" + data + "/server.toml")
            try file("mount/" + data + "/certs/ca.pem")
            regularFiles += 2
            try manager.createSymbolicLink(atPath: root + "/mount/..data", withDestinationPath: data)
            try manager.createSymbolicLink(
                atPath: root + "/mount/server.toml", withDestinationPath: "..data/server.toml")
            try manager.createSymbolicLink(atPath: root + "/mount/certs", withDestinationPath: "..data/certs")
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    /// The kernel's answers, except `locked.toml` (cannot be examined) and `sealed` (cannot be
    /// opened), refused with EACCES as for a daemon without the right; records every directory opened.
    /// The names of the directories a walk opened, from whichever thread opened them.
    private final class OpenedNames: Sendable {
        let names = Mutex<[String]>([])
    }

    private static func access(recordingOpens opened: OpenedNames) -> DirectoryEntryAccess {
        DirectoryEntryAccess(
            status: { directory, name in
                name == Array("locked.toml".utf8)
                    ? .failure(ErrnoCode(EACCES)) : DirectoryEntryAccess.system.status(directory, name)
            },
            openDirectory: { directory, name in
                opened.names.withLock { $0.append(PathName.key(name)) }
                return name == Array("sealed".utf8)
                    ? .failure(ErrnoCode(EACCES)) : DirectoryEntryAccess.system.openDirectory(directory, name)
            })
    }

    /// One line per call the walk made, with everything the entry carries.
    private static func walk(_ tree: GeneratedTree, parallelism: Int, opened: OpenedNames) throws -> [String]
    {
        var walker = DirectoryWalker(
            root: tree.root, filter: try PathFilter(include: [], exclude: ["excluded", "*.tmp"]))
        walker.parallelism = parallelism
        walker.access = access(recordingOpens: opened)
        func describe(_ status: stat) -> String {
            "ino=\(status.st_ino) mode=\(String(status.st_mode, radix: 8)) size=\(status.st_size) "
                + "mtime=\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        }
        var lines: [String] = []
        try walker.walk(entering: { lines.append("enter \($0)") }) { entry in
            switch entry {
            case .directory(let path, let status): lines.append("directory \(path) \(describe(status))")
            case .regular(let path, let status): lines.append("file \(path) \(describe(status))")
            case .symlink(let path, let status): lines.append("link \(path) \(describe(status))")
            case .special(let path, let type): lines.append("special \(path) \(type)")
            case .failed(let path, let status, let code):
                lines.append("failed \(path) \(status.map(describe) ?? "-") \(POSIX.errorText(code))")
            }
        }
        return lines
    }

    @Test func theSameEntriesInTheSameOrderOnOneThreadAndOnMany() throws {
        let tree = try GeneratedTree()
        defer { tree.remove() }
        let sequentialOpens = OpenedNames()
        let sequential = try Self.walk(tree, parallelism: 1, opened: sequentialOpens)
        for threads in [2, 3, 8] {
            let parallel = try Self.walk(tree, parallelism: threads, opened: OpenedNames())
            #expect(parallel == sequential, "with \(threads) threads")
        }

        let paths = sequential.compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words[0] == "enter" ? nil : String(words[1])
        }
        // Byte order of names, each directory before its own entries (a depth-first walk).
        let components = paths.map { PathName.bytes($0).split(separator: UInt8(ascii: "/")).map(Array.init) }
        let depthFirst = components.sorted {
            $0.lexicographicallyPrecedes($1) { $0.lexicographicallyPrecedes($1) }
        }
        #expect(components == depthFirst)
        #expect(sequential.filter { $0.hasPrefix("file ") }.count == tree.regularFiles)
        #expect(sequential.first == "enter ")
        #expect(
            sequential.contains {
                $0.hasPrefix("failed locked.toml - ") && $0.hasSuffix(POSIX.errorText(EACCES))
            })
        #expect(
            sequential.contains {
                $0.hasPrefix("failed sealed ino=") && $0.hasSuffix(POSIX.errorText(EACCES))
            })
        #expect(!sequential.contains { $0.contains("sealed/inside.toml") })
        #expect(sequential.contains { $0.hasPrefix("special fifo FIFO") })
        #expect(sequential.contains { $0.hasPrefix("link dangling ") })
        #expect(sequential.contains { $0.hasPrefix("link d1/to-directory ") })
        #expect(!sequential.contains { $0.contains("to-directory/") })
        #expect(
            sequential.contains { $0.hasPrefix("file " + PathName.key(Array("caf".utf8) + [0xE9]) + " ") })
        #expect(sequential.contains { $0.hasPrefix("file mount/certs/ca.pem ") })
        #expect(!sequential.contains { $0.contains("..data") || $0.contains("..2026") })
        // Excluded directories are not entered, nor even opened; excluded files are not visited.
        #expect(!sequential.contains { $0.contains("excluded") || $0.contains(".tmp") })
        #expect(!sequentialOpens.names.withLock { $0.contains("excluded") })
        #expect(sequentialOpens.names.withLock { $0.contains("sealed") })
        // Every entered directory was announced right after it was visited, before its entries.
        for (index, line) in sequential.enumerated() where line.hasPrefix("enter ") && line != "enter " {
            #expect(sequential[index - 1].hasPrefix("directory " + line.dropFirst("enter ".count) + " "))
        }
    }

    @Test func aWalkStoppedByItsVisitorStopsOnEveryThreadCount() throws {
        let tree = try GeneratedTree()
        defer { tree.remove() }
        struct Enough: Error {}
        for threads in [1, 2, 8] {
            var walker = DirectoryWalker(root: tree.root, filter: .everything)
            walker.parallelism = threads
            var visited: [String] = []
            #expect(throws: Enough.self) {
                try walker.walk { entry in
                    guard case .regular(let path, _) = entry else { return }
                    visited.append(path)
                    if visited.count == 40 { throw Enough() }
                }
            }
            #expect(visited.count == 40)
            #expect(visited.first == "big/n0.yaml")
        }
    }
}
