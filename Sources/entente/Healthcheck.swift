import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Locks

/// `entente healthcheck`: exit 0 when the URL answers 200 within 3 seconds
/// (the container's HEALTHCHECK, with no curl in the image).
enum Healthcheck {
    static func run(url text: String) -> Int32 {
        guard let url = URL(string: text) else { return 2 }
        var request = URLRequest(url: url)
        request.timeoutInterval = 3
        let done = DispatchSemaphore(value: 0)
        let status = Locked(0)
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status.withLock { $0 = (response as? HTTPURLResponse)?.statusCode ?? 0 }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 5) == .success else { return 1 }
        return status.withLock { $0 } == 200 ? 0 : 1
    }
}
