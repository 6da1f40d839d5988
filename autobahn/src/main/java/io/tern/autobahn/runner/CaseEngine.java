package io.tern.autobahn.runner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link AutobahnCase} on one open WebSocket connection with the runner's own protocol state
 * machine, and judges it the way the official suite does.
 *
 * <p>The engine plays the part of the official suite's protocol: it answers pings while open, replies
 * to a close frame with 1000, fails the connection on a protocol violation by sending a close frame
 * (1002, or 1007 for invalid UTF-8) and waiting for the answer, drops TCP itself after the closing
 * handshake in the server role, and in the client role waits up to {@link #SERVER_DROP_TIMEOUT} for the
 * server to drop it. A close of its own waits up to {@link #CLOSE_HANDSHAKE_TIMEOUT} for the answer.
 *
 * <p>Threading: one reader thread per connection reads frames and queues them; everything else
 * (case callbacks, timers, sends, state) runs on the thread that calls {@link #run}, the "case thread".
 * A shared watchdog thread only closes the socket of a case that overran its bound.
 * The class is long (one state machine with its send, receive and judging parts) because splitting the
 * shared connection state across classes would make the close rules harder to follow.
 */
final class CaseEngine implements CaseContext {

    /** How long the runner waits for the answer to its close frame (the official default, 1 s). */
    static final Duration CLOSE_HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
    /** Client role: how long the runner waits for the server to drop TCP after the closing handshake. */
    static final Duration SERVER_DROP_TIMEOUT = Duration.ofSeconds(1);

    /** Pause between the pieces of a chopped write without an explicit delay (the official 10 µs). */
    static final long CHOP_PAUSE_NANOS = 10_000;

    /**
     * Closes the socket of a case that overran its bound by {@link #WATCHDOG_GRACE}, which unblocks a
     * write stuck on a peer that does not read (blocking socket writes have no timeout of their own).
     */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "autobahn-case-watchdog");
        t.setDaemon(true);
        return t;
    });
    static final Duration WATCHDOG_GRACE = Duration.ofSeconds(2);

    private sealed interface Event permits FrameEvent, EndEvent {
    }

    private record FrameEvent(InFrame frame) implements Event {
    }

    private record EndEvent(String reason, boolean badFrame) implements Event {
    }

    private record Timer(long dueNanos, long seq, Runnable action) {
    }

    private final AutobahnCase testCase;
    private final Role role;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameCodec codec = new FrameCodec();
    private final String offeredExtensions;
    private final String negotiatedExtensions;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            (a, b) -> a.dueNanos != b.dueNanos ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.seq, b.seq));
    private long timerSeq;

    // observations and expectations
    private final Map<Verdict, List<Observation>> expected = new LinkedHashMap<>();
    private CloseExpectation expectedClose = CloseExpectation.normal();
    private final List<Observation> received = new ArrayList<>();
    private Verdict behavior = Verdict.FAILED;
    private String result = "Actual events differ from any expected.";
    private boolean behaviorSet;
    private Verdict behaviorClose = Verdict.FAILED;
    private String resultClose = "TCP connection was dropped without close handshake";

    // protocol state
    private boolean closeSent;
    private boolean closeReceived;
    private boolean tcpClosed;
    private boolean failed;
    private boolean closedByMe;
    private boolean failedByMe;
    private boolean droppedByMe;
    private boolean wasClean;
    private String wasNotCleanReason;
    private boolean wasServerConnectionDropTimeout;
    private boolean wasCloseHandshakeTimeout;
    private Integer localCloseCode;
    private String localCloseReason;
    private Integer remoteCloseCode;
    private String remoteCloseReason;
    private long closeTimerToken;

    // message reassembly
    private int messageOpcode = -1;
    private boolean messageCompressed;
    private ByteArrayOutputStream messageBuffer;
    private Utf8Validator messageUtf8;
    private MessageInflater inflater;

    // sending and logging
    private int defaultChop;
    private WireLog log = new WireLog();

    /**
     * @param in the socket's input, positioned after the opening handshake
     */
    CaseEngine(AutobahnCase testCase, Role role, Socket socket, InputStream in, OutputStream out,
               String offeredExtensions, String negotiatedExtensions) {
        this.testCase = testCase;
        this.role = role;
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.offeredExtensions = offeredExtensions;
        this.negotiatedExtensions = negotiatedExtensions;
    }

    /** What {@link #run} found, before it is packed with the run's identity into a {@link CaseResult}. */
    record Outcome(Verdict behavior, String result, Verdict behaviorClose, String resultClose,
                   Map<Verdict, List<Observation>> expected, CloseExpectation expectedClose, List<Observation> received,
                   boolean closedByMe, boolean failedByMe, boolean droppedByMe, boolean wasClean, String wasNotCleanReason,
                   boolean wasServerConnectionDropTimeout, boolean wasCloseHandshakeTimeout, Integer localCloseCode,
                   String localCloseReason, Integer remoteCloseCode, String remoteCloseReason, long durationMillis,
                   List<WireEvent> wirelog, Map<Integer, Integer> rxFrameStats, Map<Integer, Integer> txFrameStats,
                   Map<Integer, Integer> rxOctetStats, Map<Integer, Integer> txOctetStats) {
    }

    /** Runs the case to the end (TCP closed, or the case's time bound) and judges it. Case thread only. */
    Outcome run() {
        log = new WireLog();
        long openNanos = System.nanoTime();
        long deadline = openNanos + testCase.timeBound().toNanos();
        Thread reader = new Thread(this::readLoop, "autobahn-reader-" + testCase.id());
        reader.setDaemon(true);
        reader.start();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(this::closeSocket,
                testCase.timeBound().plus(WATCHDOG_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        try {
            testCase.onOpen(this);
        } catch (RuntimeException e) {
            note("the case failed in onOpen: " + e);
            drop("case error");
        }
        while (!tcpClosed) {
            long now = System.nanoTime();
            Timer next = timers.peek();
            if (next != null && next.dueNanos <= now) {
                timers.poll();
                next.action.run();
                continue;
            }
            if (now >= deadline) {
                note("case time bound of " + testCase.timeBound().toMillis() + " ms reached: dropping the connection");
                drop("time bound");
                break;
            }
            long wait = Math.min(deadline, next == null ? deadline : next.dueNanos) - now;
            Event e;
            try {
                e = events.poll(Math.max(wait, 0), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                drop("interrupted");
                break;
            }
            if (e instanceof FrameEvent fe) {
                onFrame(fe.frame);
            } else if (e instanceof EndEvent end) {
                onEnd(end);
            }
        }
        watchdog.cancel(false);
        long duration = Math.round((System.nanoTime() - openNanos) / 1e6);
        judge();
        try {
            testCase.onConnectionLost(this);
        } catch (RuntimeException e) {
            note("the case failed in onConnectionLost: " + e);
        }
        return new Outcome(behavior, result, behaviorClose, resultClose, copyExpected(), expectedClose,
                List.copyOf(received), closedByMe, failedByMe, droppedByMe, wasClean, wasNotCleanReason,
                wasServerConnectionDropTimeout, wasCloseHandshakeTimeout, localCloseCode, localCloseReason,
                remoteCloseCode, remoteCloseReason, duration, log.events(), log.rxFrames(), log.txFrames(), log.rxOctets(),
                log.txOctets());
    }

    private Map<Verdict, List<Observation>> copyExpected() {
        Map<Verdict, List<Observation>> copy = new LinkedHashMap<>();
        expected.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    // ------------------------------------------------------------------------------------------ reading

    /** Reader thread: frames into the queue until the stream ends. */
    private void readLoop() {
        InputStream counting = new InputStream() {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    countRead(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    countRead(n);
                }
                return n;
            }
        };
        try {
            while (true) {
                InFrame f = FrameCodec.read(counting);
                if (f == null) {
                    events.add(new EndEvent("peer closed the TCP connection", false));
                    return;
                }
                events.add(new FrameEvent(f));
            }
        } catch (FrameCodec.BadFrameException e) {
            events.add(new EndEvent(e.getMessage(), true));
        } catch (IOException e) {
            events.add(new EndEvent("TCP connection ended: " + e.getMessage(), false));
        }
    }

    private void countRead(int n) {
        log.octetsRead(n);
    }

    private void onEnd(EndEvent end) {
        if (tcpClosed) {
            return;
        }
        if (end.badFrame) {
            note("unreadable frame from the peer: " + end.reason);
            failedByMe = true;
            wasClean = false;
            wasNotCleanReason = "I dropped the connection: " + end.reason;
            drop(end.reason);
            return;
        }
        tcpClosed = true;
        closeSocket();
        event("NOTE", List.of(), end.reason);
        if (!(closeSent && closeReceived)) {
            wasClean = false;
            if (wasNotCleanReason == null) {
                wasNotCleanReason = "peer dropped the TCP connection without previous WebSocket closing handshake";
            }
        }
    }

    private void onFrame(InFrame f) {
        if (tcpClosed) {
            return;
        }
        log.frameReceived(f);
        if (closeReceived || failed && f.opcode() != OutFrame.CLOSE) {
            return;
        }
        if (role == Role.SERVER && !f.masked()) {
            violation(1002, "unmasked frame from a client (RFC 6455 §5.1)");
            return;
        }
        if (role == Role.CLIENT && f.masked()) {
            violation(1002, "masked frame from a server (RFC 6455 §5.1)");
            return;
        }
        int op = f.opcode();
        boolean known = op == 0 || op == 1 || op == 2 || op == 8 || op == 9 || op == 10;
        if (!known) {
            violation(1002, "reserved opcode " + op);
            return;
        }
        int allowedRsv = inflater != null && (op == 1 || op == 2) ? 4 : 0;
        if ((f.rsv() & ~allowedRsv) != 0) {
            violation(1002, "RSV bits " + f.rsv() + " set without a negotiated extension that defines them");
            return;
        }
        if (f.isControl()) {
            if (!f.fin()) {
                violation(1002, "fragmented control frame");
                return;
            }
            if (f.payload().length > 125) {
                violation(1002, "control frame with " + f.payload().length + " payload bytes (more than 125)");
                return;
            }
        }
        switch (op) {
            case 0, 1, 2 -> onDataFrame(f);
            case 8 -> onCloseFrame(f.payload());
            case 9 -> {
                if (!closeSent) {
                    writeFrame(OutFrame.of(OutFrame.PONG, f.payload()));
                }
                testCase.onPing(this, f.payload());
            }
            default -> testCase.onPong(this, f.payload());
        }
    }

    private void onDataFrame(InFrame f) {
        int op = f.opcode();
        if (op == 0) {
            if (messageOpcode < 0) {
                violation(1002, "continuation frame with no message to continue");
                return;
            }
        } else {
            if (messageOpcode >= 0) {
                violation(1002, "new data frame while a fragmented message is still open");
                return;
            }
            messageOpcode = op;
            messageCompressed = (f.rsv() & 4) != 0;
            messageBuffer = new ByteArrayOutputStream();
            messageUtf8 = op == 1 && !messageCompressed ? new Utf8Validator() : null;
        }
        byte[] p = f.payload();
        if ((long) messageBuffer.size() + p.length > FrameCodec.MAX_PAYLOAD) {
            violation(1009, "message larger than the runner's limit of " + FrameCodec.MAX_PAYLOAD + " bytes");
            return;
        }
        messageBuffer.writeBytes(p);
        if (messageUtf8 != null && !messageUtf8.feed(p, 0, p.length)) {
            violation(1007, "invalid UTF-8 in a text message at byte " + messageUtf8.position());
            return;
        }
        if (!f.fin()) {
            return;
        }
        boolean binary = messageOpcode == 2;
        byte[] payload = messageBuffer.toByteArray();
        boolean compressed = messageCompressed;
        Utf8Validator utf8 = messageUtf8;
        messageOpcode = -1;
        messageBuffer = null;
        messageUtf8 = null;
        if (utf8 != null && !utf8.complete()) {
            violation(1007, "text message ends inside a UTF-8 sequence");
            return;
        }
        if (compressed) {
            try {
                payload = inflater.inflate(payload, binary);
            } catch (MessageInflater.InflateException e) {
                violation(e.closeCode(), "compressed message could not be inflated: " + e.getMessage());
                return;
            }
            if (!binary && !Utf8Validator.isValid(payload)) {
                violation(1007, "invalid UTF-8 in an inflated text message");
                return;
            }
        }
        testCase.onMessage(this, payload, binary);
    }

    private void onCloseFrame(byte[] p) {
        Integer code = null;
        String reason = null;
        if (p.length == 1) {
            violation(1002, "close frame with a 1-byte payload");
            return;
        }
        if (p.length >= 2) {
            code = ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
            if (!validCloseCode(code)) {
                violation(1002, "invalid close code " + code);
                return;
            }
            byte[] r = java.util.Arrays.copyOfRange(p, 2, p.length);
            if (!Utf8Validator.isValid(r)) {
                violation(1007, "close reason is not valid UTF-8");
                return;
            }
            reason = new String(r, StandardCharsets.UTF_8);
        }
        remoteCloseCode = code;
        remoteCloseReason = reason;
        closeReceived = true;
        testCase.onClose(this, code, reason);
        if (tcpClosed) {
            return;
        }
        wasClean = true;
        if (!closeSent) {
            closeSent = true;
            writeClose(1000, null);
        }
        closeTimerToken++;
        if (role == Role.SERVER) {
            drop("closing handshake complete; the server drops TCP");
        } else {
            long token = closeTimerToken;
            schedule(SERVER_DROP_TIMEOUT, () -> {
                if (!tcpClosed && token == closeTimerToken) {
                    wasClean = false;
                    wasNotCleanReason = "server did not drop TCP connection (in time)";
                    wasServerConnectionDropTimeout = true;
                    drop("server did not drop TCP within " + SERVER_DROP_TIMEOUT.toMillis() + " ms");
                }
            });
        }
    }

    /** Close codes a peer may send (RFC 6455 §7.4.1, §7.4.2 and the IANA registry's 1012–1014). */
    static boolean validCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /** The peer broke a protocol rule: fail the connection (RFC 6455 §7.1.7) by a close frame. */
    private void violation(int code, String why) {
        note("protocol violation by the peer: " + why);
        failConnection(code, why);
    }

    private void failConnection(int code, String reason) {
        if (tcpClosed) {
            return;
        }
        failed = true;
        failedByMe = true;
        wasClean = false;
        if (!closeSent) {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            if (r.length > 123) {
                r = java.util.Arrays.copyOf(r, 123);
                while (!Utf8Validator.isValid(r)) {
                    r = java.util.Arrays.copyOf(r, r.length - 1);
                }
            }
            startClose(code, r);
        } else {
            wasNotCleanReason = "I dropped the TCP connection while closing: " + reason;
            drop("failing the connection while closing: " + reason);
        }
    }

    // ------------------------------------------------------------------------------------------ closing

    private void startClose(Integer code, byte[] reason) {
        closeSent = true;
        closedByMe = true;
        localCloseCode = code;
        localCloseReason = reason == null ? null : new String(reason, StandardCharsets.UTF_8);
        writeClose(code, reason);
        long token = ++closeTimerToken;
        schedule(CLOSE_HANDSHAKE_TIMEOUT, () -> {
            if (!tcpClosed && !closeReceived && token == closeTimerToken) {
                wasClean = false;
                wasNotCleanReason = "peer did not respond (in time) in closing handshake";
                wasCloseHandshakeTimeout = true;
                drop("no close frame from the peer within " + CLOSE_HANDSHAKE_TIMEOUT.toMillis() + " ms");
            }
        });
    }

    private void writeClose(Integer code, byte[] reason) {
        byte[] payload;
        if (code == null) {
            payload = reason == null ? new byte[0] : reason.clone();
        } else {
            byte[] r = reason == null ? new byte[0] : reason;
            payload = new byte[2 + r.length];
            payload[0] = (byte) (code >>> 8);
            payload[1] = (byte) (int) code;
            System.arraycopy(r, 0, payload, 2, r.length);
        }
        writeFrame(OutFrame.of(OutFrame.CLOSE, payload));
    }

    private void drop(String why) {
        if (tcpClosed) {
            return;
        }
        droppedByMe = true;
        tcpClosed = true;
        event("NOTE", List.of(), "runner drops TCP: " + why);
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that is already broken has nothing left to report
        }
    }

    /** Computes behavior and behaviorClose as the official suite's Case.onConnectionLost. */
    private void judge() {
        Judge.Verdicts v = Judge.judge(expected, received, behaviorSet ? behavior : null, result, expectedClose,
                new Judge.Ending(closedByMe, wasClean, remoteCloseCode, role, droppedByMe));
        behavior = v.behavior();
        result = v.result();
        behaviorClose = v.behaviorClose();
        resultClose = v.resultClose();
    }

    // ------------------------------------------------------------------------------------------ writing

    private byte[] keyFor(OutFrame f) {
        boolean mask = switch (f.masking()) {
            case ROLE -> role == Role.CLIENT;
            case MASKED -> true;
            case UNMASKED -> false;
        };
        return mask ? (f.maskKey() != null ? f.maskKey() : codec.newMaskKey()) : null;
    }

    @Override
    public byte[] encode(OutFrame f) {
        return FrameCodec.encode(f.fin(), f.rsv(), f.opcode(), f.wirePayload(), keyFor(f));
    }

    private void writeFrame(OutFrame f) {
        byte[] payload = f.wirePayload();
        byte[] key = keyFor(f);
        byte[] bytes = FrameCodec.encode(f.fin(), f.rsv(), f.opcode(), payload, key);
        int chop = f.chopSize() > 0 ? f.chopSize() : defaultChop;
        log.frameSent(f, payload, key, chop);
        writeBytes(bytes, chop, f.chopDelay());
        if (f.sync()) {
            sleep(Duration.ofMillis(1));
        }
    }

    private void writeBytes(byte[] bytes, int chop, Duration delay) {
        if (tcpClosed) {
            note("not sent (" + bytes.length + " bytes): the connection is closed");
            return;
        }
        try {
            if (chop <= 0 || chop >= bytes.length) {
                out.write(bytes);
                out.flush();
                log.octetsWritten(bytes.length);
                return;
            }
            for (int at = 0; at < bytes.length; at += chop) {
                int n = Math.min(chop, bytes.length - at);
                out.write(bytes, at, n);
                out.flush();
                log.octetsWritten(n);
                if (at + n < bytes.length) {
                    if (delay.isZero()) {
                        // the official suite writes each piece in its own reactor turn, 10 µs apart
                        java.util.concurrent.locks.LockSupport.parkNanos(CHOP_PAUSE_NANOS);
                    } else {
                        sleep(delay);
                    }
                }
            }
        } catch (IOException e) {
            note("write failed: " + e.getMessage());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void schedule(Duration delay, Runnable action) {
        timers.add(new Timer(System.nanoTime() + delay.toNanos(), timerSeq++, action));
    }

    private void event(String code, List<Object> fields, String summary) {
        log.event(code, fields, summary);
    }

    // ------------------------------------------------------------------------------------------ CaseContext

    @Override
    public Role role() {
        return role;
    }

    @Override
    public State state() {
        return tcpClosed ? State.CLOSED : closeSent || closeReceived ? State.CLOSING : State.OPEN;
    }

    @Override
    public String negotiatedExtensions() {
        return negotiatedExtensions;
    }

    @Override
    public String offeredExtensions() {
        return offeredExtensions;
    }

    @Override
    public void expect(Verdict verdict, List<Observation> observations) {
        expected.put(verdict, List.copyOf(observations));
    }

    @Override
    public void expectClose(CloseExpectation expectation) {
        expectedClose = java.util.Objects.requireNonNull(expectation);
    }

    @Override
    public void observe(Observation observation) {
        received.add(observation);
    }

    @Override
    public List<Observation> received() {
        return List.copyOf(received);
    }

    @Override
    public void finishWhenDone() {
        for (List<Observation> e : expected.values()) {
            if (!e.equals(received)) {
                return;
            }
        }
        if (expectedClose.closedByMe() && !testCase.suppressClose()) {
            sendClose(expectedClose.closeCodes().get(0), null);
        }
    }

    @Override
    public void setBehavior(Verdict verdict, String why) {
        behavior = verdict;
        result = why;
        behaviorSet = true;
    }

    @Override
    public void setBehaviorClose(Verdict verdict, String why) {
        behaviorClose = verdict;
        resultClose = why;
    }

    @Override
    public Verdict behavior() {
        return behavior;
    }

    @Override
    public Verdict behaviorClose() {
        return behaviorClose;
    }

    @Override
    public String resultClose() {
        return resultClose;
    }

    @Override
    public boolean closedByMe() {
        return closedByMe;
    }

    @Override
    public boolean wasClean() {
        return wasClean;
    }

    @Override
    public Integer remoteCloseCode() {
        return remoteCloseCode;
    }

    @Override
    public void send(OutFrame frame) {
        writeFrame(frame);
    }

    @Override
    public void sendMessage(byte[] payload, boolean binary, int fragmentSize) {
        sendFragments(payload, binary ? OutFrame.BINARY : OutFrame.TEXT, 0, fragmentSize);
    }

    @Override
    public void sendCompressedMessage(byte[] compressed, boolean binary, int fragmentSize) {
        sendFragments(compressed, binary ? OutFrame.BINARY : OutFrame.TEXT, 4, fragmentSize);
    }

    private void sendFragments(byte[] payload, int opcode, int firstRsv, int fragmentSize) {
        if (fragmentSize <= 0 || payload.length <= fragmentSize) {
            writeFrame(OutFrame.of(opcode, payload).rsv(firstRsv));
            return;
        }
        for (int at = 0; at < payload.length; at += fragmentSize) {
            int end = Math.min(payload.length, at + fragmentSize);
            boolean first = at == 0;
            writeFrame(OutFrame.of(first ? opcode : OutFrame.CONTINUATION, java.util.Arrays.copyOfRange(payload, at, end))
                    .rsv(first ? firstRsv : 0).fin(end == payload.length));
        }
    }

    @Override
    public void sendPing(byte[] payload) {
        writeFrame(OutFrame.of(OutFrame.PING, payload));
    }

    @Override
    public void sendClose(Integer code, byte[] reason) {
        if (state() != State.OPEN) {
            note("close not sent: the connection is already " + state());
            return;
        }
        startClose(code, reason);
    }

    @Override
    public void sendRaw(byte[] bytes, int chopSize, Duration delay) {
        log.rawSent(bytes, chopSize > 0 ? chopSize : defaultChop);
        writeBytes(bytes, chopSize > 0 ? chopSize : defaultChop, delay);
    }

    @Override
    public void setChopSize(int bytes) {
        defaultChop = Math.max(0, bytes);
    }

    @Override
    public void pause(Duration duration) {
        sleep(duration);
    }

    @Override
    public void continueLater(Duration delay, Runnable task) {
        event("CT", List.of(delay.toMillis() / 1000.0, JsonNull.NULL), "continue in " + delay.toMillis() + " ms");
        schedule(delay, () -> {
            if (!tcpClosed) {
                event("CTE", List.of(JsonNull.NULL), "continuing");
                task.run();
            }
        });
    }

    @Override
    public void killAfter(Duration delay) {
        event("KL", List.of(delay.toMillis() / 1000.0), "fail the connection in " + delay.toMillis() + " ms");
        schedule(delay, () -> {
            if (!tcpClosed) {
                event("KLE", List.of(), "failing the connection (going away)");
                failConnection(1001, "Going Away");
            }
        });
    }

    @Override
    public void closeAfter(Duration delay) {
        event("TI", List.of(delay.toMillis() / 1000.0), "close in " + delay.toMillis() + " ms");
        schedule(delay, () -> {
            if (!tcpClosed) {
                event("TIE", List.of(), "closing");
                sendClose(null, null);
            }
        });
    }

    @Override
    public void dropAfter(Duration delay) {
        note("drop TCP in " + delay.toMillis() + " ms");
        schedule(delay, () -> drop("drop timer of the case"));
    }

    @Override
    public void dropConnection() {
        drop("dropped by the case");
    }

    @Override
    public void setInflater(MessageInflater inflater) {
        this.inflater = inflater;
    }

    @Override
    public void enableWireLog(boolean enabled) {
        log.setFramesLogged(enabled);
    }

    @Override
    public int framesSent(int opcode) {
        return log.framesSent(opcode);
    }

    @Override
    public void note(String text) {
        log.note(text);
    }
}
