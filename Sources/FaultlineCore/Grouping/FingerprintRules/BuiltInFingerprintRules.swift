/// Sentry's built-in fingerprint base `javascript@2024-02-02` (reference §8.3), written here from its
/// description, not copied from Sentry: every JavaScript `ChunkLoadError` (by type, or by a value that starts
/// with the name) is one issue, and each React / Next.js hydration error is one issue per transaction.
///
/// The five hydration messages are reconstructed from the messages React itself throws, not taken from
/// Sentry's file. The exact matchers of Sentry's file (`family:javascript`, the `tags.transaction:*` guard,
/// `value:ChunkLoadError*`) are this reconstruction's reading of the description.
public enum BuiltInFingerprintRules {
    /// React's hydration error messages (React 18 / Next.js), reconstructed from React's source messages.
    public static let reactHydrationMessages: [String] = [
        "Hydration failed because the initial UI does not match what was rendered on the server.",
        "The server could not finish this Suspense boundary, likely due to an error during server rendering. Switched to client rendering.",
        "There was an error while hydrating. Because the error happened outside of a Suspense boundary, the entire root will switch to client rendering.",
        "There was an error while hydrating this Suspense boundary. Switched to client rendering.",
        "Text content does not match server-rendered HTML.",
    ]

    /// The rules in the text form.
    public static let javaScript2024: String = {
        var lines = [
            "# javascript@2024-02-02: built-in fingerprint rules (Faultline's restatement)",
            "family:javascript type:ChunkLoadError -> chunkloaderror",
            "family:javascript value:ChunkLoadError* -> chunkloaderror",
        ]
        for message in reactHydrationMessages {
            lines.append("family:javascript tags.transaction:* message:\"\(message)\" -> hydrationerror, {{tags.transaction}}")
        }
        return lines.joined(separator: "\n") + "\n"
    }()
}
