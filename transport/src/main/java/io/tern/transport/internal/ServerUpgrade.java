package io.tern.transport.internal;

import io.tern.codec.deflate.DeflateParameters;
import io.tern.codec.deflate.PerMessageDeflate;
import io.tern.codec.handshake.Extension;
import io.tern.codec.handshake.HandshakeAcceptance;
import io.tern.codec.handshake.HandshakeRejection;
import io.tern.codec.handshake.HeadParseError;
import io.tern.codec.handshake.HttpHeadParser;
import io.tern.codec.handshake.HttpRequestHead;
import io.tern.codec.handshake.ServerHandshake;
import io.tern.codec.handshake.ServerHandshakeResult;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.UpgradeDecision;
import io.tern.transport.UpgradeRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The server side of the opening handshake for one connection: parse the request head, route it,
 * run the protocol checks and the application's upgrade hook, negotiate permessage-deflate, and
 * answer 101 — or answer with an HTTP error (400, 404, 405, 426, 431, 503, or whatever the hook
 * chose) and close.
 */
final class ServerUpgrade implements Handshake {

    private static final System.Logger LOG = System.getLogger("io.tern.transport");

    private final ServerRuntime server;
    private final HttpHeadParser parser;
    private boolean decided;

    ServerUpgrade(ServerRuntime server) {
        this.server = server;
        this.parser = HttpHeadParser.forRequest(server.maxHandshakeBytes(), HttpHeadParser.DEFAULT_MAX_HEADER_COUNT);
    }

    @Override
    public void onInput(Connection c, ByteBuffer input) {
        if (decided) {
            input.position(input.limit()); // an answer is on its way; the rest is ignored
            return;
        }
        HttpHeadParser.FeedResult result = parser.feed(input);
        if (result == HttpHeadParser.FeedResult.NEED_MORE) {
            return;
        }
        decided = true;
        if (result == HttpHeadParser.FeedResult.ERROR) {
            HeadParseError error = parser.error();
            respond(c, HandshakeRejection.of(error.status(), error.reason()));
            input.position(input.limit());
            return;
        }
        HttpRequestHead request = parser.requestHead();
        if (!ServerHandshake.isUpgradeRequest(request)) {
            respond(c, fallback(request));
            input.position(input.limit());
            return;
        }
        upgrade(c, request);
        if (!c.isOpenForInput()) {
            input.position(input.limit());
        }
    }

    private HandshakeRejection fallback(HttpRequestHead request) {
        try {
            HandshakeRejection answer = server.fallback().respond(request);
            return answer != null ? answer : HandshakeRejection.of(404, "not found");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "HTTP fallback threw", e);
            return HandshakeRejection.of(500, "internal error");
        }
    }

    private void upgrade(Connection c, HttpRequestHead request) {
        String target = request.requestTarget();
        String path;
        String query;
        if (target.startsWith("/")) {
            int q = target.indexOf('?');
            path = q < 0 ? target : target.substring(0, q);
            query = q < 0 ? null : target.substring(q + 1);
        } else {
            URI uri;
            try {
                uri = new URI(target); // absolute-form, e.g. GET http://host/echo HTTP/1.1
            } catch (URISyntaxException e) {
                respond(c, HandshakeRejection.of(400, "malformed request-target"));
                return;
            }
            path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            query = uri.getRawQuery();
        }
        ServerRuntime.Route route = server.route(path);
        if (route == null) {
            respond(c, HandshakeRejection.of(404, "no WebSocket endpoint at " + path));
            return;
        }
        if (server.isShuttingDown()) {
            respond(c, HandshakeRejection.of(503, "server shutting down"));
            return;
        }
        ServerHandshakeResult checked = route.handshake().handle(request);
        if (!checked.isAccepted()) {
            respond(c, (HandshakeRejection) checked);
            return;
        }
        HandshakeAcceptance acceptance = (HandshakeAcceptance) checked;
        UpgradeDecision<Object> decision;
        try {
            decision = route.handler().onUpgrade(
                    new UpgradeRequest(request, path, query, c.remoteAddress(), acceptance.subprotocol()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "upgrade hook threw; answering 500", e);
            respond(c, HandshakeRejection.of(500, "internal error"));
            return;
        }
        if (decision == null) {
            decision = UpgradeDecision.accept(null);
        }
        if (!decision.isAccepted()) {
            respond(c, new HandshakeRejection(decision.status(), HandshakeRejection.standardReasonPhrase(decision.status()),
                    decision.body(), decision.headers()));
            return;
        }
        if (!server.tryOpen()) {
            respond(c, HandshakeRejection.of(503, "server at its connection limit"));
            return;
        }
        ConnectionSettings settings = route.settings();
        DeflateParameters deflate = null;
        List<Extension> extensions = List.of();
        if (settings.deflate() != null) {
            Optional<PerMessageDeflate.Agreement> agreement =
                    PerMessageDeflate.negotiate(acceptance.offeredExtensions(), settings.deflate());
            if (agreement.isPresent()) {
                deflate = agreement.get().parameters();
                extensions = List.of(agreement.get().response());
            }
        }
        byte[] response;
        try {
            response = acceptance.toBytes(extensions, decision.headers());
        } catch (IllegalArgumentException e) {
            server.closed();
            LOG.log(System.Logger.Level.WARNING, "upgrade hook returned unusable headers; answering 500", e);
            respond(c, HandshakeRejection.of(500, "internal error"));
            return;
        }
        c.writeRaw(response);
        c.onClosed(server::closed);
        c.open(route.handler(), decision.attachment(), acceptance.subprotocol(), path, settings, deflate);
    }

    private void respond(Connection c, HandshakeRejection response) {
        c.loop.counters().add(LoopCounters.REJECTED, 1);
        c.writeRaw(response.toBytes());
        c.closeAfterWrite();
    }

    @Override
    public void onClosedEarly(Connection connection, String why) {
        // Nothing to report: the application never saw this connection.
    }
}
