package io.tern.transport.internal;

import io.tern.codec.Role;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.TlsSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Accepts TCP connections on one listening channel and hands each to a loop: round-robin over all
 * loops, or always its own loop when every loop listens on the port itself ({@code SO_REUSEPORT},
 * where the kernel spreads the connections).
 *
 * <h2>When accept fails</h2>
 * Typically the process is out of file descriptors ({@code EMFILE}) or memory. The pending
 * connection stays in the kernel's backlog, so the listening channel stays ready and a plain retry
 * would spin. Instead the acceptor stops watching for {@code OP_ACCEPT}, counts the failure
 * ({@link LoopCounters#ACCEPT_ERRORS}), and watches again after a delay on its loop's timer wheel:
 * {@value #FIRST_RETRY_MILLIS} ms, doubling up to {@value #MAX_RETRY_MILLIS} ms while failures
 * continue, back to the first delay once a connection is accepted. It logs one line (no stack
 * trace) at most every {@value #LOG_INTERVAL_SECONDS} s, saying how many failures it did not
 * report. Nothing on this path logs unguarded, allocates a class not loaded yet, or closes the
 * listening channel: only {@link #stop()} does that.
 *
 * <h2>Threading</h2>
 * {@link #start()} and {@link #stop()} are safe from any thread; everything else runs on the home
 * loop's thread ({@link #adopt} on the target loop's).
 */
public final class Acceptor implements SelectHandler {

    private static final int ACCEPTS_PER_WAKEUP = 64;
    /** First pause after a failed accept, in milliseconds. */
    static final long FIRST_RETRY_MILLIS = 10;
    /** Longest pause between accept attempts while they keep failing, in milliseconds. */
    static final long MAX_RETRY_MILLIS = 1000;
    /** Least time between two log lines about failing accepts, in seconds. */
    static final long LOG_INTERVAL_SECONDS = 10;

    private final EventLoop home;
    private final ServerSocketChannel listener;
    private final EventLoop[] targets;
    private final ServerRuntime server;
    private final ConnectionSettings handshakeSettings;
    private final String address;
    /** TLS on this listener, or {@code null} for plain TCP. */
    private final TlsSettings tls;
    // Created up front: the failure path must not need to load a class (that opens a file).
    private final RetryTimer retry = new RetryTimer();
    private final LogThrottle failureLog = new LogThrottle(TimeUnit.SECONDS.toNanos(LOG_INTERVAL_SECONDS));
    private long retryMillis = FIRST_RETRY_MILLIS;
    private int next;
    private SelectionKey key;
    private boolean stopped;

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
        this(home, listener, targets, server, handshakeSettings, null);
    }

    /**
     * Creates an acceptor whose connections may speak TLS.
     *
     * @param home              the loop whose selector watches the listening channel
     * @param listener          a bound, non-blocking listening channel
     * @param targets           the loops connections go to, in turn
     * @param server            the server's shared state
     * @param handshakeSettings settings in force until a route is chosen (handshake timeout)
     * @param tls               TLS for every accepted connection, or {@code null} for plain TCP
     */
    public Acceptor(EventLoop home, ServerSocketChannel listener, EventLoop[] targets, ServerRuntime server,
                    ConnectionSettings handshakeSettings, TlsSettings tls) {
        this.tls = tls;
        this.home = home;
        this.listener = listener;
        this.targets = targets.clone();
        this.server = server;
        this.handshakeSettings = handshakeSettings;
        String bound = "a listening socket";
        try {
            if (listener.getLocalAddress() instanceof InetSocketAddress a) {
                String host = a.getHostString();
                bound = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
            }
        } catch (IOException e) {
            // closed already: keep the generic name
        }
        this.address = bound;
    }

    /** Starts watching the listening channel; safe from any thread. */
    public void start() {
        home.execute(() -> {
            try {
                key = listener.register(home.selector(), SelectionKey.OP_ACCEPT, this);
            } catch (IOException | RuntimeException e) {
                Log.log(System.Logger.Level.ERROR, "cannot watch the listening socket " + address, e);
            }
        });
    }

    /** Stops accepting and closes the listening channel; safe from any thread. */
    public void stop() {
        home.execute(this::closeListener);
    }

    private void closeListener() {
        stopped = true;
        home.timers().cancel(retry);
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
            } catch (Throwable e) {
                acceptFailed(e);
                return;
            }
            if (channel == null) {
                return;
            }
            retryMillis = FIRST_RETRY_MILLIS;
            handOff(channel);
        }
    }

    private void handOff(SocketChannel channel) {
        EventLoop loop = targets[next];
        next = next + 1 == targets.length ? 0 : next + 1;
        try {
            loop.execute(() -> adopt(loop, channel));
        } catch (Throwable t) {
            closeQuietly(channel); // could not even queue it (out of memory): drop this one
        }
    }

    /**
     * Accepting failed: stop watching, count, schedule the next attempt with a growing delay, and
     * report at most once per interval. Never throws.
     */
    private void acceptFailed(Throwable error) {
        if (stopped || !listener.isOpen()) {
            return; // closed under us by stop(): nothing to retry
        }
        home.counters().add(LoopCounters.ACCEPT_ERRORS, 1);
        long delay = retryMillis;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        try {
            if (key != null && key.isValid()) {
                key.interestOps(0);
            }
            home.timers().schedule(retry, home.now() + TimeUnit.MILLISECONDS.toNanos(delay));
        } catch (Throwable t) {
            // The key was cancelled (listener closing) or the wheel refused: nothing to wait for.
        }
        long skipped = failureLog.admit(System.nanoTime());
        if (skipped >= 0) {
            try {
                Log.log(System.Logger.Level.WARNING, "accept failed on " + address + ": " + error
                        + "; pausing accepts, next try in " + delay + " ms"
                        + (skipped > 0 ? " (" + skipped + " failures not reported since the last report)" : ""), null);
            } catch (Throwable ignored) {
                // could not build the message: the failure is counted all the same
            }
        }
    }

    /** Watches the listening channel again once the pause after a failed accept is over. */
    private final class RetryTimer extends Timer {
        @Override
        protected void onExpire(long nowNanos) {
            if (stopped) {
                return;
            }
            try {
                if (key != null && key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            } catch (Throwable t) {
                // cancelled meanwhile: the listener is closing
            }
        }
    }

    /**
     * Makes a connection of an accepted channel, on the loop that will own it. Whatever fails on
     * the way closes the channel (and undoes a half-made connection); nothing escapes.
     */
    private void adopt(EventLoop loop, SocketChannel channel) {
        Connection c = null;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SocketAddress remote = channel.getRemoteAddress();
            c = tls == null
                    ? new Connection(loop, channel, Role.SERVER, remote, new ServerUpgrade(server), handshakeSettings)
                    : new Connection(loop, channel, Role.SERVER, remote, new ServerUpgrade(server), handshakeSettings,
                            TlsEngines.server(tls, remote), tls.taskExecutor());
            c.register(SelectionKey.OP_READ);
        } catch (Throwable t) {
            if (c != null) {
                try {
                    c.finishClose();
                } catch (Throwable ignored) {
                    // the channel is closed below regardless
                }
            }
            closeQuietly(channel);
            if (!(t instanceof IOException)) {
                Log.log(System.Logger.Level.WARNING, "could not set up an accepted connection", t);
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (Throwable ignored) {
            // already failing
        }
    }

    /** Whatever escaped {@link #onSelect}: treated like a failed accept. Never throws. */
    @Override
    public void onLoopError(Throwable error) {
        acceptFailed(error);
    }

    /** The listening channel is never given up on an error: pause and retry as after a failure. */
    @Override
    public void abandon(SelectionKey selected) {
        acceptFailed(new IllegalStateException("the acceptor's error handling failed"));
    }
}
