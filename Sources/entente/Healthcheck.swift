import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `entente healthcheck`: exit 0 when the URL answers 200 within 3 seconds
/// (the container's HEALTHCHECK, with no curl in the image).
enum Healthcheck {
    static func run(url text: String) -> Int32 {
        guard let url = URL(string: text) else { return 2 }
        var request = URLRequest(url: url)
        request.timeoutInterval = 3
        let done = DispatchSemaphore(value: 0)
        let status = StatusBox()
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status.set((response as? HTTPURLResponse)?.statusCode ?? 0)
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 5) == .success else { return 1 }
        return status.get() == 200 ? 0 : 1
    }
}

/// The status code handed from URLSession's callback thread to the waiting one.
private final class StatusBox: @unchecked Sendable {
    // Written once by the callback before `done.signal()`, read after `wait()`:
    // the semaphore orders the two accesses.
    private var value = 0
    func set(_ v: Int) { value = v }
    func get() -> Int { value }
}
