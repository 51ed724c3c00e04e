import Foundation

/// A setting whose value `jaan-connect` refuses; its description names the variable.
struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The variable at fault, such as `PORT`.
    let name: String
    /// Why the value was refused.
    let reason: String

    static func invalid(name: String, reason: String) -> SettingsError {
        SettingsError(name: name, reason: reason)
    }

    var description: String { "invalid \(name): \(reason)" }
}
