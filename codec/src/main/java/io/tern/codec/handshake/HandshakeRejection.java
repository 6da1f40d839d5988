package io.tern.codec.handshake;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A small, complete HTTP/1.1 response with a plain-text body, used to refuse a handshake
 * (400, 405, 426, ...) or to answer any request the server does not upgrade (404, 403, 503, ...).
 *
 * <p>Its bytes are: the status line, {@code Content-Type: text/plain; charset=utf-8},
 * {@code Content-Length}, {@code Connection: close} (or {@code Connection: Upgrade, close} when
 * an extra {@code Upgrade} header is present, as RFC 7230 §6.7 requires), the extra headers,
 * an empty line and the UTF-8 body. Immutable.
 */
public final class HandshakeRejection implements ServerHandshakeResult {

    private static final List<String> RESERVED = List.of("Content-Type", "Content-Length", "Connection",
            "Transfer-Encoding");

    private final int status;
    private final String reasonPhrase;
    private final String message;
    private final HttpHeaders extraHeaders;

    /**
     * Creates a response.
     *
     * @param status the status code, 200 to 599
     * @param reasonPhrase the reason phrase (may be empty)
     * @param message the body text, a short human-readable explanation
     * @param extraHeaders headers to add after the fixed ones; must not contain
     *     {@code Content-Type}, {@code Content-Length}, {@code Connection} or
     *     {@code Transfer-Encoding}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the status, the reason phrase or a header is invalid
     */
    public HandshakeRejection(int status, String reasonPhrase, String message, HttpHeaders extraHeaders) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be in 200..599: " + status);
        }
        if (!HttpSyntax.isText(Objects.requireNonNull(reasonPhrase, "reasonPhrase"))) {
            throw new IllegalArgumentException("invalid character in reason phrase");
        }
        HttpSyntax.requireNoneOf(Objects.requireNonNull(extraHeaders, "extraHeaders"), RESERVED);
        this.status = status;
        this.reasonPhrase = reasonPhrase;
        this.message = Objects.requireNonNull(message, "message");
        this.extraHeaders = extraHeaders;
    }

    /**
     * Creates a response with the standard reason phrase and no extra header.
     *
     * @param status the status code, 200 to 599
     * @param message the body text
     * @return the response
     */
    public static HandshakeRejection of(int status, String message) {
        return of(status, message, HttpHeaders.empty());
    }

    /**
     * Creates a response with the standard reason phrase.
     *
     * @param status the status code, 200 to 599
     * @param message the body text
     * @param extraHeaders headers to add after the fixed ones
     * @return the response
     */
    public static HandshakeRejection of(int status, String message, HttpHeaders extraHeaders) {
        return new HandshakeRejection(status, standardReasonPhrase(status), message, extraHeaders);
    }

    /**
     * Returns the usual reason phrase for a status code (RFC 7231, RFC 6585).
     *
     * @param status the status code
     * @return the phrase, or an empty string for a code without a registered phrase here
     */
    public static String standardReasonPhrase(int status) {
        switch (status) {
            case 101: return "Switching Protocols";
            case 200: return "OK";
            case 204: return "No Content";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 303: return "See Other";
            case 307: return "Temporary Redirect";
            case 308: return "Permanent Redirect";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 413: return "Payload Too Large";
            case 414: return "URI Too Long";
            case 426: return "Upgrade Required";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            case 505: return "HTTP Version Not Supported";
            default: return "";
        }
    }

    @Override
    public int status() {
        return status;
    }

    /**
     * Returns the reason phrase of the status line.
     *
     * @return the reason phrase
     */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /**
     * Returns the body text.
     *
     * @return the human-readable explanation sent as the body
     */
    public String message() {
        return message;
    }

    /**
     * Returns the headers added after the fixed ones.
     *
     * @return the extra headers
     */
    public HttpHeaders extraHeaders() {
        return extraHeaders;
    }

    /**
     * Returns the body bytes.
     *
     * @return the message in UTF-8
     */
    public byte[] body() {
        return message.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns the response head, including the fixed headers.
     *
     * @return the head
     */
    public HttpResponseHead responseHead() {
        HttpHeaders headers = HttpHeaders.builder()
                .add("Content-Type", "text/plain; charset=utf-8")
                .add("Content-Length", Integer.toString(body().length))
                .add("Connection", extraHeaders.contains("Upgrade") ? "Upgrade, close" : "close")
                .addAll(extraHeaders)
                .build();
        return new HttpResponseHead(HttpSyntax.HTTP_1_1, status, reasonPhrase, headers);
    }

    @Override
    public byte[] toBytes() {
        byte[] head = responseHead().toBytes();
        byte[] body = body();
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    @Override
    public String toString() {
        return status + " " + reasonPhrase + ": " + message;
    }
}
