import Foundation
import TestSupport
import Testing

@testable import TOML

/// Compares our TOML 1.0 mode with Python's `tomllib` (a TOML 1.0 decoder) on the corpus,
/// configs from the shared workload generator, and seeded generated documents.
/// Python is a test-time oracle only; the product never runs it.
@Suite("differential vs Python tomllib")
struct DifferentialTests {
    /// Decodes every path given on the command line and prints one JSON list: tagged values or errors.
    static let pythonDecoder = """
        import datetime, json, sys, tomllib
        def tag(v):
            if isinstance(v, dict): return {k: tag(x) for k, x in v.items()}
            if isinstance(v, list): return [tag(x) for x in v]
            if isinstance(v, bool): return {"type": "bool", "value": "true" if v else "false"}
            if isinstance(v, int): return {"type": "integer", "value": str(v)}
            if isinstance(v, float): return {"type": "float", "value": repr(v)}
            if isinstance(v, str): return {"type": "string", "value": v}
            if isinstance(v, datetime.datetime):
                return {"type": "datetime" if v.tzinfo else "datetime-local", "value": v.isoformat()}
            if isinstance(v, datetime.date): return {"type": "date-local", "value": v.isoformat()}
            if isinstance(v, datetime.time): return {"type": "time-local", "value": v.isoformat()}
            raise TypeError(type(v))
        out = []
        for path in sys.argv[1:]:
            try:
                with open(path, "rb") as f: out.append({"ok": tag(tomllib.load(f))})
            except Exception as e:
                out.append({"error": str(e)})
        print(json.dumps(out))
        """

    @Test(
        .enabled(if: Probe.hasPythonTomllib, "needs python3 with tomllib (Python 3.11 or later)"),
        .temporaryDirectory)
    func agreesWithTomllib() throws {
        let directory = try TemporaryDirectory.current().url
        var documents: [URL] = try SharedData.corpusFiles()
        // Configs in both documented formats, and their semantically equal reformatted copies.
        for (style, env) in [
            ("guide", "production"), ("guide", "development"), ("server", "staging"),
            ("server", "production"),
        ] {
            let url = directory.appendingPathComponent("party-\(style)-\(env).toml")
            let party = try WorkloadGenerator.run(["party", "--style", style, "--env", env])
            try writeFile(party.standardOutput, to: url)
            let reformatted = try WorkloadGenerator.run(["reformat", url.path])
            let reformattedURL = directory.appendingPathComponent("reformat-\(style)-\(env).toml")
            try writeFile(reformatted.standardOutput, to: reformattedURL)
            documents += [url, reformattedURL]
        }
        var generator = DocumentGenerator(seed: 20_261_125)
        for number in 0..<300 {
            let url = directory.appendingPathComponent("generated-\(number).toml")
            try Data(generator.document().utf8).write(to: url)
            documents.append(url)
        }

        let result = try runProcess(
            "/usr/bin/env", ["python3", "-c", Self.pythonDecoder] + documents.map(\.path))
        let decoded = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as? [[String: Any]])
        try #require(decoded.count == documents.count)
        var failures: [String] = []
        var acceptedByBoth = 0
        for (url, expected) in zip(documents, decoded) {
            let name = url.lastPathComponent
            let bytes = try SharedData.bytes(url)
            let ours: Result<TOMLTable, TOMLParseError>
            do {
                ours = .success(try TOMLParser(version: .v1_0).parse(bytes, fileName: name))
            } catch {
                ours = .failure(error)
            }
            switch (ours, expected["ok"], expected["error"]) {
            case (.success(let table), .some(let tagged), _):
                if let problem = TaggedJSON.mismatch(expected: tagged, actual: .table(table)) {
                    failures.append("\(name): \(problem)")
                } else {
                    acceptedByBoth += 1
                }
            case (.success, nil, let message):
                failures.append("\(name): we accept, tomllib rejects: \(message ?? "?")")
            case (.failure(let error), .some, _):
                failures.append("\(name): tomllib accepts, we reject: \(error)")
            case (.failure, nil, _):
                break
            }
        }
        print("differential vs tomllib: \(acceptedByBoth)/\(documents.count) documents decoded identically")
        #expect(acceptedByBoth == documents.count)
        #expect(failures.isEmpty, "\(failures.count) differences:\n\(failures.joined(separator: "\n"))")
    }
}
