import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The scoped temporary directory: made empty, removed at the end of its scope even on error.
@Suite("temporary directory")
struct TemporaryDirectoryTests {
    struct Failure: Error {}

    @Test("removed after the body, also when the body throws")
    func removedAfterScope() throws {
        let kept = try withTemporaryDirectory { directory in
            try directory.write("a/b/c.txt", "text", mode: 0o600)
            #expect(try directory.readText("a/b/c.txt") == "text")
            #expect(directory.mode("a/b/c.txt") == 0o600)
            return directory.path
        }
        #expect(!FileManager.default.fileExists(atPath: kept))

        var thrownFrom = ""
        #expect(throws: Failure.self) {
            try withTemporaryDirectory { directory in
                thrownFrom = directory.path
                try directory.write("x", [1, 2, 3])
                throw Failure()
            }
        }
        #expect(!thrownFrom.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: thrownFrom))
    }

    @Test("an executable script runs")
    func script() throws {
        try withTemporaryDirectory { directory in
            let path = try directory.script("hello.sh", "echo hello")
            #expect(directory.mode("hello.sh") == 0o755)
            #expect(try runProcess(path, []).stdout == "hello\n")
        }
    }

    @Suite("the trait", .temporaryDirectory)
    struct Trait {
        let directory: TemporaryDirectory

        init() throws {
            directory = try TemporaryDirectory.current()
            try directory.write("made-by-init", "")
        }

        @Test("the suite's init and the test see the same fresh directory")
        func sameDirectory() throws {
            #expect(try TemporaryDirectory.current().path == directory.path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["made-by-init"])
        }
    }

    @Test("without the trait, current() says what is missing")
    func withoutTrait() {
        #expect(throws: TemporaryDirectoryError.self) { try TemporaryDirectory.current() }
    }
}
