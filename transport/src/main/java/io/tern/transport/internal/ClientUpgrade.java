package io.tern.transport.internal;

import io.tern.codec.deflate.DeflateParameters;
import io.tern.codec.deflate.PerMessageDeflate;
import io.tern.codec.handshake.ClientHandshake;
import io.tern.codec.handshake.ClientHandshakeResult;
import io.tern.codec.handshake.HttpHeadParser;
import io.tern.codec.handshake.HttpResponseHead;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketHandshakeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of the opening handshake: finish the TCP connect, send the upgrade request,
 * check the response (status, accept key, subprotocol, extensions, permessage-deflate terms) and
 * open — or fail the connect future with a {@link WebSocketHandshakeException} and close.
 */
final class ClientUpgrade implements Handshake {

    private final ClientHandshake request;
    private final HttpHeadParser parser = HttpHeadParser.forResponse();
    private final WebSocketHandler<Object> handler;
    private final ConnectionSettings settings;
    private final CompletableFuture<WebSocket<Object>> future;

    ClientUpgrade(ClientHandshake request, WebSocketHandler<Object> handler, ConnectionSettings settings,
                  CompletableFuture<WebSocket<Object>> future) {
        this.request = request;
        this.handler = handler;
        this.settings = settings;
        this.future = future;
    }

    @Override
    public void onConnectable(Connection c) {
        try {
            if (!c.channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            c.closeEarly("cannot connect to " + request.uri() + ": " + e.getMessage());
            return;
        }
        c.setInterest(SelectionKey.OP_READ);
        c.writeRaw(request.toBytes());
    }

    @Override
    public void onInput(Connection c, ByteBuffer input) {
        HttpHeadParser.FeedResult result = parser.feed(input);
        if (result == HttpHeadParser.FeedResult.NEED_MORE) {
            return;
        }
        if (result == HttpHeadParser.FeedResult.ERROR) {
            fail(c, 0, "invalid HTTP response: " + parser.error().reason());
            return;
        }
        HttpResponseHead response = parser.responseHead();
        ClientHandshakeResult checked = request.validate(response);
        if (!checked.isSuccess()) {
            fail(c, response.statusCode(), checked.failureReason());
            return;
        }
        DeflateParameters deflate = null;
        if (settings.deflate() != null) {
            PerMessageDeflate.ClientOutcome outcome = PerMessageDeflate.accept(checked.extensions(), settings.deflate());
            if (outcome.failed()) {
                fail(c, response.statusCode(), outcome.failure());
                return;
            }
            deflate = outcome.parameters();
        }
        c.open(handler, null, checked.subprotocol(), pathOf(request), settings, deflate);
        future.complete(c.socket);
    }

    private static String pathOf(ClientHandshake request) {
        String p = request.uri().getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    private void fail(Connection c, int status, String why) {
        future.completeExceptionally(new WebSocketHandshakeException(status, why));
        c.closeEarly(why);
    }

    @Override
    public void onClosedEarly(Connection connection, String why) {
        future.completeExceptionally(new WebSocketHandshakeException(0, why, connection.earlyCause));
    }
}
