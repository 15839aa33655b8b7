import DriftCore
import TOML
import Testing

/// The conversions of config-rs 0.15 `value.rs`, case by case.
@Suite("config-rs conversions")
struct ConfigRsConversionTests {
    @Test(arguments: [
        ("1", true), ("TRUE", true), ("on", true), ("Yes", true), ("0", false), ("false", false), ("OFF", false),
        ("no", false),
    ])
    func boolFromString(_ text: String, _ expected: Bool) {
        #expect(ConfigRsConversion.bool(.string(text)) == expected)
    }

    @Test func boolFromOtherTypes() {
        #expect(ConfigRsConversion.bool(.string("2")) == nil)
        #expect(ConfigRsConversion.bool(.integer(2)) == true)
        #expect(ConfigRsConversion.bool(.float(0)) == false)
        #expect(ConfigRsConversion.bool(.array(TOMLArray(location: .start, isArrayOfTables: false))) == nil)
    }

    @Test func integers() {
        #expect(ConfigRsConversion.int(.string("+42")) == 42)
        #expect(ConfigRsConversion.int(.string("-42")) == -42)
        #expect(ConfigRsConversion.uint(.string("-42")) == nil)
        #expect(ConfigRsConversion.uint(.string("yes")) == 1)
        #expect(ConfigRsConversion.int(.string(" 42")) == nil)
        #expect(ConfigRsConversion.int(.string("0x10")) == nil)
        #expect(ConfigRsConversion.int(.string("1_000")) == nil)
        #expect(ConfigRsConversion.int(.float(2.5)) == 3)
        #expect(ConfigRsConversion.uint(.float(-2.5)) == 0)
        #expect(ConfigRsConversion.int(.string("99999999999999999999")) == nil)
    }

    @Test func floats() {
        #expect(ConfigRsConversion.float(.string("1e3")) == 1000)
        #expect(ConfigRsConversion.float(.string(".5")) == 0.5)
        #expect(ConfigRsConversion.float(.string("-Infinity")) == -.infinity)
        #expect(ConfigRsConversion.float(.string("NaN"))?.isNaN == true)
        #expect(ConfigRsConversion.float(.string("0x1p3")) == nil)
        #expect(ConfigRsConversion.float(.string("1.")) == 1)
        #expect(ConfigRsConversion.float(.string("e5")) == nil)
        #expect(ConfigRsConversion.float(.string("on")) == 1)
    }

    @Test(arguments: [
        (1.0, "1"), (0.1, "0.1"), (1e20, "100000000000000000000"), (1.5e-7, "0.00000015"), (-2.25, "-2.25"),
        (123456.789, "123456.789"),
    ])
    func stringsPrintFloatsAsRustDoes(_ number: Double, _ expected: String) {
        #expect(ConfigRsConversion.string(.float(number)) == expected)
    }

    @Test func stringsFromOtherScalars() {
        #expect(ConfigRsConversion.string(.integer(7)) == "7")
        #expect(ConfigRsConversion.string(.boolean(true)) == "true")
        #expect(ConfigRsConversion.string(.float(.nan)) == "NaN")
    }
}
