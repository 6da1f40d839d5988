package io.tern.transport.internal;

import io.tern.codec.deflate.DeflateParameters;
import io.tern.codec.deflate.PerMessageDeflate;
import io.tern.codec.handshake.Extension;
import io.tern.codec.handshake.HandshakeAcceptance;
import io.tern.codec.handshake.HandshakeRejection;
import io.tern.codec.handshake.HeadParseError;
import io.tern.codec.handshake.HttpHeadParser;
import io.tern.codec.handshake.HttpHeaders;
import io.tern.codec.handshake.HttpRequestHead;
import io.tern.codec.handshake.RequestTarget;
import io.tern.codec.handshake.ServerHandshake;
import io.tern.codec.handshake.ServerHandshakeResult;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.HttpFallback;
import io.tern.transport.HttpRequest;
import io.tern.transport.HttpResponse;
import io.tern.transport.UpgradeDecision;
import io.tern.transport.UpgradeInterceptor;
import io.tern.transport.UpgradeRequest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The server side of the opening handshake for one connection: parse the request head, check
 * what every HTTP/1.1 request must satisfy, answer plain requests (426 or 405 on a WebSocket
 * route, 405 for a method the fallback does not serve, else the {@link HttpFallback}),
 * and for an upgrade request route it, run the protocol checks, then the chain (server
 * interceptors, route interceptors, the handler's {@code onUpgrade}; each may decide
 * asynchronously), negotiate permessage-deflate and answer 101 — or answer with an HTTP error and
 * close.
 *
 * <p>Runs on the connection's loop thread only; an asynchronous decision comes back to it
 * through {@code c.loop.execute}. A ticket tells a late decision (after a timeout, a close or a
 * refusal) from the one being waited for, and the late one is dropped. The actions the chain
 * registers ({@link HandshakeHooks}) run exactly once: the end-of-handshake actions when the 101
 * or a refusal is written or the connection dies first, the close actions when the connection
 * closes, opened or not.
 */
final class ServerUpgrade implements Handshake {

    private static final int READING = 0;   // the request head is incomplete
    private static final int DECIDING = 1;  // running the chain
    private static final int WAITING = 2;   // an asynchronous decision is pending
    private static final int REFUSED = 3;   // an HTTP answer is written; closing after it
    private static final int OPENED = 4;    // 101 written, the connection is a WebSocket
    private static final int CLOSED = 5;    // the connection ended before opening

    /** The first byte of a TLS ClientHello (a handshake record, RFC 8446 §5.1). */
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;

    private final ServerRuntime server;
    private final HttpHeadParser parser;
    private int state = READING;
    private Connection connection;
    private HandshakeHooks hooks;
    private boolean headMethod;

    private HttpRequest http;
    private ServerRuntime.Route route;
    private HandshakeAcceptance acceptance;
    private int step;
    private Object attachment;
    private HttpHeaders.Builder acceptHeaders;
    private int ticket;

    private boolean closeHandled;
    private boolean slotTaken;

    ServerUpgrade(ServerRuntime server) {
        this.server = server;
        this.parser = HttpHeadParser.forRequest(server.maxHandshakeBytes(), HttpHeadParser.DEFAULT_MAX_HEADER_COUNT);
    }

    @Override
    public void onInput(Connection c, ByteBuffer input) {
        if (state != READING) {
            if (state == WAITING && input.hasRemaining()) {
                refuse(HttpResponse.text(400, "data received before the handshake response"));
            }
            input.position(input.limit()); // an answer is on its way; the rest is ignored
            return;
        }
        if (connection == null) {
            connection = c;
            hooks = new HandshakeHooks(c.loop);
            if (input.hasRemaining() && input.get(input.position()) == TLS_HANDSHAKE_RECORD) {
                Log.log(System.Logger.Level.INFO, "TLS handshake on a plain port from " + c.remote + ": answered 400", null);
                refuse(HttpResponse.text(400, "this port does not speak TLS: connect with ws:// (or http://)"));
                input.position(input.limit());
                return;
            }
        }
        HttpHeadParser.FeedResult result = parser.feed(input);
        if (result == HttpHeadParser.FeedResult.NEED_MORE) {
            return;
        }
        if (result == HttpHeadParser.FeedResult.ERROR) {
            HeadParseError error = parser.error();
            refuse(HttpResponse.text(error.status(), error.reason()));
        } else {
            onRequest(parser.requestHead());
        }
        if (state == WAITING && input.hasRemaining()) {
            refuse(HttpResponse.text(400, "data received before the handshake response"));
        }
        if (state != OPENED) {
            input.position(input.limit());
        }
        // Once opened, bytes after the head stay in the buffer for the WebSocket reader.
    }

