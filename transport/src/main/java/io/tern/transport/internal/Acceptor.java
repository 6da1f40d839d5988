package io.tern.transport.internal;

import io.tern.codec.Role;
import io.tern.transport.ConnectionSettings;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Accepts TCP connections on one listening channel and hands each to a loop: round-robin over all
 * loops, or always its own loop when every loop listens on the port itself ({@code SO_REUSEPORT},
 * where the kernel spreads the connections).
 */
public final class Acceptor implements SelectHandler {

    private static final System.Logger LOG = System.getLogger("io.tern.transport");
    private static final int ACCEPTS_PER_WAKEUP = 64;

    private final EventLoop home;
    private final ServerSocketChannel listener;
    private final EventLoop[] targets;
    private final ServerRuntime server;
    private final ConnectionSettings handshakeSettings;
    private int next;
    private SelectionKey key;

    /**
     * Creates an acceptor.
     *
     * @param home              the loop whose selector watches the listening channel
     * @param listener          a bound, non-blocking listening channel
     * @param targets           the loops connections go to, in turn (just {@code home} with
     *                          {@code SO_REUSEPORT})
     * @param server            the server's shared state
     * @param handshakeSettings settings in force until a route is chosen (handshake timeout)
     */
    public Acceptor(EventLoop home, ServerSocketChannel listener, EventLoop[] targets, ServerRuntime server,
                    ConnectionSettings handshakeSettings) {
        this.home = home;
        this.listener = listener;
        this.targets = targets.clone();
        this.server = server;
        this.handshakeSettings = handshakeSettings;
    }

    /** Starts watching the listening channel; safe from any thread. */
    public void start() {
        home.execute(() -> {
            try {
                key = listener.register(home.selector(), SelectionKey.OP_ACCEPT, this);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot watch the listening socket", e);
            }
        });
    }

    /** Stops accepting and closes the listening channel; safe from any thread. */
    public void stop() {
        home.execute(this::closeListener);
    }

    private void closeListener() {
        if (key != null) {
            key.cancel();
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void onSelect(SelectionKey selected) {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // Typically out of file descriptors: log and try again on the next wakeup.
                LOG.log(System.Logger.Level.WARNING, "accept failed", e);
                return;
            }
            if (channel == null) {
                return;
            }
            EventLoop loop = targets[next];
            next = next + 1 == targets.length ? 0 : next + 1;
            loop.execute(() -> adopt(loop, channel));
        }
    }

    private void adopt(EventLoop loop, SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SocketAddress remote = channel.getRemoteAddress();
            Connection c = new Connection(loop, channel, Role.SERVER, remote, new ServerUpgrade(server), handshakeSettings);
            c.register(SelectionKey.OP_READ);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    @Override
    public void onLoopError(Throwable error) {
        LOG.log(System.Logger.Level.ERROR, "unexpected error in the acceptor", error);
    }
}
