import DriftCore
import Testing

@testable import KMSValidation

/// Thirteen generated parties agree; one changed shared value or a duplicated my_id is
/// reported against the right party and key, with file:line.
@Suite("consistency")
struct ConsistencyCheckTests {
    @Test("the 13 generated parties agree")
    func generatedNetworkAgrees() throws {
        let report = ConsistencyCheck().check(try PartyWorkload.network())
        #expect(report.isConsistent)
        #expect(report.disagreements.isEmpty)
        #expect(report.identityFindings.isEmpty)
    }

    @Test("a changed peer port is reported against that party and that peer's port")
    func changedPeerPort() throws {
        let text = PartyWorkload.replacing(
            "port = 50001", with: "port = 50002", after: "party_id = 3", in: PartyWorkload.configs[6])
        let report = ConsistencyCheck().check(try PartyWorkload.network(replacing: [7: text]))
        #expect(!report.isConsistent)
        let disagreement = try #require(report.disagreements.first)
        #expect(report.disagreements.count == 1)
        #expect(disagreement.path.description == "threshold.peers[party_id=3].port")
        #expect(disagreement.majorityCount == 12)
        let dissenter = try #require(disagreement.dissenters.first)
        #expect(disagreement.dissenters.count == 1)
        #expect(dissenter.party.file == "party7.toml")
        #expect(dissenter.party.myID == 7)
        #expect(dissenter.value?.value.integerValue == 50002)
        #expect(dissenter.value?.location.line == ValidationFixtures.line(of: "port = 50002", in: text))
        #expect(disagreement.majority.value?.value.integerValue == 50001)
    }

    @Test("a duplicated my_id is reported on both files, and the party left out is named")
    func duplicatedMyID() throws {
        let text = PartyWorkload.configs[4].replacing("my_id = 5", with: "my_id = 4")
        let report = ConsistencyCheck().check(try PartyWorkload.network(replacing: [5: text]))
        #expect(!report.isConsistent)
        #expect(report.disagreements.isEmpty)
        let duplicates = report.identityFindings.filter { $0.path.description == "threshold.my_id" }
        #expect(Set(duplicates.map(\.file)) == ["party4.toml", "party5.toml"])
        let five = try #require(duplicates.first { $0.file == "party5.toml" })
        #expect(five.location.line == ValidationFixtures.line(of: "my_id = 4", in: text))
        #expect(report.identityFindings.contains { $0.path.description == "threshold.peers[party_id=5]" })
    }

    @Test("another threshold is reported against that party")
    func otherThreshold() throws {
        let text = PartyWorkload.configs[8].replacing("threshold = 4", with: "threshold = 3")
        let report = ConsistencyCheck().check(try PartyWorkload.network(replacing: [9: text]))
        let disagreement = try #require(report.disagreements.first)
        #expect(report.disagreements.count == 1)
        #expect(disagreement.path.description == "threshold.threshold")
        #expect(disagreement.dissenters.map(\.party.file) == ["party9.toml"])
        #expect(
            disagreement.dissenters.first?.value?.location.line
                == ValidationFixtures.line(of: "threshold = 3", in: text))
    }

    @Test("a missing rate limiter section is a disagreement on every bucket, absent for that party")
    func missingSection() throws {
        let config = PartyWorkload.configs[1]
        let text = String(config[..<config.range(of: "[rate_limiter_conf]")!.lowerBound])
        let report = ConsistencyCheck().check(try PartyWorkload.network(replacing: [2: text]))
        #expect(report.disagreements.count == KMSSchema.rateLimiterKeys.count)
        #expect(report.disagreements.allSatisfy { $0.dissenters.first?.value == nil })
    }

    @Test("fewer files than peers: uncovered peers are warnings, not errors")
    func subset() throws {
        let report = ConsistencyCheck().check(Array(try PartyWorkload.network().prefix(3)))
        #expect(report.isConsistent)
        #expect(report.identityFindings.count == 10)
        #expect(report.identityFindings.allSatisfy { $0.level == .warning })
    }

    @Test("the text report names path, party, both values and lines")
    func textReport() throws {
        let text = PartyWorkload.configs[8].replacing("threshold = 4", with: "threshold = 3")
        let report = ConsistencyCheck().check(try PartyWorkload.network(replacing: [9: text]))
        let output = ConsistencyReportRenderer().text(report)
        #expect(
            output.contains(
                "threshold.threshold: 1 of 13 parties differs from the majority (12 parties: 4 at party1.toml:27:13)"
            ))
        #expect(output.contains("  party9.toml (my_id 9): 3 at party9.toml:27:13"))
    }
}
