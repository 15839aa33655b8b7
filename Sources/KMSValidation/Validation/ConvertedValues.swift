import TOML

/// Values of a table as kms-server receives them, for the rules that compare keys: converted by
/// config-rs, or nil when the key is absent or refused (the schema validator reports that).
extension TOMLTable {
    /// The key as an unsigned Rust integer of `width`.
    func unsigned(_ key: String, as width: ConfigRsConversion.UnsignedWidth) -> UInt64? {
        guard let value = self[key], case .success(let number) = ConfigRsConversion.unsigned(value, as: width)
        else {
            return nil
        }
        return number
    }

    /// The key as a Rust `String` (numbers and booleans converted).
    func convertedString(_ key: String) -> String? {
        self[key].flatMap(ConfigRsConversion.string)
    }
}
