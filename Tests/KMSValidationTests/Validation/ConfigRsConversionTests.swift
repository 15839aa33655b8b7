import DriftCore
import TOML
import TestSupport
import Testing

@testable import KMSValidation

/// config-rs 0.15's conversions (`shared/research/kms-source/config-rs__src__value.rs` and
/// `…__de.rs`), value by value: what a TOML value or an environment string becomes.
@Suite("ConfigRsConversion: what config-rs makes of a value")
struct ConfigRsConversionTests {
    typealias C = ConfigRsConversion

    // value.rs:228-249
    @Test(
        "into_bool: booleans, numbers != 0, and the six words in any case",
        arguments: [
            (TOMLValue.boolean(false), false), (.integer(2), true), (.integer(0), false), (.float(0.5), true),
            (.string("true"), true), (.string("YES"), true), (.string("On"), true), (.string("1"), true),
            (.string("false"), false), (.string("no"), false), (.string("OFF"), false), (.string("0"), false),
        ])
    func bool(value: TOMLValue, expected: Bool) {
        #expect(C.bool(value) == expected)
    }

    @Test(
        "into_bool refuses other strings, arrays and tables", arguments: ["", "y", "2", "enabled", " true"])
    func boolRefused(text: String) {
        #expect(C.bool(.string(text)) == nil)
    }

    // value.rs:391-434 (into_uint) and de.rs:24-33 (narrowing with try_into).
    @Test(
        "into_uint then the width",
        arguments: [
            (TOMLValue.string("50100"), C.UnsignedWidth.u16, UInt64(50100)), (.string("+7"), .u16, 7),
            (.string("007"), .u8, 7), (.string("yes"), .u16, 1), (.string("Off"), .u16, 0),
            (.boolean(true), .u8, 1),
            (.float(2.5), .u16, 3), (.float(-3.7), .u32, 0), (.float(.nan), .u32, 0),
            (.integer(65535), .u16, 65535), (.string("18446744073709551615"), .u64, UInt64.max),
            (.integer(4_294_967_295), .u32, 4_294_967_295),
        ])
    func unsigned(value: TOMLValue, width: C.UnsignedWidth, expected: UInt64) {
        #expect(C.unsigned(value, as: width) == .success(expected))
    }

    @Test(
        "into_uint refusals: out of the width, negative, or not a number",
        arguments: [
            (TOMLValue.string("70000"), C.UnsignedWidth.u16, true), (.integer(65536), .u16, true),
            (.integer(-1), .usize, true), (.string("-0"), .u64, true), (.integer(4_294_967_296), .u32, true),
            (.float(1e30), .u32, true), (.string("18446744073709551616"), .u64, false),
            (.string("1_000"), .u32, false), (.string(" 5"), .u32, false), (.string("0x10"), .u32, false),
            (.string(""), .u32, false), (.string("1.0"), .u32, false),
        ])
    func unsignedRefused(value: TOMLValue, width: C.UnsignedWidth, outOfRange: Bool) {
        switch C.unsigned(value, as: width) {
        case .success(let number): Issue.record("\(value) converted to \(number)")
        case .failure(.outOfRange): #expect(outOfRange)
        case .failure(.notConvertible): #expect(!outOfRange)
        }
    }

    // value.rs:272-334
    @Test("into_int: signed, with the same words and rounding")
    func int() {
        #expect(C.int(.string("-12")) == -12)
        #expect(C.int(.string("on")) == 1)
        #expect(C.int(.float(-2.5)) == -3)
        #expect(C.int(.string("1.5")) == nil)
        #expect(C.uint(.integer(-1)) == nil)
        #expect(C.uint(.string("42")) == 42)
    }

    // value.rs:517-560
    @Test(
        "into_float: Rust's f64 syntax and the words",
        arguments: [
            ("2.0", 2.0), ("2", 2.0), ("-1e3", -1000.0), (".5", 0.5), ("5.", 5.0), ("+1E-2", 0.01),
            ("inf", .infinity),
            ("-Infinity", -.infinity), ("yes", 1.0), ("off", 0.0),
        ])
    func float(text: String, expected: Double) {
        #expect(C.float(.string(text)) == expected)
    }

    @Test(
        "into_float refuses what Rust's parser refuses",
        arguments: ["", ".", "e5", "1e", "0x1p3", "1_0", "1.0 ", "nan(1)"])
    func floatRefused(text: String) {
        #expect(C.float(.string(text)) == nil)
    }

    @Test("into_float reads NaN")
    func nan() {
        #expect(C.float(.string("NaN"))?.isNaN == true)
    }

    // value.rs:564-592: numbers as Rust's Display prints them.
    @Test(
        "into_string prints numbers and booleans as Rust does",
        arguments: [
            (TOMLValue.integer(1), "1"), (.float(1.0), "1"), (.float(2.5), "2.5"),
            (.float(1e20), "100000000000000000000"),
            (.float(1e-7), "0.0000001"), (.float(-0.0), "-0"), (.float(.infinity), "inf"),
            (.float(123.456), "123.456"),
            (.boolean(true), "true"), (.string("x"), "x"),
        ])
    func string(value: TOMLValue, expected: String) {
        #expect(C.string(value) == expected)
    }

    @Test("tables and arrays convert to nothing")
    func containers() throws {
        let root = try parseTOML("a = [1]\n[t]\nk = 1\n")
        for value in [root["a"], root["t"]].compactMap({ $0 }) {
            #expect(C.bool(value) == nil)
            #expect(C.string(value) == nil)
            #expect(C.float(value) == nil)
            if case .success = C.unsigned(value, as: .u64) { Issue.record("\(value) converted") }
        }
    }

    @Test("rounding is reported: a float with a fraction, a negative or NaN float")
    func rounding() {
        #expect(C.roundsAway(.float(2.5)))
        #expect(C.roundsAway(.float(-1)))
        #expect(!C.roundsAway(.float(3)))
        #expect(!C.roundsAway(.integer(3)))
    }
}
