import ArgumentParser
import TOML

/// `--toml 1.0` / `--toml 1.1`: which TOML version files are read as.
enum TOMLVersionChoice: String, ExpressibleByArgument, CaseIterable {
    case v1_0 = "1.0"
    case v1_1 = "1.1"

    var version: TOMLParser.Version {
        switch self {
        case .v1_0: return .v1_0
        case .v1_1: return .v1_1
        }
    }
}
