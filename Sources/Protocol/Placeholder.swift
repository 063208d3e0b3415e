// Placeholder until the client lands; see issue #2.
enum ProtocolPlaceholder {}
