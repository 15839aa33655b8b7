/// A SARIF 2.1.0 log (OASIS, `sarif-schema-2.1.0.json`): one run of kms-drift, one rule per
/// finding class, one result per annotation with its file, line and column, for code-scanning
/// tools (GitHub's `upload-sarif`, GitLab, IDEs).
package enum SARIFLog {
    package static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    package static func render(_ annotations: [PipelineAnnotation], toolVersion: String) -> String {
        var rules: [(id: String, description: String)] = []
        var ruleIndex: [String: Int] = [:]
        for annotation in annotations where ruleIndex[annotation.ruleID] == nil {
            ruleIndex[annotation.ruleID] = rules.count
            rules.append((annotation.ruleID, annotation.ruleDescription))
        }
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("$schema")
        writer.string(schemaURI)
        writer.key("version")
        writer.string("2.1.0")
        writer.key("runs")
        writer.beginArray()
        writer.beginObject()
        writer.key("tool")
        writer.beginObject()
        writer.key("driver")
        writer.beginObject()
        writer.key("name")
        writer.string("kms-drift")
        writer.key("version")
        writer.string(toolVersion)
        writer.key("rules")
        writer.beginArray()
        for rule in rules {
            writer.beginObject()
            writer.key("id")
            writer.string(rule.id)
            writer.key("shortDescription")
            text(rule.description, into: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.endObject()
        writer.key("results")
        writer.beginArray()
        for annotation in annotations {
            writer.beginObject()
            writer.key("ruleId")
            writer.string(annotation.ruleID)
            writer.key("ruleIndex")
            writer.number(ruleIndex[annotation.ruleID] ?? 0)
            writer.key("level")
            writer.string(annotation.level.rawValue)
            writer.key("message")
            text(annotation.title + ": " + annotation.message, into: &writer)
            writer.key("locations")
            writer.beginArray()
            writer.beginObject()
            writer.key("physicalLocation")
            writer.beginObject()
            writer.key("artifactLocation")
            writer.beginObject()
            writer.key("uri")
            writer.string(uriReference(annotation.file))
            writer.endObject()
            if let line = annotation.line {
                writer.key("region")
                writer.beginObject()
                writer.key("startLine")
                writer.number(line)
                if let column = annotation.column {
                    writer.key("startColumn")
                    writer.number(column)
                }
                writer.endObject()
            }
            writer.endObject()
            writer.endObject()
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
    }

    private static func text(_ text: String, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("text")
        writer.string(text)
        writer.endObject()
    }

    /// A path as a URI reference: unreserved characters and `/` kept, every other byte
    /// percent-encoded (a space, `#`, `?`, `%`, non-ASCII).
    package static func uriReference(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                result += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return result
    }
}
