import DriftCore
import FileSystem

/// Builds the effective configuration exactly as kms-server's loader does
/// (`observability/src/conf.rs`): the layer files in order, each merged over the previous ones,
/// then the `KMS_CORE__…` environment, converted to the schema's types.
package struct EffectiveConfigurationBuilder: Sendable {
    package var discovery: LayerDiscovery
    package var environment: EnvironmentVariables
    /// Render the `--config-file` layer with `envsubst` first when it holds `${VAR}` references
    /// (a Helm template given with the party's env file).
    package var rendersTemplates: Bool
    /// Notes gathered while choosing the sources (an unknown `RUN_MODE`).
    package var sourceNotes: [String]

    package init(
        discovery: LayerDiscovery, environment: EnvironmentVariables = EnvironmentVariables(),
        rendersTemplates: Bool = false, sourceNotes: [String] = []
    ) {
        self.discovery = discovery
        self.environment = environment
        self.rendersTemplates = rendersTemplates
        self.sourceNotes = sourceNotes
    }

    package func build() throws(EffectiveConfigError) -> EffectiveConfiguration {
        var (layers, notes) = try discovery.discover()
        notes = sourceNotes + notes
        var root = LayeredTable()
        for layer in layers {
            switch layer.format {
            case .toml:
                root.merge(try readTOML(layer, notes: &notes))
            case .json:
                let bytes = try Self.read(layer.path)
                root.merge(try JSONLayer.readLayer(bytes, displayPath: layer.path))
            case .other:
                continue
            }
        }
        let overrides = EnvironmentOverrides(environment: environment)
        let (environmentLayer, environmentNotes) = try overrides.layer()
        root.merge(environmentLayer)
        for indexed in try overrides.indexedOverrides { try indexed.apply(to: &root) }
        // serde then reads every value as its field's type, through config-rs's conversions.
        let (converted, conversions) = SchemaConversion.convert(root)
        return EffectiveConfiguration(
            root: converted, layers: layers, environmentVariables: try overrides.variables.map(\.name),
            notes: notes + environmentNotes, conversions: conversions)
    }

    private func readTOML(_ layer: LayerFile, notes: inout [String]) throws(EffectiveConfigError)
        -> LayeredTable
    {
        let bytes = try Self.read(layer.path)
        guard rendersTemplates, layer.slot == "--config-file" else {
            return try TOMLLayer.parse(bytes, displayPath: layer.path)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let references = Envsubst.references(in: text)
        guard !references.isEmpty else { return try TOMLLayer.parse(bytes, displayPath: layer.path) }
        let rendered = try Envsubst.render(text, file: layer.path, environment: environment)
        notes.append(
            "\(layer.path) is a template: rendered with envsubst first "
                + "(\(Set(references.map(\.name)).count) variables), as the Helm chart's init container does")
        let table = try TOMLLayer.parse(Array(rendered.utf8), displayPath: layer.path)
        return TemplateLines(template: text, environment: environment).remap(table, file: layer.path)
    }

    static func read(_ path: String) throws(EffectiveConfigError) -> [UInt8] {
        do {
            return try FileContents.read(path)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
    }
}

/// Maps lines of a rendered template back to the template's lines: a substituted value that
/// spans lines (a PEM block) moves every later line down.
struct TemplateLines {
    /// `sourceLine[renderedLine - 1]`.
    private var sourceLine: [Int] = []

    /// References never span lines, so each template line renders on its own.
    init(template: String, environment: EnvironmentVariables) {
        for (index, templateLine) in TextLines.lines(of: template).enumerated() {
            let rendered = Envsubst.substitute(String(templateLine)) { environment[$0] ?? "" }
            let count = rendered.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            for _ in 0..<count { sourceLine.append(index + 1) }
        }
    }

    func line(for renderedLine: Int) -> Int {
        sourceLine.indices.contains(renderedLine - 1) ? sourceLine[renderedLine - 1] : renderedLine
    }

    func remap(_ table: LayeredTable, file: String) -> LayeredTable {
        var result = LayeredTable(origin: table.origin.map { remap($0, file: file) })
        for (key, value) in table.entries { result[key] = remap(value, file: file) }
        return result
    }

    private func remap(_ value: LayeredValue, file: String) -> LayeredValue {
        switch value {
        case .scalar(let scalar, let origin): return .scalar(scalar, remap(origin, file: file))
        case .null(let origin): return .null(remap(origin, file: file))
        case .array(let elements, let origin):
            return .array(elements.map { remap($0, file: file) }, remap(origin, file: file))
        case .table(let table): return .table(remap(table, file: file))
        }
    }

    private func remap(_ origin: ValueOrigin, file: String) -> ValueOrigin {
        guard case .file(let path, let line) = origin, path == file else { return origin }
        return .file(path: path, line: self.line(for: line))
    }
}
