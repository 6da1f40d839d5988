package io.tern.transport;

import io.tern.codec.handshake.HandshakeRejection;
import io.tern.codec.handshake.HeaderField;
import io.tern.codec.handshake.HttpHeaders;
import io.tern.codec.handshake.HttpResponseHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A small, complete HTTP/1.1 response that the server sends and then closes the connection
 * after: what an {@link HttpFallback} answers to a plain request. Immutable; the {@code with}
 * methods return changed copies.
 *
 * <p>On the wire: the status line, {@code Content-Type} (when there is one),
 * {@code Content-Length}, {@code Connection: close} ({@code Connection: Upgrade, close} when an
 * {@code Upgrade} header is present, RFC 9110 §7.8), the extra headers in order, an empty line and
 * the body. The server adds a {@code Date} header (RFC 9110 §6.6.1) unless the response has
 * one, and sends no body in answer to {@code HEAD} (RFC 9110 §9.3.2), keeping the
 * {@code Content-Length} the body would have had. Responses with status 204 or 304 have no body
 * and no {@code Content-Length} (RFC 9110 §8.6).
 *
 * <pre>{@code
 * HttpResponse page = HttpResponse.of(200, "text/html; charset=utf-8", html)
 *         .withHeader("Cache-Control", "no-cache");
 * HttpResponse logo = HttpResponse.resource(MyApp.class, "/static/logo.png", "image/png");
 * }</pre>
 */
public final class HttpResponse {

    private static final List<String> RESERVED = List.of("Content-Type", "Content-Length", "Connection",
            "Transfer-Encoding");
    private static final String TEXT = "text/plain; charset=utf-8";

    private final int status;
    private final String reasonPhrase;
    private final String contentType;
    private final byte[] body;
    private final HttpHeaders headers;

    private HttpResponse(int status, String reasonPhrase, String contentType, byte[] body, HttpHeaders headers) {
        this.status = status;
        this.reasonPhrase = reasonPhrase;
        this.contentType = contentType;
        this.body = body;
        this.headers = headers;
    }

