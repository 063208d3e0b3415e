// Placeholder until the simulator lands; see issue #8.
enum SimulatorPlaceholder {}
