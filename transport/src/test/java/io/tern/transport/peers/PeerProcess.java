package io.tern.transport.peers;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A peer script run as a child process: its stdout and stderr are read line by line on two daemon
 * threads (so a chatty peer never blocks on a full pipe) and kept for assertion messages; waits
 * are bounded, and a peer still running when it is closed is destroyed.
 */
final class PeerProcess implements AutoCloseable {

    private static final String END = new String("end of stream");

    private final String name;
    private final List<String> command;
    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final LinkedBlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final Thread outReader;
    private final Thread errReader;

    private PeerProcess(String name, List<String> command, Process process) {
        this.name = name;
        this.command = List.copyOf(command);
        this.process = process;
        this.outReader = reader(process.getInputStream(), stdout, stdoutLines, name + " stdout");
        this.errReader = reader(process.getErrorStream(), stderr, null, name + " stderr");
    }

    /**
     * Starts a peer in {@code dir} with nothing on its standard input.
     *
     * @param name    for messages, e.g. {@code node ws@8.23.0 client}
     * @param command the command line
     * @param dir     the working directory
     * @return the running peer
     * @throws IOException if it cannot be started
     */
    static PeerProcess start(String name, List<String> command, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        // Debian's /usr/bin/python3 must not pick up another interpreter's library path.
        pb.environment().remove("PYTHONPATH");
        pb.environment().remove("PYTHONHOME");
        Process process = pb.start();
        process.getOutputStream().close();
        return new PeerProcess(name, command, process);
    }

    private static Thread reader(InputStream in, List<String> sink, LinkedBlockingQueue<String> queue, String threadName) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (sink) {
                        sink.add(line);
                    }
                    if (queue != null) {
                        queue.add(line);
                    }
                }
            } catch (IOException e) {
                synchronized (sink) {
                    sink.add("<read failed: " + e + ">");
                }
            } finally {
                if (queue != null) {
                    queue.add(END);
                }
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Waits for the first stdout line that matches, failing (with the transcript) when the peer
     * ends or the time runs out first.
     *
     * @param what    for the message
     * @param matches the test
     * @param timeout how long to wait
     * @return the line
     * @throws InterruptedException if interrupted
     */
    String awaitLine(String what, Predicate<String> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? stdoutLines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                fail(name + ": no " + what + " within " + timeout + "\n" + transcript());
            }
            if (line == END) {
                stdoutLines.add(END);
                fail(name + " ended before printing " + what + "\n" + transcript());
            }
            if (matches.test(line)) {
                return line;
            }
        }
    }

    /**
     * Waits for the peer to exit; on timeout destroys it and fails with the transcript.
     *
     * @param timeout how long to wait
     * @return the exit code
     * @throws InterruptedException if interrupted
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            destroy();
            fail(name + " did not exit within " + timeout + " (destroyed)\n" + transcript());
        }
        outReader.join(5000);
        errReader.join(5000);
        return process.exitValue();
    }

    /**
     * Gives a peer that is about to end (say, after its connection was closed) a moment to print
     * its summary and exit; never fails.
     *
     * @param timeout how long to wait at most
     * @throws InterruptedException if interrupted
     */
    void settle(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            outReader.join(1000);
            errReader.join(1000);
        }
    }

    /**
     * The last line the peer printed on stdout (its summary).
     *
     * @return the line, or an empty string
     */
    String lastLine() {
        synchronized (stdout) {
            return stdout.isEmpty() ? "" : stdout.get(stdout.size() - 1);
        }
    }

    /**
     * Everything known about the run, for assertion messages.
     *
     * @return command, state, stdout and stderr
     */
    String transcript() {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(name).append(": ").append(String.join(" ", command)).append('\n');
        sb.append("--- state: ").append(process.isAlive() ? "running" : "exit " + process.exitValue()).append('\n');
        synchronized (stdout) {
            sb.append("--- stdout (").append(stdout.size()).append(" lines)\n");
            stdout.forEach(l -> sb.append(l).append('\n'));
        }
        synchronized (stderr) {
            sb.append("--- stderr (").append(stderr.size()).append(" lines)\n");
            stderr.forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    private void destroy() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(3, TimeUnit.SECONDS);
        }
    }

    /** Destroys the peer if it is still running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            destroy();
        }
    }
}
