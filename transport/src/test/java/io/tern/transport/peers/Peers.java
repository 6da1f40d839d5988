package io.tern.transport.peers;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the independent peers of the interoperability tests, and decides what happens when one
 * is missing: with {@code CI=true} the test fails, naming the peer and the line {@code .ci/run}
 * needs; elsewhere it is skipped with the same message.
 *
 * <p>The peers live in {@code transport/src/test/peers}: {@code node/} (Node.js with the
 * {@code ws} package pinned in its {@code package.json}) and {@code python/} (Debian's
 * {@code /usr/bin/python3} with its {@code python3-websockets} package).
 */
final class Peers {

    /** Debian's interpreter: the only one that loads Debian's python3-websockets. */
    static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    static final String NODE_INSTALL = "run npm ci in transport/src/test/peers/node";
    static final String PYTHON_INSTALL = "run apt-get update && apt-get install -y python3-websockets "
            + "(Debian's package, loaded by /usr/bin/python3)";

    private static Peer node;
    private static Peer python;

    private Peers() {
    }

    /**
     * One peer program: how to run its scripts.
     *
     * @param name     e.g. {@code node ws@8.23.0}
     * @param command  the interpreter (and its options) that runs a script
     * @param dir      the folder holding {@code client.*} and {@code server.*}
     * @param script   the script suffix, {@code .js} or {@code .py}
     */
    record Peer(String name, List<String> command, Path dir, String script) {

        List<String> client(String url, String mode) {
            List<String> c = new ArrayList<>(command);
            c.add(dir.resolve("client" + script).toString());
            c.add(url);
            c.add(mode);
            return c;
        }

        List<String> server(String mode) {
            List<String> c = new ArrayList<>(command);
            c.add(dir.resolve("server" + script).toString());
            c.add(mode);
            return c;
        }
    }

    /**
     * Node.js with the pinned {@code ws}, or a failure (CI) or skip (elsewhere).
     *
     * @return the peer
     */
    static synchronized Peer nodeWs() {
        if (node == null) {
            Path dir = peersDir().resolve("node");
            Path nodeBinary = onPath("node");
            if (nodeBinary == null) {
                missing("Node.js (node) not found on PATH: install Debian's nodejs and npm "
                        + "(apt-get install -y nodejs npm), then " + NODE_INSTALL);
            }
            String pinned = jsonVersion(dir.resolve("package.json"), "\"ws\"\\s*:\\s*\"([^\"]+)\"");
            Path installed = dir.resolve("node_modules/ws/package.json");
            if (!Files.isRegularFile(installed)) {
                missing("Node ws not installed: " + NODE_INSTALL);
            }
            String version = jsonVersion(installed, "\"version\"\\s*:\\s*\"([^\"]+)\"");
            if (!version.equals(pinned)) {
                missing("Node ws " + version + " installed but package.json pins " + pinned + ": " + NODE_INSTALL);
            }
            node = new Peer("node ws@" + version, List.of(nodeBinary.toString()), dir, ".js");
        }
        return node;
    }

    /**
     * Debian's Python with {@code websockets}, or a failure (CI) or skip (elsewhere).
     *
     * @return the peer
     */
    static synchronized Peer pythonWebsockets() {
        if (python == null) {
            if (!Files.isExecutable(DEBIAN_PYTHON)) {
                missing("Debian's /usr/bin/python3 not found: install python3 and python3-websockets: "
                        + PYTHON_INSTALL);
            }
            String version = probePython();
            if (version == null) {
                missing("Python websockets not installed: /usr/bin/python3 cannot import websockets: "
                        + PYTHON_INSTALL);
            }
            python = new Peer("python websockets@" + version, List.of(DEBIAN_PYTHON.toString(), "-u"),
                    peersDir().resolve("python"), ".py");
        }
        return python;
    }

    /** Fails under CI (where {@code .ci/run} must have installed the peer), skips elsewhere. */
    private static void missing(String message) {
        if ("true".equals(System.getenv("CI"))) {
            fail(message + " [CI=true: .ci/run must install this peer before running the tests]");
        }
        Assumptions.abort(message);
    }

    /** {@code transport/src/test/peers}, from the module directory (Surefire) or the repository root. */
    static Path peersDir() {
        Path cwd = Path.of(System.getProperty("user.dir"));
        for (Path candidate : List.of(cwd.resolve("src/test/peers"), cwd.resolve("transport/src/test/peers"))) {
            if (Files.isRegularFile(candidate.resolve("node/package.json"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("transport/src/test/peers not found from " + cwd);
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    Path candidate = Path.of(entry, program);
                    if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                        return candidate;
                    }
                }
            }
        }
        return null;
    }

    private static String jsonVersion(Path file, String regex) {
        try {
            Matcher m = Pattern.compile(regex).matcher(Files.readString(file, StandardCharsets.UTF_8));
            if (!m.find()) {
                throw new IllegalStateException("no match for " + regex + " in " + file);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** The websockets version Debian's interpreter imports, or {@code null}. */
    private static String probePython() {
        List<String> command = List.of(DEBIAN_PYTHON.toString(), "-c", "import websockets; print(websockets.__version__)");
        try (PeerProcess p = PeerProcess.start("python websockets probe", command, peersDir())) {
            if (p.awaitExit(Duration.ofSeconds(20)) != 0) {
                return null;
            }
            String version = p.lastLine().trim();
            return version.isEmpty() ? null : version;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
