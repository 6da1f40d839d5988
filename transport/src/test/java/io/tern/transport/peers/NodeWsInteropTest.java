package io.tern.transport.peers;

/**
 * Tern against Node.js {@code ws} (pinned in {@code transport/src/test/peers/node/package.json}):
 * {@code client.js} against Tern's server, {@code server.js} against Tern's client.
 */
class NodeWsInteropTest extends PeerInteropTests {

    @Override
    Peers.Peer peer() {
        return Peers.nodeWs();
    }

    @Override
    String peerClientReason() {
        return "bye from node \u2713";
    }
}
