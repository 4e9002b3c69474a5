import Foundation

/// How many requests a refresh has open: at most two to one host and sixteen in all, so that
/// following fifty outlets never hammers one of them, and a slow host holds only its own slots.
actor RequestSlots {
    /// The most requests open to one host.
    static let perHost = 2
    /// The most requests open in all.
    static let total = 16

    private var open: [String: Int] = [:]
    private var openTotal = 0
    private var waiting: [(host: String, resume: CheckedContinuation<Void, Never>)] = []

    /// Waits for a slot for `host`, in the order the requests asked.
    func acquire(_ host: String) async {
        if waiting.isEmpty, hasRoom(host) { return take(host) }
        await withCheckedContinuation { continuation in waiting.append((host, continuation)) }
    }

    /// Gives a slot back, and hands it to the first waiting request that fits.
    func release(_ host: String) {
        open[host, default: 1] -= 1
        openTotal -= 1
        var index = 0
        while index < waiting.count {
            if hasRoom(waiting[index].host) {
                let next = waiting.remove(at: index)
                take(next.host)
                next.resume.resume()
            } else {
                index += 1
            }
        }
    }

    /// Runs `body` holding a slot for the host of `address`.
    func holding<T: Sendable>(_ address: String, _ body: @Sendable () async throws -> T) async rethrows -> T {
        let host = URL(string: address)?.host?.lowercased() ?? ""
        await acquire(host)
        defer { release(host) }
        return try await body()
    }

    private func hasRoom(_ host: String) -> Bool {
        openTotal < Self.total && open[host, default: 0] < Self.perHost
    }

    private func take(_ host: String) {
        open[host, default: 0] += 1
        openTotal += 1
    }
}
