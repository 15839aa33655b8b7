/// Which paths of a watched tree are recorded and compared: the `[watch] include` and `exclude`
/// globs, parsed once where they enter and applied by every walk of every tree, so a snapshot and
/// a reference directory are always seen through the same filter.
package struct PathFilter: Hashable, Sendable {
    /// When not empty, only files matched by one of these are admitted.
    package var include: [PathGlob]
    /// A matched file is not admitted; a matched directory is not entered.
    package var exclude: [PathGlob]

    /// Admits everything.
    package static let everything = PathFilter(include: [PathGlob](), exclude: [PathGlob]())

    package init(include: [PathGlob], exclude: [PathGlob]) {
        self.include = include
        self.exclude = exclude
    }

    /// Parses both lists; the first invalid pattern is the error.
    package init(include: [String], exclude: [String]) throws(PathGlobError) {
        self.include = try include.map { text throws(PathGlobError) in try PathGlob(text) }
        self.exclude = try exclude.map { text throws(PathGlobError) in try PathGlob(text) }
    }

    package func admitsFile(_ path: String) -> Bool {
        if exclude.contains(where: { $0.matches(path) }) { return false }
        return include.isEmpty || include.contains(where: { $0.matches(path) })
    }

    /// A file the cycle computes (`@effective/…`, `@layers/…`) is admitted unless an exclude
    /// pattern matches it or one of its directories: include patterns describe the watched tree,
    /// so they do not apply to it.
    package func admitsComputedFile(_ path: String) -> Bool {
        var directory = ""
        for component in path.split(separator: "/").dropLast() {
            directory += directory.isEmpty ? String(component) : "/" + component
            if !admitsDirectory(directory) { return false }
        }
        return !exclude.contains(where: { $0.matches(path) })
    }

    /// Directories are pruned by exclude patterns only: an include pattern such as `*.toml` must
    /// still reach files deep in the tree.
    package func admitsDirectory(_ path: String) -> Bool {
        !exclude.contains(where: { $0.matches(path, isDirectory: true) })
    }
}