    private void onRequest(HttpRequestHead head) {
        headMethod = head.method().equals("HEAD");
        Optional<HandshakeRejection> invalid = ServerHandshake.checkRequest(head);
        if (invalid.isPresent()) {
            refuse(invalid.get());
            return;
        }
        Optional<RequestTarget> target = RequestTarget.parse(head.requestTarget());
        if (target.isEmpty() || (target.get().form() == RequestTarget.Form.ASTERISK && !head.method().equals("OPTIONS"))) {
            refuse(HttpResponse.text(400, "malformed request-target"));
            return;
        }
        http = new HttpRequest(head, target.get(), connection.remoteAddress());
        if (ServerHandshake.isUpgradeRequest(head)) {
            upgrade(head);
        } else {
            answerPlain();
        }
    }

    // ------------------------------------------------------------------ plain HTTP

    private void answerPlain() {
        String method = http.method();
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");
        if (server.route(http.path()) != null) {
            refuse(getOrHead
                    ? HttpResponse.text(426, "this is a WebSocket endpoint: send a GET with Upgrade: websocket")
                            .withHeader("Upgrade", "websocket")
                    : HttpResponse.text(405, "method " + method + " not allowed on a WebSocket endpoint, use GET")
                            .withHeader("Allow", "GET"));
            return;
        }
        if (!server.fallbackAllows(method)) {
            refuse(HttpResponse.text(405, "method " + method + " not allowed here")
                    .withHeader("Allow", server.fallbackAllow()));
            return;
        }
        HttpResponse answer;
        try {
            answer = server.fallback().respond(http);
            if (answer == null) {
                answer = HttpFallback.notFound().respond(http);
            }
        } catch (RuntimeException e) {
            Log.log(System.Logger.Level.WARNING, "HTTP fallback threw; answering 500", e);
            answer = internalError();
        }
        refuse(answer);
    }

    // ------------------------------------------------------------------ upgrade

    private void upgrade(HttpRequestHead head) {
        route = server.route(http.path());
        if (route == null) {
            refuse(HttpResponse.text(404, "no WebSocket endpoint at " + http.path()));
            return;
        }
        // The builder's handshake timeout ran until now; the route's own applies from here on.
        connection.handshakeTimeout(route.settings().handshakeTimeoutNanos());
        if (server.isShuttingDown()) {
            refuse(HttpResponse.text(503, "server shutting down"));
            return;
        }
        ServerHandshakeResult checked;
        try {
            checked = route.handshake().handle(head);
        } catch (RuntimeException e) {
            Log.log(System.Logger.Level.WARNING, "subprotocol selection failed; answering 500", e);
            refuse(internalError());
            return;
        }
        if (!checked.isAccepted()) {
            refuse((HandshakeRejection) checked);
            return;
        }
        acceptance = (HandshakeAcceptance) checked;
        state = DECIDING;
        advance();
    }

    /** Runs the chain's steps until one waits, one refuses, or all agreed. */
    private void advance() {
        List<UpgradeInterceptor> global = server.interceptors();
        List<UpgradeInterceptor> local = route.interceptors();
        int interceptors = global.size() + local.size();
        while (state == DECIDING) {
            if (step > interceptors) {
                finish();
                return;
            }
            int current = step++;
            UpgradeDecision<?> decision;
            try {
                UpgradeRequest request = new UpgradeRequest(http, acceptance.subprotocol(), attachment, hooks);
                if (current < global.size()) {
                    decision = global.get(current).intercept(request);
                } else if (current < interceptors) {
                    decision = local.get(current - global.size()).intercept(request);
                } else {
                    decision = route.handler().onUpgrade(request);
                }
            } catch (RuntimeException e) {
                Log.log(System.Logger.Level.WARNING, "upgrade interceptor or hook threw; answering 500", e);
                refuse(internalError());
                return;
            }
            take(decision);
        }
    }

    /** Applies one step's decision; leaves the state DECIDING only to go on with the next step. */
    private void take(UpgradeDecision<?> decision) {
        if (decision == null) {
            return;
        }
        if (decision.isAsync()) {
            await(decision.stage());
            return;
        }
        if (!decision.isAccepted()) {
            HttpResponse refusal;
            try {
                refusal = HttpResponse.text(decision.status(), decision.body()).withHeaders(decision.headers());
            } catch (IllegalArgumentException e) {
                Log.log(System.Logger.Level.WARNING, "upgrade rejection has unusable headers; answering 500", e);
                refusal = internalError();
            }
            refuse(refusal);
            return;
        }
        if (decision.attachment() != null) {
            attachment = decision.attachment();
        }
        if (!decision.headers().isEmpty()) {
            if (acceptHeaders == null) {
                acceptHeaders = HttpHeaders.builder();
            }
            acceptHeaders.addAll(decision.headers());
        }
    }

