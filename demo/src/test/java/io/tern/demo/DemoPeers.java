package io.tern.demo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the independent programs the demo's tests drive — Node.js with the {@code ws} package
 * pinned in {@code demo/src/test/peers/node/package.json}, and Debian's Chromium with its
 * ChromeDriver — and decides what happens when one is missing: under {@code CI=true} the test
 * fails, naming what {@code .ci/run} must install; elsewhere it is skipped, and the reason is
 * printed.
 */
final class DemoPeers {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String NODE_INSTALL = "run npm ci in demo/src/test/peers/node";
    static final String CHROMIUM_INSTALL = "apt-get install -y chromium chromium-driver (Debian's packages)";

    private DemoPeers() {
    }

    /**
     * The Node.js binary, once the pinned {@code ws} is installed beside the chat script.
     *
     * @return the {@code node} executable
     */
    static Path node() {
        Path node = onPath("node");
        if (node == null) {
            missing("Node.js (node) not found on PATH: apt-get install -y nodejs npm, then " + NODE_INSTALL);
        }
        Path dir = nodeDir();
        String pinned = match(dir.resolve("package.json"), "\"ws\"\\s*:\\s*\"([^\"]+)\"");
        Path installed = dir.resolve("node_modules/ws/package.json");
        if (!Files.isRegularFile(installed)) {
            missing("Node ws not installed for the chat peer: " + NODE_INSTALL);
        }
        String version = match(installed, "\"version\"\\s*:\\s*\"([^\"]+)\"");
        if (!version.equals(pinned)) {
            missing("Node ws " + version + " installed but package.json pins " + pinned + ": " + NODE_INSTALL);
        }
        return node;
    }

    /** Skips (or, under CI, fails) unless Debian's Chromium and ChromeDriver are installed. */
    static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            missing("headless Chromium not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "): " + CHROMIUM_INSTALL);
        }
    }

    /** {@code demo/src/test/peers/node}, from the module directory (Surefire) or the repository root. */
    static Path nodeDir() {
        Path cwd = Path.of(System.getProperty("user.dir"));
        for (Path candidate : List.of(cwd.resolve("src/test/peers/node"), cwd.resolve("demo/src/test/peers/node"))) {
            if (Files.isRegularFile(candidate.resolve("chat.js"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("demo/src/test/peers/node not found from " + cwd);
    }

    private static void missing(String message) {
        if ("true".equals(System.getenv("CI"))) {
            fail(message + " [CI=true: .ci/run must install this before running the tests]");
        }
        System.err.println("skipped: " + message);
        Assumptions.abort(message);
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

    private static String match(Path file, String regex) {
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
}
