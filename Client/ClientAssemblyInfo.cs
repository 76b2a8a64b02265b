// The client library is filled in by the client-apps issue; it already builds against the contracts.
