import OzhSettings

/// How YooKassa is reached and who may call the webhook in its name.
public struct YooKassaSettings: Sendable, Equatable {
    /// `YOOKASSA_SHOP_ID` and `YOOKASSA_SECRET_KEY` (the payment worker requires both).
    public var shopID: String?
    public var secretKey: String?
    /// `YOOKASSA_BASE_URL` (default `https://api.yookassa.ru`).
    public var baseURL: String
    /// `YOOKASSA_RECEIPT_EMAIL` (a 54-FZ receipt is attached when set) and `YOOKASSA_VAT_CODE` (1).
    public var receiptEmail: String?
    public var receiptVATCode: Int
    /// `YOOKASSA_WEBHOOK_IPS`: senders allowed to call the webhook (YooKassa's published ranges).
    public var webhookAllowedNetworks: [String]

    /// The shop's id and secret key; throws naming the variable that is not set (the payment
    /// worker cannot run without them).
    public func requireShop() throws(SettingsError) -> (shopID: String, secretKey: String) {
        guard let shopID else { throw .missing(variable: "YOOKASSA_SHOP_ID") }
        guard let secretKey else { throw .missing(variable: "YOOKASSA_SECRET_KEY") }
        return (shopID, secretKey)
    }

    /// Reads and validates the YooKassa settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        shopID = source.string("YOOKASSA_SHOP_ID")
        secretKey = source.string("YOOKASSA_SECRET_KEY")
        baseURL = source.string("YOOKASSA_BASE_URL") ?? "https://api.yookassa.ru"
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
            throw .invalid(variable: "YOOKASSA_BASE_URL", reason: "expected an http:// or https:// URL")
        }
        receiptEmail = source.string("YOOKASSA_RECEIPT_EMAIL")
        receiptVATCode = try source.int("YOOKASSA_VAT_CODE", default: 1, in: 1...12)
        webhookAllowedNetworks = source.string("YOOKASSA_WEBHOOK_IPS") == nil ? IPRanges.yookassa : source.list("YOOKASSA_WEBHOOK_IPS")
        for network in webhookAllowedNetworks where IPRange(network) == nil {
            throw .invalid(variable: "YOOKASSA_WEBHOOK_IPS", reason: "'\(network)' is not an IP address or CIDR range")
        }
    }
}
