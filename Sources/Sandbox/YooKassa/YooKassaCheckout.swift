import Foundation
import Hummingbird
import NIOCore

/// The payer's side: the page `confirmation_url` leads to, with Pay and Cancel buttons.
struct YooKassaCheckout: Sendable {
    let state: YooKassaState

    func register(on router: Router<SandboxContext>) {
        let checkout = router.group("_sandbox/yookassa/checkout")
        checkout.get("{id}") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let payment = await state.payment(id) else {
                return Self.page("Payment not found", "<p>No payment \(Self.escape(id)).</p>", status: 404)
            }
            return Self.page("Payment \(payment.id)", Self.form(payment))
        }
        checkout.post("{id}/pay") { _, context in
            switch await state.succeed(context.parameters.get("id") ?? "") {
            case .success(let payment): return Self.page("Paid", "<h1>Paid ✓ — return to the bot</h1>\(Self.back(payment))")
            case .failure(let error): return Self.page("Not paid", "<h1>\(Self.escape(error.description))</h1>", status: error.status)
            }
        }
        checkout.post("{id}/cancel") { _, context in
            switch await state.cancel(context.parameters.get("id") ?? "") {
            case .success(let payment): return Self.page("Canceled", "<h1>Payment canceled — return to the bot</h1>\(Self.back(payment))")
            case .failure(let error): return Self.page("Not canceled", "<h1>\(Self.escape(error.description))</h1>", status: error.status)
            }
        }
    }

    private static func form(_ payment: YooKassaPayment) -> String {
        var html = """
            <h1>\(escape(payment.amount.text)) ₽</h1>
            <p class="description">\(escape(payment.description ?? ""))</p>
            <p>Payment <code>\(escape(payment.id))</code>, status <b>\(payment.status.rawValue)</b> (test card *4444)</p>
            """
        if payment.status == .pending {
            html += """
                <form method="post" action="/_sandbox/yookassa/checkout/\(escape(payment.id))/pay"><button type="submit">Pay \(escape(payment.amount.text)) ₽</button></form>
                <form method="post" action="/_sandbox/yookassa/checkout/\(escape(payment.id))/cancel"><button type="submit">Cancel</button></form>
                """
        } else {
            html += back(payment)
        }
        return html
    }

    private static func back(_ payment: YooKassaPayment) -> String {
        "<p><a href=\"\(escape(payment.returnURL))\">Return to the shop</a></p>"
    }

    static func page(_ title: String, _ body: String, status: Int = 200) -> Response {
        let html = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>\(escape(title)) — YooKassa sandbox</title>
            <style>body{font-family:sans-serif;max-width:28em;margin:3em auto}button{font-size:1.2em;margin:.3em 0;width:100%}</style></head>
            <body>\(body)</body></html>
            """
        return Response(
            status: .init(code: status), headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
