import QGAProtocol
import QGASimulator
import Testing

/// The simulator keeps its own list of commands (the QGASimulator target does not depend on
/// QGAProtocol): these keep the copy from drifting from the protocol's catalogue.
struct CatalogueAgreementTests {
    @Test func simulatedCommandsAreTheCataloguesAndAnswerAlike() {
        for (name, successResponse) in CommandCatalogue.commands {
            let command = AgentCommands.named(name)
            #expect(command != nil, "\(name) is not in the protocol's catalogue")
            #expect(command?.answersOnSuccess == successResponse, "\(name)")
        }
    }

    @Test func stateChangingCommandsAreTheCatalogues() {
        #expect(Set(CommandCatalogue.stateChangingCommands) == Set(AgentCommands.names(.stateChanging)))
    }
}
