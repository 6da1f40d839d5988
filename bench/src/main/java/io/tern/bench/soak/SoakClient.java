package io.tern.bench.soak;

import io.tern.bench.soak.SoakConnection.Kind;
import io.tern.bench.soak.SoakConnection.State;
import io.tern.codec.MaskKeySource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The soak's load: C connections held for the whole run on one selector thread. Most are on
 * {@code /echo}, each sending a message (binary or UTF-8 text, 16 bytes to a few KiB, now and then
 * in two fragments) after a random pause around the echo period and checking that the answer is
 * byte for byte what it sent. The rest are on {@code /broadcast}; the first of them publishes at a
 * fixed rate messages that carry a sequence number and a CRC-32 of their body, and every
 * {@code /broadcast} connection checks each message's checksum and that sequence numbers arrive
 * one after the other. Churn: at a fixed rate a random connection (never the publisher) is closed,
 * half cleanly (close frame 1000, the server's close frame awaited), half abruptly (a FIN, a RST,
 * or a RST in the middle of a frame), and its slot reconnects at once.
 *
 * <p>Anything unexpected counts as an error: a wrong echo or broadcast, a gap in the broadcast
 * sequence, a refused or timed-out handshake, a connection the server closed on its own, an echo
 * unanswered for 30 s, a close handshake unfinished after 10 s.
 *
 * <p>Why one class of some 400 lines: the roles, the churn and the checks share the selector loop
 * and each connection's state; split apart they would pass that state around.
 *
 * <p>Threading contract: {@link #run} runs on one thread (the selector thread), which alone
 * changes connections; the counters are volatile fields written only by that thread, so any
 * thread may read them; {@link #stop} may be called from any thread.
 */
final class SoakClient implements SoakConnection.Receiver {

    private static final long HANDSHAKE_TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long ECHO_TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long CLOSE_TIMEOUT = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_PENDING_CONNECTS = 256;
    private static final int MAX_REASONS = 20;
    private static final String TEXT_ALPHABET = "abcdefghij klmnopqrstuvwxyz 0123456789 éüß ΩЖ 世界 😀🚀";
    private static final int[] TEXT_CODE_POINTS = TEXT_ALPHABET.codePoints().toArray();

    private final SoakSettings settings;
    private final InetSocketAddress server;
    private final Selector selector;
    private final SoakConnection[] slots;
    private final ArrayDeque<Integer> toConnect = new ArrayDeque<>();
    private final SplittableRandom random;
    private final MaskKeySource keys = MaskKeySource.secure();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final CRC32 crc = new CRC32();
    private final int broadcastConnections;
    private final List<String> reasons = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;
    private volatile boolean loadOn = true;
    private volatile boolean paused;
    private volatile boolean resumed;
    private int pending;
    private long churnStartNanos;
    private long churned;
    private long nextPublishNanos;
    private long publishSequence;

    volatile int open;
    /** While paused: echoes unanswered, close handshakes and upgrades unfinished; -1 until counted. */
    volatile int outstanding = -1;
    volatile long echoSent;
    volatile long echoVerified;
    volatile long broadcastsPublished;
    volatile long broadcastsVerified;
    volatile long reconnects;
    volatile long cleanCloses;
    volatile long abruptCloses;
    volatile long wrongMessages;
    volatile long errors;

    SoakClient(SoakSettings settings, InetSocketAddress server) throws IOException {
        this.settings = settings;
        this.server = server;
        this.selector = Selector.open();
        this.slots = new SoakConnection[settings.connections()];
        this.random = new SplittableRandom(settings.seed());
        this.broadcastConnections = settings.broadcastConnections();
        for (int i = 0; i < slots.length; i++) {
            toConnect.add(i);
        }
    }

    /** The first reasons for errors and wrong messages (at most 20), for the report. */
    List<String> reasons() {
        synchronized (reasons) {
            return List.copyOf(reasons);
        }
    }

    /** Stops sending, churning and reconnecting; {@link #run} then closes every connection cleanly and returns. */
    void stop() {
        loadOn = false;
        running = false;
        selector.wakeup();
    }

    /**
     * Pauses or resumes the load: while paused no echo, broadcast or churn starts (what is in flight
     * finishes, slots still reconnect), so the server can be read with nothing in flight; on resume
     * each echo connection waits a fresh random pause, so the echoes do not all start at once.
     */
    void pause(boolean pause) {
        if (pause) {
            outstanding = -1;
        } else {
            resumed = true;
        }
        paused = pause;
    }

    /** Runs the load until {@link #stop}; then sends 1000 on every open connection and closes all. */
    void run() throws IOException {
        churnStartNanos = System.nanoTime();
        nextPublishNanos = churnStartNanos;
        while (running) {
            long now = System.nanoTime();
            connectSome(now);
            tick(now);
            selector.select(10);
            for (SelectionKey k : selector.selectedKeys()) {
                SoakConnection c = (SoakConnection) k.attachment();
                try {
                    if (k.isValid() && k.isConnectable()) {
                        c.channel.finishConnect();
                        k.interestOps(SelectionKey.OP_READ);
                        c.startHandshake();
                        continue;
                    }
                    if (k.isValid() && k.isWritable()) {
                        c.flush();
                    }
                    if (k.isValid() && k.isReadable()) {
                        State before = c.state;
                        boolean alive = c.read(readBuffer);
                        if (before == State.HANDSHAKE && c.state == State.OPEN) {
                            pending--;
                            open++;
                            c.deadline = System.nanoTime() + pause();
                        }
                        if (!alive) {
                            ended(c);
                        }
                    }
                } catch (IOException e) {
                    if (c.state != State.DONE) {
                        error(c, "I/O: " + e.getMessage());
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        closeAll();
    }

    /** Opens connections for empty slots, a bounded number of handshakes at a time. */
    private void connectSome(long now) throws IOException {
        while (loadOn && pending < MAX_PENDING_CONNECTS && !toConnect.isEmpty()) {
            int slot = toConnect.poll();
            Kind kind = slot == 0 && broadcastConnections > 0 ? Kind.PUBLISHER
                    : slot < broadcastConnections ? Kind.SUBSCRIBER : Kind.ECHO;
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            byte[] nonce = new byte[16];
            for (int i = 0; i < nonce.length; i++) {
                nonce[i] = (byte) random.nextInt(256);
            }
            String host = server.getHostString() + ":" + server.getPort();
            SoakConnection c = new SoakConnection(slot, kind, ch, host, kind == Kind.ECHO ? "/echo" : "/broadcast",
                    Base64.getEncoder().encodeToString(nonce), this, keys, 3 * settings.maxEchoBytes() + 64 * 1024);
            slots[slot] = c;
            pending++;
            c.deadline = now + HANDSHAKE_TIMEOUT;
            if (ch.connect(server)) {
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                c.startHandshake();
            } else {
                c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        }
    }

    /** Timers: echo sends, publishing, churn, and the timeouts. */
    private void tick(long now) throws IOException {
        boolean load = loadOn && !paused;
        if (resumed) {
            resumed = false;
            for (SoakConnection c : slots) {
                if (c != null && c.kind == Kind.ECHO && c.state == State.OPEN && c.inFlight == null) {
                    c.deadline = now + pause();
                }
            }
        }
        int unfinished = pending;
        for (SoakConnection c : slots) {
            if (c == null || c.state == State.DONE) {
                continue;
            }
            if ((c.state == State.CONNECTING || c.state == State.HANDSHAKE) && now - c.deadline > 0) {
                error(c, "handshake not done in " + TimeUnit.NANOSECONDS.toSeconds(HANDSHAKE_TIMEOUT) + " s");
            } else if (c.state == State.CLOSING) {
                unfinished++;
                if (now - c.deadline > 0) {
                    error(c, "no close frame from the server within " + TimeUnit.NANOSECONDS.toSeconds(CLOSE_TIMEOUT) + " s");
                }
            } else if (c.state == State.OPEN && c.kind == Kind.ECHO) {
                if (c.inFlight != null && now - c.deadline > ECHO_TIMEOUT) {
                    error(c, "echo unanswered for " + TimeUnit.NANOSECONDS.toSeconds(ECHO_TIMEOUT) + " s");
                } else if (c.inFlight != null) {
                    unfinished++;
                } else if (load && now - c.deadline >= 0) {
                    sendEcho(c, now);
                }
            }
        }
        long due = (long) ((now - churnStartNanos) / 1e9 * settings.churnPerSecond());
        if (!load) {
            if (paused) {
                outstanding = unfinished;
                nextPublishNanos = now;
                churned = due; // no churn is owed for the pause
            }
            return;
        }
        SoakConnection publisher = broadcastConnections > 0 ? slots[0] : null;
        if (publisher != null && settings.publishRate() > 0 && publisher.state == State.OPEN) {
            long period = (long) (1e9 / settings.publishRate());
            int burst = 0;
            while (now - nextPublishNanos >= 0 && burst++ < 100) {
                publish(publisher);
                nextPublishNanos += period;
            }
            if (now - nextPublishNanos >= 0) {
                nextPublishNanos = now; // far behind (a stall): do not catch up with a flood
            }
        }
        while (churned < due) {
            churned++;
            churnOne(now);
        }
    }

    private long pause() {
        return (long) (settings.echoPeriodMillis() * 1e6 * (0.5 + random.nextDouble()));
    }

    private void sendEcho(SoakConnection c, long now) throws IOException {
        int size = 16 + random.nextInt(settings.maxEchoBytes() - 15);
        boolean text = random.nextInt(4) == 0;
        ByteBuffer payload = text ? text(size) : binary(size);
        int split = random.nextInt(8) == 0 ? 1 + random.nextInt(payload.remaining()) : 0;
        if (!c.sendMessage(text, payload, split)) {
            error(c, "echo write buffer full");
            return;
        }
        c.inFlight = payload;
        c.inFlightText = text;
        c.deadline = now;
        echoSent++;
    }

    private ByteBuffer binary(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    private ByteBuffer text(int size) {
        StringBuilder s = new StringBuilder(size);
        while (s.length() < size / 2) {
            s.appendCodePoint(TEXT_CODE_POINTS[random.nextInt(TEXT_CODE_POINTS.length)]);
        }
        return ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A broadcast message: sequence (8 bytes), CRC-32 of the body (8 bytes), body. */
    private void publish(SoakConnection publisher) throws IOException {
        int bodySize = 64 + random.nextInt(960);
        ByteBuffer m = ByteBuffer.allocate(16 + bodySize);
        byte[] body = new byte[bodySize];
        random.nextBytes(body);
        crc.reset();
        crc.update(body);
        m.putLong(publishSequence).putLong(crc.getValue()).put(body).flip();
        if (publisher.sendMessage(false, m, 0)) {
            publishSequence++;
            broadcastsPublished++;
        } else {
            error(publisher, "publisher's write buffer full");
        }
    }

    private void churnOne(long now) throws IOException {
        if (open < 2) {
            return;
        }
        SoakConnection c = null;
        for (int tries = 0; tries < 20 && c == null; tries++) {
            SoakConnection candidate = slots[random.nextInt(slots.length)];
            if (candidate != null && candidate.state == State.OPEN && candidate.kind != Kind.PUBLISHER) {
                c = candidate;
            }
        }
        if (c == null) {
            return;
        }
        if (random.nextDouble() >= settings.abruptFraction()) {
            c.sendClose(1000);
            c.deadline = now + CLOSE_TIMEOUT;
            open--;
            return;
        }
        switch (random.nextInt(3)) {
            case 0 -> { } // FIN without a close frame
            case 1 -> c.channel.setOption(StandardSocketOptions.SO_LINGER, 0); // RST
            default -> {
                c.sendTruncatedFrame(1 + random.nextInt(200)); // a frame that never completes, then RST
                c.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        }
        abruptCloses++;
        open--;
        finish(c);
    }

    @Override
    public void onMessage(SoakConnection c, boolean text, ByteBuffer payload) {
        if (c.kind == Kind.ECHO) {
            if (c.inFlight == null) {
                wrong(c, "an echo connection received a message it did not send");
            } else if (text != c.inFlightText || !payload.equals(c.inFlight)) {
                wrong(c, "echo differs from what was sent: " + payload.remaining() + " bytes "
                        + (text ? "text" : "binary") + " for " + c.inFlight.remaining() + " bytes "
                        + (c.inFlightText ? "text" : "binary"));
            } else {
                echoVerified++;
            }
            c.inFlight = null;
            c.deadline = System.nanoTime() + pause();
            return;
        }
        if (text || payload.remaining() < 16) {
            wrong(c, "broadcast message of " + payload.remaining() + " bytes, text " + text);
            return;
        }
        int p = payload.position();
        long sequence = payload.getLong(p);
        long expectedCrc = payload.getLong(p + 8);
        crc.reset();
        crc.update(payload.duplicate().position(p + 16));
        if (crc.getValue() != expectedCrc) {
            wrong(c, "broadcast " + sequence + " fails its CRC-32");
        } else if (c.lastSequence >= 0 && sequence != c.lastSequence + 1) {
            wrong(c, "broadcast sequence " + sequence + " after " + c.lastSequence);
        } else {
            broadcastsVerified++;
        }
        c.lastSequence = sequence;
    }

    @Override
    public void onCloseFrame(SoakConnection c, int code) {
        if (c.state == State.CLOSING && code == 1000) {
            cleanCloses++;
        } else if (c.state == State.CLOSING) {
            wrong(c, "the server answered close 1000 with " + code);
        } else {
            c.serverCloseCode = code; // a close the server started: an error while the soak runs
        }
    }

    /** A read ended the connection: expected only after our close frame. */
    private void ended(SoakConnection c) {
        if (c.state == State.CLOSING && c.failure() == null) {
            finish(c);
        } else if (c.serverCloseCode != 0) {
            error(c, "the server closed with " + c.serverCloseCode);
        } else {
            error(c, (c.failure() == null ? "closed by the server" : c.failure()) + " (while " + c.state
                    + (c.state == State.CLOSING ? ", our close frame sent " + TimeUnit.NANOSECONDS.toMillis(
                            System.nanoTime() - (c.deadline - CLOSE_TIMEOUT)) + " ms before" : "") + ")");
        }
    }

    private void error(SoakConnection c, String why) {
        if (!running) {
            finish(c);
            return;
        }
        errors++;
        reason(c, why);
        if (c.state == State.OPEN) {
            open--;
        }
        if (c.state == State.CONNECTING || c.state == State.HANDSHAKE) {
            pending--;
        }
        finish(c);
    }

    private void wrong(SoakConnection c, String why) {
        wrongMessages++;
        reason(c, why);
    }

    private void reason(SoakConnection c, String why) {
        if (reasons.size() < MAX_REASONS) {
            reasons.add(c.kind + " slot " + c.slot + ": " + why);
        }
    }

    /** Closes the socket and, while the soak runs, queues the slot for a new connection. */
    private void finish(SoakConnection c) {
        c.state = State.DONE;
        if (c.key != null) {
            c.key.cancel();
        }
        try {
            c.channel.close();
        } catch (IOException e) {
            // already gone: nothing to free
        }
        if (running && slots[c.slot] == c) {
            toConnect.add(c.slot);
            reconnects++;
        }
    }

    /** At the end: a close frame (1000) on every open connection, up to 10 s for the answers, then all closed. */
    private void closeAll() throws IOException {
        for (SoakConnection c : slots) {
            if (c != null && c.state == State.OPEN) {
                c.sendClose(1000);
            } else if (c != null && c.state != State.CLOSING) {
                finish(c);
            }
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT;
        int left;
        do {
            selector.select(50);
            for (SelectionKey k : selector.selectedKeys()) {
                SoakConnection c = (SoakConnection) k.attachment();
                try {
                    if (k.isValid() && k.isWritable()) {
                        c.flush();
                    }
                    if (k.isValid() && k.isReadable() && !c.read(readBuffer)) {
                        finish(c);
                    }
                } catch (IOException e) {
                    finish(c);
                }
            }
            selector.selectedKeys().clear();
            left = 0;
            for (SoakConnection c : slots) {
                left += c != null && c.state != State.DONE ? 1 : 0;
            }
        } while (left > 0 && System.nanoTime() - deadline < 0);
        for (SoakConnection c : slots) {
            if (c != null && c.state != State.DONE) {
                finish(c);
            }
        }
        selector.close();
    }
}