    private void await(CompletionStage<? extends UpgradeDecision<?>> stage) {
        state = WAITING;
        int awaited = ++ticket;
        EventLoop loop = connection.loop;
        try {
            stage.whenComplete((decision, error) -> loop.execute(() -> resume(awaited, decision, error)));
        } catch (RuntimeException e) {
            if (state == WAITING && awaited == ticket) {
                Log.log(System.Logger.Level.WARNING, "asynchronous upgrade decision unusable; answering 500", e);
                refuse(internalError());
            }
        }
    }

    /** An asynchronous decision arrived, on the loop: go on, unless it is no longer awaited. */
    private void resume(int awaited, UpgradeDecision<?> decision, Throwable error) {
        if (state != WAITING || awaited != ticket) {
            return; // closed, timed out or refused meanwhile: the late decision is dropped
        }
        state = DECIDING;
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            Log.log(System.Logger.Level.WARNING, "asynchronous upgrade decision failed; answering 500", cause);
            refuse(internalError());
            return;
        }
        take(decision);
        advance();
    }

    /** Every step agreed: take a connection slot, negotiate compression, send 101 and open. */
    private void finish() {
        if (!server.tryOpen()) {
            refuse(HttpResponse.text(503, "server at its connection limit"));
            return;
        }
        slotTaken = true;
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
            response = acceptance.toBytes(extensions, acceptHeaders == null ? HttpHeaders.empty() : acceptHeaders.build());
        } catch (IllegalArgumentException e) {
            Log.log(System.Logger.Level.WARNING, "upgrade decision added unusable headers; answering 500", e);
            slotTaken = false;
            server.closed();
            refuse(internalError());
            return;
        }
        state = OPENED;
        Connection c = connection;
        OutboundBudget budget = server.outbound();
        c.framer.outbound().countIn(budget.slotFor(c.loop));
        budget.opened(c);
        c.writeRaw(response);
        endHandshake();
        // The close action keeps only the slot and the hooks: not this object, whose parser,
        // request and acceptance would otherwise stay on the heap for the connection's life.
        closeHandled = true;
        ServerRuntime runtime = server;
        HandshakeHooks closeHooks = hooks; // kept: an interceptor may still register a close action
        boolean slot = slotTaken;
        slotTaken = false;
        c.onClosed(() -> {
            budget.closed(c);
            if (slot) {
                runtime.closed();
            }
            if (closeHooks != null) {
                closeHooks.connectionClosed();
            }
        });
        c.open(route.handler(), attachment, acceptance.subprotocol(), http.path(), settings, deflate);
    }

    // ------------------------------------------------------------------ answers and endings

    private void refuse(HandshakeRejection rejection) {
        refuse(HttpResponse.text(rejection.status(), rejection.message()).withReasonPhrase(rejection.reasonPhrase())
                .withHeaders(rejection.extraHeaders()));
    }

    /** Writes an HTTP answer, ends the handshake, and closes once the answer is out. */
    private void refuse(HttpResponse response) {
        state = REFUSED;
        Connection c = connection;
        c.loop.counters().add(LoopCounters.REJECTED, 1);
        HttpResponse dated = response.headers().contains("Date") ? response : response.withHeader("Date", HttpDate.now());
        c.writeRaw(dated.toBytes(!headMethod));
        endHandshake();
        c.closeAfterWrite();
    }

    private static HttpResponse internalError() {
        return HttpResponse.text(500, "internal error");
    }

    @Override
    public void onClosedEarly(Connection c, String why) {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED; // a pending asynchronous decision is now dropped when it arrives
        endHandshake();
        connectionClosed();
    }

    private void endHandshake() {
        if (hooks != null) {
            hooks.handshakeEnded();
        }
    }

    /** The connection closed, opened or not: give back the slot and run the close actions, once. */
    private void connectionClosed() {
        if (closeHandled) {
            return;
        }
        closeHandled = true;
        if (slotTaken) {
            slotTaken = false;
            server.closed();
        }
        if (hooks != null) {
            hooks.connectionClosed();
        }
    }
}
