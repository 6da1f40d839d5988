package io.tern.autobahn.runner;

/**
 * A frame as read from the peer, payload already unmasked.
 *
 * @param fin     FIN bit
 * @param rsv     RSV bits as a 3-bit number (RSV1 = 4)
 * @param opcode  4-bit opcode
 * @param masked  whether the frame carried a masking key
 * @param maskKey the key (null if unmasked)
 * @param payload application data
 */
record InFrame(boolean fin, int rsv, int opcode, boolean masked, byte[] maskKey, byte[] payload) {

    boolean isControl() {
        return (opcode & 0x8) != 0;
    }
}
