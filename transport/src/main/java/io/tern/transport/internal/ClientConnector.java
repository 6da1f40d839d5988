package io.tern.transport.internal;

import io.tern.codec.Role;
import io.tern.codec.handshake.ClientHandshake;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.TlsSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketHandshakeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/** Starts a client connection on a loop: non-blocking connect, then the client handshake. */
public final class ClientConnector {

    private ClientConnector() {
    }

    /**
     * Connects on the given loop; the outcome arrives through {@code future}.
     *
     * @param loop     the loop the connection will live on
     * @param address  a resolved address
     * @param request  the upgrade request to send
     * @param handler  the connection's callbacks
     * @param settings the connection's settings
     * @param tls      TLS for a {@code wss://} request (ignored for {@code ws://})
     * @param future   completed with the open connection or a handshake exception
     */
    public static void connect(EventLoop loop, InetSocketAddress address, ClientHandshake request,
                               WebSocketHandler<Object> handler, ConnectionSettings settings, TlsSettings tls,
                               CompletableFuture<WebSocket<Object>> future) {
        loop.execute(() -> {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                boolean connected = channel.connect(address);
                ClientUpgrade upgrade = new ClientUpgrade(request, handler, settings, future);
                Connection c = request.isSecure()
                        ? new Connection(loop, channel, Role.CLIENT, address, upgrade, settings,
                                TlsEngines.client(tls, request.host(), request.port()), tls.taskExecutor())
                        : new Connection(loop, channel, Role.CLIENT, address, upgrade, settings);
                c.register(SelectionKey.OP_CONNECT);
                if (connected) {
                    upgrade.onConnectable(c);
                }
            } catch (IOException | RuntimeException e) {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // already failing
                    }
                }
                future.completeExceptionally(new WebSocketHandshakeException(0, "cannot connect to " + address + ": " + e));
            }
        });
    }
}
