/**
 * Tern's sans-I/O WebSocket codec: frames, masking, UTF-8 validation, message assembly, close
 * rules and the HTTP upgrade handshake, for client and server roles. It never touches a socket, a
 * thread or a clock, so it can run under any I/O layer.
 */
module io.tern.codec {
    exports io.tern.codec;
    exports io.tern.codec.handshake;
    exports io.tern.codec.deflate;
}
