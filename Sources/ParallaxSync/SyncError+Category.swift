import ParallaxStore

extension SyncError: CategorizedError {
    /// The kind of failure.
    public var category: FailureCategory {
        switch self {
        case .untrusted, .revoked: .untrusted
        case .remote, .remoteAuthentication: .unavailable
        case .unknownRemote, .unknownDevice, .missingBundle: .notFound
        case .ambiguousDevice: .ambiguous
        case .noRemoteNamed(let known): known.isEmpty ? .notFound : .ambiguous
        case .remoteExists: .conflict
        case .invalidRemote, .invalidKey, .codec: .invalidInput
        case .malformed, .unsupportedVersion, .checksumMismatch, .badSignature, .cannotDecrypt,
            .keyDoesNotOpen,
            .remoteEncrypted, .invalidVector:
            .unprocessable
        }
    }
}

extension SharedKeyFile.Problem: CategorizedError {
    /// The kind of failure.
    public var category: FailureCategory {
        switch self {
        case .missing: .notFound
        case .invalid: .invalidInput
        }
    }
}
