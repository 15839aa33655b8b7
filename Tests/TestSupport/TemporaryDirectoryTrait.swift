// Swift Testing is on the module path only when tests are built: a plain `swift build` (the
// README's first command builds every target) must still compile this target.
#if canImport(Testing)
    import Testing

    /// Gives each test (of a suite, when put on the suite) its own `withTemporaryDirectory`, read
    /// with `TemporaryDirectory.current()`, also from the suite's `init`. For suites whose
    /// instance is built around a directory; a single test can call `withTemporaryDirectory`.
    public struct TemporaryDirectoryTrait: TestTrait, SuiteTrait, TestScoping {
        public var isRecursive: Bool { true }

        public func provideScope(
            for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
        ) async throws {
            guard testCase != nil else { return try await function() }
            try await withTemporaryDirectory { directory in
                try await TemporaryDirectory.$scoped.withValue(directory) { try await function() }
            }
        }
    }

    extension Trait where Self == TemporaryDirectoryTrait {
        /// A fresh temporary directory per test, removed when the test ends.
        public static var temporaryDirectory: Self { TemporaryDirectoryTrait() }
    }
#endif