    /**
     * Creates a response with the standard reason phrase for its status.
     *
     * @param status      the status, 200 to 599
     * @param contentType the media type of the body, e.g. {@code text/html; charset=utf-8};
     *                    may be null only when the body is empty
     * @param body        the body (copied); must be empty for 204 and 304
     * @return the response
     * @throws IllegalArgumentException if the status is out of range, the content type is
     *     missing or not a valid field value, or a 204/304 has a body
     * @throws NullPointerException if {@code body} is null
     */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be in 200..599: " + status);
        }
        byte[] copy = body.clone();
        if (copy.length > 0 && contentType == null) {
            throw new IllegalArgumentException("a response with a body needs a content type");
        }
        if (copy.length > 0 && !hasBody(status)) {
            throw new IllegalArgumentException("a " + status + " response has no body");
        }
        if (contentType != null) {
            new HeaderField("Content-Type", contentType); // validates the value
        }
        return new HttpResponse(status, HandshakeRejection.standardReasonPhrase(status), contentType, copy,
                HttpHeaders.empty());
    }

    /**
     * Creates a response with a plain-text body in UTF-8.
     *
     * @param status the status, 200 to 599
     * @param text   the body text (empty for 204 and 304)
     * @return the response, of type {@code text/plain; charset=utf-8}
     * @throws IllegalArgumentException as for {@link #of}
     */
    public static HttpResponse text(int status, String text) {
        return of(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Creates a 200 response.
     *
     * @param contentType the media type of the body
     * @param body        the body (copied)
     * @return the response
     * @throws IllegalArgumentException as for {@link #of}
     */
    public static HttpResponse ok(String contentType, byte[] body) {
        return of(200, contentType, body);
    }

    /**
     * Creates a 200 response whose body is a resource read now, once, through
     * {@link Class#getResourceAsStream(String)} of {@code anchor}: build it at start-up and serve
     * the same instance to every request, so the loop never reads a file.
     *
     * <p>In a named module, a resource inside one of the module's packages is only found when
     * that package is open to {@code io.tern.transport}; read it yourself and use {@link #ok}
     * otherwise.
     *
     * @param anchor      the class the name is resolved against (a leading {@code /} makes it
     *                    absolute)
     * @param name        the resource name, e.g. {@code /static/chat.html}
     * @param contentType the media type of the resource
     * @return the response
     * @throws IllegalArgumentException if there is no such resource
     * @throws UncheckedIOException if reading the resource fails
     */
    public static HttpResponse resource(Class<?> anchor, String name, String contentType) {
        Objects.requireNonNull(name, "name");
        byte[] bytes;
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name + " for " + anchor.getName());
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
        return ok(contentType, bytes);
    }

    /**
     * Returns a copy with one more header, after those already added.
     *
     * @param name  the header name, an RFC 9110 token; not {@code Content-Type},
     *              {@code Content-Length}, {@code Connection} or {@code Transfer-Encoding},
     *              which the response writes itself
     * @param value the value, without control characters or surrounding whitespace
     * @return the changed copy
     * @throws IllegalArgumentException if the name is reserved or the field is invalid
     */
    public HttpResponse withHeader(String name, String value) {
        return withHeaders(HttpHeaders.of(name, value));
    }

    /**
     * Returns a copy with more headers, after those already added.
     *
     * @param more the headers; none of the reserved names of {@link #withHeader}
     * @return the changed copy
     * @throws IllegalArgumentException if a name is reserved
     */
    public HttpResponse withHeaders(HttpHeaders more) {
        for (HeaderField field : more) {
            for (String reserved : RESERVED) {
                if (field.hasName(reserved)) {
                    throw new IllegalArgumentException("header " + field.name() + " is written by the response itself");
                }
            }
        }
        if (more.isEmpty()) {
            return this;
        }
        return new HttpResponse(status, reasonPhrase, contentType, body, headers.toBuilder().addAll(more).build());
    }

    /**
     * Returns a copy with another reason phrase (RFC 9112 §4: clients ignore it).
     *
     * @param phrase the phrase: HTAB, SP, visible ASCII or obs-text
     * @return the changed copy
     * @throws IllegalArgumentException if the phrase holds a control character
     */
    public HttpResponse withReasonPhrase(String phrase) {
        new HttpResponseHead("HTTP/1.1", status, phrase, HttpHeaders.empty()); // validates the phrase
        return new HttpResponse(status, phrase, contentType, body, headers);
    }

    /**
     * The status code.
     *
     * @return 200 to 599
     */
    public int status() {
        return status;
    }

    /**
     * The reason phrase of the status line.
     *
     * @return the phrase, possibly empty
     */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /**
     * The media type of the body.
     *
     * @return the content type, or null for a response without one
     */
    public String contentType() {
        return contentType;
    }

    /**
     * The body.
     *
     * @return a copy of the body bytes
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * The headers added with {@link #withHeader} and {@link #withHeaders}.
     *
     * @return the extra headers
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * The response head: status line, the fixed fields, then the extra headers.
     *
     * @return the head
     */
    public HttpResponseHead responseHead() {
        HttpHeaders.Builder all = HttpHeaders.builder();
        if (contentType != null) {
            all.add("Content-Type", contentType);
        }
        if (hasBody(status)) {
            all.add("Content-Length", Integer.toString(body.length));
        }
        all.add("Connection", headers.contains("Upgrade") ? "Upgrade, close" : "close");
        all.addAll(headers);
        return new HttpResponseHead("HTTP/1.1", status, reasonPhrase, all.build());
    }

    /**
     * The bytes to send.
     *
     * @param includeBody false to leave the body out (the answer to {@code HEAD})
     * @return the head, followed by the body when asked for
     */
    public byte[] toBytes(boolean includeBody) {
        byte[] head = responseHead().toBytes();
        if (!includeBody || body.length == 0) {
            return head;
        }
        byte[] out = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    private static boolean hasBody(int status) {
        return status != 204 && status != 304;
    }

    @Override
    public String toString() {
        return status + " " + reasonPhrase + " (" + body.length + " bytes"
                + (contentType == null ? "" : " of " + contentType) + ")";
    }
}
