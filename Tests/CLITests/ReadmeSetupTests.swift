import Foundation
import TestSupport
import Testing

/// The README's first set-up command installs, by name, exactly the packages the build needs
/// (`scripts/install-deps`' `build_packages`), and its second is the test command CI runs.
@Suite("README: the set-up commands")
struct ReadmeSetupTests {
    static func text(_ relative: String) throws -> String {
        try String(contentsOf: TestPaths.packageRoot.appendingPathComponent(relative), encoding: .utf8)
    }

    /// The first two lines of the README's first `sh` block.
    static func setUpCommands() throws -> [String] {
        let readme = try text("README.md")
        let block = try #require(readme.range(of: "```sh\n"))
        let lines = readme[block.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        return lines.prefix(2).map(String.init)
    }

    @Test("the first command apt-get-installs exactly install-deps' build packages")
    func firstCommandInstallsTheBuildPackages() throws {
        let first = try #require(try Self.setUpCommands().first)
        let install = try #require(first.range(of: "apt-get install -y "))
        let named = first[install.upperBound...].prefix { $0 != "&" }.split(separator: " ").map(String.init)
        let script = try Self.text("scripts/install-deps")
        let start = try #require(script.range(of: "build_packages=(\n"))
        let end = try #require(script[start.upperBound...].range(of: "\n)"))
        let listed = script[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap {
            $0.split(separator: " ", omittingEmptySubsequences: true).first.map(String.init)
        }
        #expect(!listed.isEmpty)
        #expect(Set(named) == Set(listed), "README installs \(named), install-deps builds with \(listed)")
        #expect(first.contains("swift build"))
        #expect(first.contains(".build/release/kms-drift snapshot --config config/demo.toml"))
    }

    @Test("the second command is the test command .ci/run runs")
    func secondCommandIsCIs() throws {
        let second = try #require(try Self.setUpCommands().last)
        #expect(second == "scripts/install-deps --tests && swift test")
        #expect(try Self.text(".ci/run").contains("\n" + second + "\n"))
    }
}
