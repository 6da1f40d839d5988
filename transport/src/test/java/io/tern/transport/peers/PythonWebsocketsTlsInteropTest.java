package io.tern.transport.peers;

/**
 * {@link PythonWebsocketsInteropTest} over TLS: Python {@code websockets} with its {@code ssl}
 * module (trusting the test CA) against Tern's {@code wss://} server, and Tern's client against a
 * {@code websockets} server with TLS, every message and both closing handshakes checked as over
 * plain TCP.
 */
class PythonWebsocketsTlsInteropTest extends PythonWebsocketsInteropTest {

    @Override
    boolean tls() {
        return true;
    }
}
