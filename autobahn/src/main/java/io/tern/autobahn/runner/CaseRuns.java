package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.CaseEntry;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Runs one case on one connection in either role and packs the outcome into a {@link CaseResult}.
 * Stateless; each call uses its own socket, so calls on different threads do not interfere.
 */
final class CaseRuns {

    /** Bound on connecting and on the opening handshake. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 5000;

    private CaseRuns() {
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Fuzzing client mode: connects to {@code uri}, performs the handshake, runs the case. */
    static CaseResult runAsClient(CaseEntry entry, int index, URI uri, String agent) {
        AutobahnCase c = entry.newRun();
        String started = now();
        String offer = c.extensionOffer();
        String key = Handshake.newKey();
        String request = Handshake.clientRequest(uri, key, offer, "TernAutobahn");
        String responseHead = "?";
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), port), HANDSHAKE_TIMEOUT_MILLIS);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 65536);
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            responseHead = Handshake.readHead(in);
            Handshake.Response response = Handshake.checkServerResponse(responseHead, key, offer);
            socket.setSoTimeout(0);
            CaseEngine engine = new CaseEngine(c, Role.CLIENT, socket, in, out, offer,
                    response.headers().get("sec-websocket-extensions"));
            return pack(c, entry, index, agent, started, false, request, responseHead, engine.run());
        } catch (SocketTimeoutException e) {
            return handshakeFailed(c, index, agent, started, false, request, responseHead,
                    "opening handshake timed out after " + HANDSHAKE_TIMEOUT_MILLIS + " ms", true);
        } catch (IOException e) {
            return handshakeFailed(c, index, agent, started, false, request, responseHead,
                    "opening handshake failed: " + e.getMessage(), false);
        }
    }

    /**
     * Fuzzing server mode: answers the already-read upgrade request with 101 and runs the case.
     *
     * @param in positioned after the request head
     */
    static CaseResult runAsServer(CaseEntry entry, int index, String agent, Socket socket, InputStream in,
                                  OutputStream out, Handshake.Request request) throws IOException {
        AutobahnCase c = entry.newRun();
        String started = now();
        String offer = request.headers().get("sec-websocket-extensions");
        String answer = c.extensionResponse(offer);
        String response = Handshake.serverResponse(request.headers().get("sec-websocket-key"), answer);
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        socket.setSoTimeout(0);
        CaseEngine engine = new CaseEngine(c, Role.SERVER, socket, in, out, offer, answer);
        return pack(c, entry, index, agent, started, true, request.raw(), response, engine.run());
    }

    private static CaseResult pack(AutobahnCase c, CaseEntry entry, int index, String agent, String started,
                                   boolean server, String request, String response, CaseEngine.Outcome o) {
        return new CaseResult(agent, entry.id(), index, c.description(), c.expectation(), c.informational(), started,
                o.durationMillis(), c.reportTime(), o.behavior(), o.result(), o.behaviorClose(), o.resultClose(),
                o.expected(), o.expectedClose(), o.received(), server, o.closedByMe(), o.failedByMe(), o.droppedByMe(),
                o.wasClean(), o.wasNotCleanReason(), o.wasServerConnectionDropTimeout(), false,
                o.wasCloseHandshakeTimeout(), o.localCloseCode(), o.localCloseReason(), o.remoteCloseCode(),
                o.remoteCloseReason(), request, response, o.wirelog(), o.rxFrameStats(), o.txFrameStats(),
                o.rxOctetStats(), o.txOctetStats());
    }

    private static CaseResult handshakeFailed(AutobahnCase c, int index, String agent, String started, boolean server,
                                              String request, String response, String why, boolean timeout) {
        List<WireEvent> log = List.of(new WireEvent(0, "NOTE", List.of(why), why, new byte[0], 0));
        return new CaseResult(agent, c.id(), index, c.description(), c.expectation(), c.informational(), started, 0,
                c.reportTime(), Verdict.FAILED, why, Verdict.FAILED,
                "The WebSocket opening handshake was never completed!", Map.of(), null, List.of(), server, false,
                false, false, false, why, false, timeout, false, null, null, null, null, request, response, log,
                Map.of(), Map.of(), Map.of(), Map.of());
    }
}
