import Foundation
import Hummingbird

// MARK: - The stylesheet and the script, built into the binary

extension ReadingApp {
    func addAssets(to router: Router<ServerContext>) {
        router.get("/assets/parallax.css") { _, _ in
            Self.asset(PackageResources.parallax_css, type: "text/css; charset=utf-8")
        }
        router.get("/assets/parallax.js") { _, _ in
            Self.asset(PackageResources.parallax_js, type: "text/javascript; charset=utf-8")
        }
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
    }

    private static func asset(_ bytes: [UInt8], type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
