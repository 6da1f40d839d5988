package io.tern.autobahn.runner;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's own HTTP/1.1 upgrade handshake (RFC 6455 §4), both roles, independent of Tern's codec.
 * Stateless; thread-safe.
 */
final class Handshake {

    /** The GUID of RFC 6455 §1.3, appended to the key before hashing. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** A request or response head larger than this is refused. */
    static final int MAX_HEAD = 16 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {
    }

    /** A failed opening handshake, with what went wrong. */
    static final class HandshakeException extends IOException {
        private static final long serialVersionUID = 1L;

        HandshakeException(String message) {
            super(message);
        }
    }

    /** Header fields by lower-case name, values in order of appearance. */
    static final class Headers {
        private final Map<String, List<String>> map = new LinkedHashMap<>();

        void add(String name, String value) {
            map.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value.trim());
        }

        /** All values of a field joined with ", ", or null if absent. */
        String get(String name) {
            List<String> v = map.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(", ", v);
        }

        /** True if a comma-separated field contains {@code token} (case-insensitive). */
        boolean hasToken(String name, String token) {
            String v = get(name);
            if (v == null) {
                return false;
            }
            for (String t : v.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A parsed request head. */
    record Request(String method, String path, Map<String, String> query, Headers headers, String raw) {
    }

    /** A parsed response head. */
    record Response(int status, Headers headers, String raw) {
    }

    /** Reads a head up to and including the empty line; the stream is left at the first byte after it. */
    static String readHead(InputStream in) throws IOException {
        byte[] buf = new byte[MAX_HEAD];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new HandshakeException(n == 0 ? "connection closed before any HTTP head"
                        : "connection closed inside the HTTP head after " + n + " bytes");
            }
            if (n == buf.length) {
                throw new HandshakeException("HTTP head larger than " + MAX_HEAD + " bytes");
            }
            buf[n++] = (byte) b;
            if (n >= 4 && buf[n - 4] == '\r' && buf[n - 3] == '\n' && buf[n - 2] == '\r' && buf[n - 1] == '\n') {
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static Headers parseHeaders(String[] lines) throws HandshakeException {
        Headers h = new Headers();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new HandshakeException("malformed header line: " + line);
            }
            h.add(line.substring(0, colon).trim(), line.substring(colon + 1));
        }
        return h;
    }

    static Request parseRequest(String head) throws HandshakeException {
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ");
        if (start.length != 3 || !start[2].startsWith("HTTP/1.")) {
            throw new HandshakeException("malformed request line: " + lines[0]);
        }
        String target = start[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : target.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(k, v);
            }
        }
        return new Request(start[0], path, query, parseHeaders(lines), head);
    }

    static Response parseResponse(String head) throws HandshakeException {
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ", 3);
        if (start.length < 2 || !start[0].startsWith("HTTP/1.")) {
            throw new HandshakeException("malformed status line: " + lines[0]);
        }
        int status;
        try {
            status = Integer.parseInt(start[1]);
        } catch (NumberFormatException e) {
            throw new HandshakeException("malformed status line: " + lines[0]);
        }
        return new Response(status, parseHeaders(lines), head);
    }

    /** {@code Sec-WebSocket-Accept} for a key: base64(SHA-1(key + GUID)). */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    static String newKey() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The client's upgrade request for {@code uri}. */
    static String clientRequest(URI uri, String key, String extensionOffer, String userAgent) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        StringBuilder sb = new StringBuilder();
        sb.append("GET ").append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(uri.getHost()).append(port == 80 ? "" : ":" + port).append("\r\n");
        sb.append("User-Agent: ").append(userAgent).append("\r\n");
        sb.append("Upgrade: websocket\r\n");
        sb.append("Connection: Upgrade\r\n");
        sb.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        sb.append("Sec-WebSocket-Version: 13\r\n");
        if (extensionOffer != null) {
            sb.append("Sec-WebSocket-Extensions: ").append(extensionOffer).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString();
    }

    /** Checks a server's response to {@link #clientRequest}. */
    static Response checkServerResponse(String head, String key, String extensionOffer) throws HandshakeException {
        Response r = parseResponse(head);
        if (r.status() != 101) {
            throw new HandshakeException("server answered " + head.split("\r\n")[0] + " instead of 101");
        }
        if (!r.headers().hasToken("upgrade", "websocket")) {
            throw new HandshakeException("101 response without Upgrade: websocket");
        }
        if (!r.headers().hasToken("connection", "upgrade")) {
            throw new HandshakeException("101 response without Connection: Upgrade");
        }
        String acc = r.headers().get("sec-websocket-accept");
        if (!accept(key).equals(acc)) {
            throw new HandshakeException("wrong Sec-WebSocket-Accept: " + acc + " (expected " + accept(key) + ")");
        }
        if (extensionOffer == null && r.headers().get("sec-websocket-extensions") != null) {
            throw new HandshakeException("server accepted an extension that was not offered: "
                    + r.headers().get("sec-websocket-extensions"));
        }
        return r;
    }

    /** Checks a client's upgrade request; returns null if it is acceptable, else the reason. */
    static String checkClientRequest(Request r) {
        if (!"GET".equals(r.method())) {
            return "method " + r.method() + " is not GET";
        }
        if (!r.headers().hasToken("upgrade", "websocket")) {
            return "no Upgrade: websocket";
        }
        if (!r.headers().hasToken("connection", "upgrade")) {
            return "no Connection: Upgrade";
        }
        if (!"13".equals(r.headers().get("sec-websocket-version"))) {
            return "Sec-WebSocket-Version is not 13";
        }
        String key = r.headers().get("sec-websocket-key");
        if (key == null) {
            return "no Sec-WebSocket-Key";
        }
        try {
            if (Base64.getDecoder().decode(key).length != 16) {
                return "Sec-WebSocket-Key is not 16 bytes in base64";
            }
        } catch (IllegalArgumentException e) {
            return "Sec-WebSocket-Key is not base64";
        }
        return null;
    }

    /** The server's 101 response. */
    static String serverResponse(String key, String extensionResponse) {
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP/1.1 101 Switching Protocols\r\n");
        sb.append("Server: TernAutobahn\r\n");
        sb.append("Upgrade: websocket\r\n");
        sb.append("Connection: Upgrade\r\n");
        sb.append("Sec-WebSocket-Accept: ").append(accept(key)).append("\r\n");
        if (extensionResponse != null) {
            sb.append("Sec-WebSocket-Extensions: ").append(extensionResponse).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString();
    }

    /** A plain error response that ends the connection. */
    static String errorResponse(int status, String reason, String message) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n" + (status == 426 ? "Sec-WebSocket-Version: 13\r\n" : "")
                + "\r\n" + new String(body, StandardCharsets.ISO_8859_1);
    }
}
