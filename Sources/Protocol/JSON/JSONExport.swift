// The client's replies and arguments are `JSONValue`s: whoever imports the client has the type.
@_exported import QGAJSON
