/**
 * Tern's NIO transport: event loops, a WebSocket server and client on top of the codec. Exports
 * the API package; loops, connections and pools stay internal.
 */
module io.tern.transport {
    requires transitive io.tern.codec;
    exports io.tern.transport;
}
