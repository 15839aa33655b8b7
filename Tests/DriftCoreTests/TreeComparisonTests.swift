import Foundation
import TOML
import TestSupport
import Testing

@testable import DriftCore

@Suite("Directory comparison", .temporaryDirectory)
struct TreeComparisonTests {
    @Test("TOML by meaning, other files by content, added/removed files, symlinks not followed")
    func directories() throws {
        let root = try TemporaryDirectory.current().url
        let reference = root.appendingPathComponent("ref")
        let current = root.appendingPathComponent("cur")
        let files = FileManager.default
        for directory in [reference, current] {
            try files.createDirectory(
                at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        }
        try "a = 1\nb = 2\n".write(
            to: reference.appendingPathComponent("node.toml"), atomically: true, encoding: .utf8)
        try "b = 2 # same\na = 0x1\n".write(
            to: current.appendingPathComponent("node.toml"), atomically: true, encoding: .utf8)
        try "x = 1\n".write(
            to: reference.appendingPathComponent("sub/peer.toml"), atomically: true, encoding: .utf8)
        try "x = 2\n".write(
            to: current.appendingPathComponent("sub/peer.toml"), atomically: true, encoding: .utf8)
        try "cert-1".write(to: reference.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        try "cert-2".write(to: current.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        try "old".write(to: reference.appendingPathComponent("gone.txt"), atomically: true, encoding: .utf8)
        try "new".write(to: current.appendingPathComponent("new.txt"), atomically: true, encoding: .utf8)
        try files.createSymbolicLink(
            atPath: reference.appendingPathComponent("link").path, withDestinationPath: "node.toml")
        try files.createSymbolicLink(
            atPath: current.appendingPathComponent("link").path, withDestinationPath: "/etc/passwd")

        let report = try TreeComparison().compare(
            reference: DirectoryTree(root: reference.path), current: DirectoryTree(root: current.path))
        let byPath = Dictionary(uniqueKeysWithValues: report.files.map { ($0.path, $0) })
        #expect(byPath["node.toml"] == nil)
        #expect(byPath["sub/peer.toml"]?.differences.map(\.path.description) == ["x"])
        #expect(byPath["ca.pem"]?.status == .contentChanged)
        #expect(byPath["ca.pem"]?.fileSeverity == .critical)
        #expect(byPath["gone.txt"]?.status == .removed)
        #expect(byPath["new.txt"]?.status == .added)
        #expect(byPath["link"]?.status == .contentChanged)
        #expect(byPath["link"]?.currentSummary == "symlink to /etc/passwd")
        #expect(report.changeCount == 5)
    }

    @Test("many changed TOML files, compared on several threads in batches, are reported in path order")
    func manyChangedFilesInOrder() throws {
        let temp = try TemporaryDirectory.current()
        // More than one batch (256 files), with unchanged meanings and plain files in between.
        for index in 0..<300 {
            let name = String(format: "f%03d", index)
            try temp.write("ref/\(name).toml", "port = \(index)\nhost = \"h\"\n")
            let port = index % 3 == 0 ? index : index + 1000
            try temp.write("cur/\(name).toml", "host = \"h\"\nport = \(port)\n")
            try temp.write("ref/\(name).txt", "a")
            try temp.write("cur/\(name).txt", index % 5 == 0 ? "b" : "a")
        }
        let report = try TreeComparison().compare(
            reference: DirectoryTree(root: temp.path("ref")), current: DirectoryTree(root: temp.path("cur")))
        let expected = (0..<300).flatMap { index -> [String] in
            let name = String(format: "f%03d", index)
            return (index % 3 == 0 ? [] : ["\(name).toml"]) + (index % 5 == 0 ? ["\(name).txt"] : [])
        }
        #expect(report.files.map(\.path) == expected)
        for file in report.files where file.path.hasSuffix(".toml") {
            #expect(file.differences.map(\.path.description) == ["port"], "\(file.path)")
        }
    }

    @Test("of two broken TOML files, the error names the first in path order")
    func firstErrorInPathOrder() throws {
        let temp = try TemporaryDirectory.current()
        for index in 0..<40 {
            let name = String(format: "f%02d", index)
            try temp.write("ref/\(name).toml", "port = \(index)\n")
            try temp.write(
                "cur/\(name).toml", index == 7 || index == 31 ? "port = = \(index)\n" : "port = 1\n")
        }
        #expect {
            try TreeComparison().compare(
                reference: DirectoryTree(root: temp.path("ref")),
                current: DirectoryTree(root: temp.path("cur")))
        } throws: { error in
            "\(error)".contains("f07.toml")
        }
    }

    @Test("invalid TOML in a tree is an error with file:line:column")
    func invalidTOML() throws {
        let root = try TemporaryDirectory.current().url
        let reference = root.appendingPathComponent("ref")
        let current = root.appendingPathComponent("cur")
        try FileManager.default.createDirectory(at: reference, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: current, withIntermediateDirectories: true)
        try "a = 1\n".write(to: reference.appendingPathComponent("n.toml"), atomically: true, encoding: .utf8)
        try "a = 1\na = 2\n".write(
            to: current.appendingPathComponent("n.toml"), atomically: true, encoding: .utf8)
        do {
            _ = try TreeComparison().compare(
                reference: DirectoryTree(root: reference.path), current: DirectoryTree(root: current.path))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix(current.appendingPathComponent("n.toml").path + ":2:"))
        }
    }

    @Test("an unreadable file names the path and the errno meaning")
    func unreadable() throws {
        #expect(throws: DriftCoreError.self) { try ConfigFile.load("/nonexistent/kms.toml") }
        do {
            _ = try ConfigFile.load("/nonexistent/kms.toml")
        } catch {
            #expect(error.description == "cannot read /nonexistent/kms.toml: No such file or directory")
        }
    }
}
