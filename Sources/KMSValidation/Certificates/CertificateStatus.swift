#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A certificate a kms-server config refers to, as read: what the daemon watches for expiry and
/// exports as `kms_drift_certificate_expiry_timestamp_seconds{path,subject}`.
package struct CertificateStatus: Sendable, Equatable {
    /// The path as the config writes it, or `<key path> (inline PEM)`.
    package let path: String
    /// The subject CN (or the whole subject when it has no CN).
    package let subject: String
    package let notValidBefore: Date
    package let notValidAfter: Date

    package init(path: String, subject: String, notValidBefore: Date, notValidAfter: Date) {
        self.path = path
        self.subject = subject
        self.notValidBefore = notValidBefore
        self.notValidAfter = notValidAfter
    }

    /// `notValidAfter` in whole seconds since the epoch, for a metric or an event.
    package var expirySeconds: Int64 { Int64(notValidAfter.timeIntervalSince1970.rounded(.down)) }
}
