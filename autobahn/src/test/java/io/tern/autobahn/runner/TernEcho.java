package io.tern.autobahn.runner;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;

/** A Tern echo server on 127.0.0.1 and a free port, echoing every message on {@code /}. */
final class TernEcho implements AutoCloseable {

    private final WebSocketServer server;

    TernEcho() throws IOException {
        ConnectionSettings settings = ConnectionSettings.defaults()
                .withMaxFrameSize(64L << 20)
                .withMaxMessageSize(64L << 20)
                .withMaxFragments(1 << 20) // group 9: 4 MiB in 64-byte fragments
                .withOutboundLimits(16L << 20, 32L << 20, 128L << 20);
        server = WebSocketServer.builder()
                .address("127.0.0.1", 0)
                .route("/", new WebSocketHandler<Void>() {
                    @Override
                    public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
                        ws.sendText(utf8);
                    }

                    @Override
                    public void onBinary(WebSocket<Void> ws, ByteBuffer data, boolean last) {
                        ws.sendBinary(data);
                    }
                }, settings)
                .build()
                .start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/");
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(2));
    }
}
