package io.tern.transport.peers;

/**
 * Tern against Python {@code websockets} (Debian's python3-websockets, run by /usr/bin/python3):
 * {@code client.py} against Tern's server, {@code server.py} against Tern's client.
 */
class PythonWebsocketsInteropTest extends PeerInteropTests {

    @Override
    Peers.Peer peer() {
        return Peers.pythonWebsockets();
    }

    @Override
    String peerClientReason() {
        return "bye from python \u2713";
    }
}
