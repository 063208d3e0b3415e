import Testing

@Test func protocolPlaceholder() { #expect(1 + 1 == 2) }
