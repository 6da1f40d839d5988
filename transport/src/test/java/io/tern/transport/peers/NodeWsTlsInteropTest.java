package io.tern.transport.peers;

/**
 * {@link NodeWsInteropTest} over TLS: Node's {@code ws} client (trusting the test CA) against
 * Tern's {@code wss://} server, and Tern's client against {@code ws} on Node's {@code https}
 * server, every message and both closing handshakes checked as over plain TCP.
 */
class NodeWsTlsInteropTest extends NodeWsInteropTest {

    @Override
    boolean tls() {
        return true;
    }
}
