import FileSystem
import Testing

@Suite("Path globs mean what gitignore means")
struct PathGlobTests {
    /// (pattern, path, matches): the README's table of examples, and the cases that were wrong
    /// with fnmatch (`*` crossed `/`, `**/x` missed a top-level `x`).
    static let table: [(String, String, Bool)] = [
        // A pattern without "/" matches a name at any depth.
        ("*.toml", "a.toml", true),
        ("*.toml", "sub/d.toml", true),
        ("*.toml", "a.toml.bak", false),
        ("*.swp", ".kms-server.toml.swp", true),
        ("*.swp", "deep/er/.x.swp", true),
        ("*~", "kms-server.toml~", true),
        (".#*", ".#kms-server.toml", true),
        (".#*", "sub/.#lock", true),
        ("notes.bak", "x/notes.bak", true),
        // `*` and `?` never cross "/".
        ("/*.toml", "a.toml", true),
        ("/*.toml", "sub/d.toml", false),
        ("sub/*.toml", "sub/d.toml", true),
        ("sub/*.toml", "sub/deeper/d.toml", false),
        ("sub/*.toml", "x/sub/d.toml", false),
        ("s?b/a", "sub/a", true),
        ("s?b/a", "s/b/a", false),
        // `**/` is zero or more directories.
        ("**/*.swp", ".kms-server.toml.swp", true),
        ("**/*.swp", "a/b/c.swp", true),
        ("**/*~", "kms-server.toml~", true),
        ("**/.#*", ".#x", true),
        ("a/**/b", "a/b", true),
        ("a/**/b", "a/x/y/b", true),
        ("a/**/b", "a/xb", false),
        ("**/certs", "certs/ca.pem", true),
        ("**/certs", "p/certs/ca.pem", true),
        // `/**` at the end: everything inside, not the directory itself.
        ("keys/**", "keys/a.pem", true),
        ("keys/**", "keys/x/y.pem", true),
        ("keys/**", "keys", false),
        ("**", "anything/at/all", true),
        // Other runs of asterisks are a single `*`.
        ("a**b", "axxb", true),
        ("a**b", "ax/xb", false),
        // A pattern that matches a directory matches everything below it.
        ("cache", "cache/x.toml", true),
        ("cache", "sub/cache/x.toml", true),
        ("/cache", "sub/cache/x.toml", false),
        ("cache", "cached/x.toml", false),
        // Character classes and escapes.
        ("node[0-9].toml", "node7.toml", true),
        ("node[0-9].toml", "nodex.toml", false),
        ("node[!0-9].toml", "nodex.toml", true),
        ("node[!0-9].toml", "node7.toml", false),
        ("\\*.toml", "*.toml", true),
        ("\\*.toml", "a.toml", false),
        // A trailing "/" matches directories only.
        ("build/", "build/out.toml", true),
        ("build/", "build", false),
    ]

    @Test("patterns × paths", arguments: table)
    func patternTable(pattern: String, path: String, expected: Bool) throws {
        let glob = try PathGlob(pattern)
        #expect(glob.matches(path) == expected, "\(pattern) on \(path)")
    }

    @Test("a directory-only pattern matches the directory itself when it is one")
    func directoryOnly() throws {
        #expect(try PathGlob("build/").matches("build", isDirectory: true))
        #expect(try PathGlob("build/").matches("sub/build", isDirectory: true))
    }

    @Test(
        "invalid patterns are refused with a reason",
        arguments: [
            ("", "empty"), ("[", "not closed"), ("a[b", "not closed"), ("x\\", "escapes nothing"),
            ("[z-a]", "backwards"), ("/", "watched directory itself"), ("[a/b]", "cannot hold"),
        ])
    func invalid(pattern: String, reason: String) {
        #expect {
            try PathGlob(pattern)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test(
        "a name glob (one engine for key names and file names): / is an ordinary character",
        arguments: [
            ("*.pem", "ca.pem", true), ("*.pem", "certs/ca.pem", true), ("party_id=*", "party_id=3", true),
            ("p?ers", "peers", true), ("[a-c]*", "bucket", true), ("[!a-c]*", "bucket", false),
            ("a/*", "a/b/c", true), ("**", "a/b", true), ("x\\*", "x*", true), ("x\\*", "xy", false),
            ("*.pem", "ca.pem.bak", false),
        ])
    func nameGlob(pattern: String, name: String, expected: Bool) throws {
        #expect(try PathGlob(name: pattern).matches(name) == expected, "\(pattern) on \(name)")
    }

    @Test("an over-long pattern is refused")
    func tooLong() {
        #expect(throws: PathGlobError.self) { try PathGlob(String(repeating: "a", count: 1025)) }
    }

    @Test("matching is linear: many stars on a long path that cannot match finish at once")
    func noBacktracking() throws {
        let pattern = try PathGlob(String(repeating: "*a", count: 200) + "b")
        let path = String(repeating: "a", count: 4000)
        // A backtracking matcher takes exponential time here; the automaton does 200 × 4000 steps.
        #expect(!pattern.matches(path))
        let stars = try PathGlob(String(repeating: "**/", count: 100) + "z")
        let deep = Array(repeating: "d", count: 400).joined(separator: "/")
        #expect(!stars.matches(deep))
        #expect(stars.matches(deep + "/z"))
    }
}

@Suite("Path filter: include and exclude")
struct PathFilterTests {
    @Test("exclude wins, include restricts files, directories are pruned by exclude only")
    func filter() throws {
        let filter = try PathFilter(include: ["*.toml", "certs/"], exclude: ["*.bak", "tmp"])
        #expect(filter.admitsFile("a.toml"))
        #expect(filter.admitsFile("deep/a.toml"))
        #expect(filter.admitsFile("certs/ca.pem"))
        #expect(!filter.admitsFile("ca.pem"))
        #expect(!filter.admitsFile("a.toml.bak"))
        #expect(!filter.admitsFile("notes.bak"))
        #expect(filter.admitsDirectory("sub"))
        #expect(!filter.admitsDirectory("tmp"))
        #expect(!filter.admitsDirectory("x/tmp"))
        #expect(!filter.admitsFile("tmp/a.toml"))
    }

    @Test("the first invalid pattern is the error")
    func invalid() {
        #expect(throws: PathGlobError.self) { try PathFilter(include: ["["], exclude: []) }
    }
}
