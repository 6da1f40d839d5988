package io.tern.codec.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental, strict parser of one HTTP/1.1 request head or response head (RFC 7230 §3).
 *
 * <p>Feed it bytes in pieces of any size with {@link #feed(ByteBuffer)}. It consumes bytes up to
 * and including the empty line that ends the head and never beyond, so whatever follows the
 * head (for instance WebSocket frames sent right behind a 101 response) stays in the buffer.
 * Feeding one byte at a time gives exactly the same outcome as feeding everything at once.
 *
 * <p>Memory is bounded by the configured maximum head size. Errors are reported as a
 * {@link HeadParseError}, never thrown. A parser handles a single head; create a new one for
 * the next message. Not thread-safe.
 */
public final class HttpHeadParser {

    /** Default maximum size of a head in bytes, including all CRLFs and the final empty line. */
    public static final int DEFAULT_MAX_HEAD_BYTES = 8192;

    /** Default maximum number of header field lines. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;

    /** Outcome of {@link #feed(ByteBuffer)}. */
    public enum FeedResult {
        /** The head is not complete yet; every byte offered was consumed. */
        NEED_MORE,
        /** The head is complete; bytes after it were left in the buffer. */
        COMPLETE,
        /** The head is malformed or too large; see {@link #error()}. */
        ERROR
    }

    private static final int CR = '\r';
    private static final int LF = '\n';
    private static final int BAD_REQUEST = 400;
    private static final int HEAD_TOO_LARGE = 431;
    private static final int VERSION_NOT_SUPPORTED = 505;

    private final boolean request;
    private final int maxHeadBytes;
    private final int maxHeaderCount;
    private final HttpHeaders.Builder headers = HttpHeaders.builder();

    private byte[] line;
    private int lineLength;
    private int headBytes;
    private int headerCount;
    private boolean sawCr;
    private boolean startLineDone;

    private String method;
    private String requestTarget;
    private String version;
    private int statusCode;
    private String reasonPhrase;

    private FeedResult result = FeedResult.NEED_MORE;
    private HttpRequestHead requestHead;
    private HttpResponseHead responseHead;
    private HeadParseError error;

    private HttpHeadParser(boolean request, int maxHeadBytes, int maxHeaderCount) {
        if (maxHeadBytes < 1) {
            throw new IllegalArgumentException("maxHeadBytes must be positive: " + maxHeadBytes);
        }
        if (maxHeaderCount < 0) {
            throw new IllegalArgumentException("maxHeaderCount must not be negative: " + maxHeaderCount);
        }
        this.request = request;
        this.maxHeadBytes = maxHeadBytes;
        this.maxHeaderCount = maxHeaderCount;
        this.line = new byte[Math.min(128, maxHeadBytes)];
    }

    /**
     * Creates a parser for a request head with the default limits.
     *
     * @return a new request parser
     */
    public static HttpHeadParser forRequest() {
        return forRequest(DEFAULT_MAX_HEAD_BYTES, DEFAULT_MAX_HEADER_COUNT);
    }

    /**
     * Creates a parser for a request head.
     *
     * @param maxHeadBytes the largest accepted head in bytes, at least 1
     * @param maxHeaderCount the largest accepted number of header lines, at least 0
     * @return a new request parser
     * @throws IllegalArgumentException if a limit is out of range
     */
    public static HttpHeadParser forRequest(int maxHeadBytes, int maxHeaderCount) {
        return new HttpHeadParser(true, maxHeadBytes, maxHeaderCount);
    }

    /**
     * Creates a parser for a response head with the default limits.
     *
     * @return a new response parser
     */
    public static HttpHeadParser forResponse() {
        return forResponse(DEFAULT_MAX_HEAD_BYTES, DEFAULT_MAX_HEADER_COUNT);
    }

    /**
     * Creates a parser for a response head.
     *
     * @param maxHeadBytes the largest accepted head in bytes, at least 1
     * @param maxHeaderCount the largest accepted number of header lines, at least 0
     * @return a new response parser
     * @throws IllegalArgumentException if a limit is out of range
     */
    public static HttpHeadParser forResponse(int maxHeadBytes, int maxHeaderCount) {
        return new HttpHeadParser(false, maxHeadBytes, maxHeaderCount);
    }

    /**
     * Consumes bytes from {@code in} (heap or direct) starting at its position.
     *
     * <p>On {@code NEED_MORE} all remaining bytes were consumed. On {@code COMPLETE} the position
     * is just after the empty line ending the head. On {@code ERROR} the position is just after
     * the offending byte. Once the result is {@code COMPLETE} or {@code ERROR}, further calls
     * consume nothing and return the same result.
     *
     * @param in the bytes to parse
     * @return the parse state after consuming
     */
    public FeedResult feed(ByteBuffer in) {
        Objects.requireNonNull(in, "in");
        while (result == FeedResult.NEED_MORE && in.hasRemaining()) {
            accept(in.get() & 0xFF);
        }
        return result;
    }

    /**
     * Returns the current state.
     *
     * @return the result of the last {@link #feed(ByteBuffer)}, {@code NEED_MORE} initially
     */
    public FeedResult result() {
        return result;
    }

    /**
     * Returns the number of bytes consumed so far.
     *
     * @return the count of consumed bytes
     */
    public int consumedBytes() {
        return headBytes;
    }

    /**
     * Returns the parsed request head.
     *
     * @return the request head
     * @throws IllegalStateException if this is not a request parser or the head is not complete
     */
    public HttpRequestHead requestHead() {
        if (requestHead == null) {
            throw new IllegalStateException(request ? "request head not complete" : "this parser reads responses");
        }
        return requestHead;
    }

    /**
     * Returns the parsed response head.
     *
     * @return the response head
     * @throws IllegalStateException if this is not a response parser or the head is not complete
     */
    public HttpResponseHead responseHead() {
        if (responseHead == null) {
            throw new IllegalStateException(request ? "this parser reads requests" : "response head not complete");
        }
        return responseHead;
    }

    /**
     * Returns the error after {@link FeedResult#ERROR}.
     *
     * @return the error, or null if none occurred
     */
    public HeadParseError error() {
        return error;
    }

    private void accept(int b) {
        if (++headBytes > maxHeadBytes) {
            fail(HEAD_TOO_LARGE, kind() + " head larger than " + maxHeadBytes + " bytes");
        } else if (sawCr) {
            sawCr = false;
            if (b == LF) {
                endOfLine();
            } else {
                fail(BAD_REQUEST, "CR not followed by LF");
            }
        } else if (b == CR) {
            sawCr = true;
        } else if (b == LF) {
            fail(BAD_REQUEST, "LF without preceding CR");
        } else {
            append(b);
        }
    }

    private void append(int b) {
        if (lineLength == line.length) {
            // lineLength < headBytes <= maxHeadBytes, so the new array is always larger
            line = Arrays.copyOf(line, (int) Math.min(2L * line.length, maxHeadBytes));
        }
        line[lineLength++] = (byte) b;
    }

    private void endOfLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        lineLength = 0;
        if (!startLineDone) {
            if (request && text.isEmpty()) {
                return; // RFC 7230 §3.5: ignore empty lines received before the request-line
            }
            startLineDone = true;
            if (request) {
                parseRequestLine(text);
            } else {
                parseStatusLine(text);
            }
        } else if (text.isEmpty()) {
            complete();
        } else if (HttpSyntax.isWhitespace(text.charAt(0))) {
            fail(BAD_REQUEST, "header line starts with whitespace (obsolete line folding)");
        } else if (headerCount == maxHeaderCount) {
            fail(HEAD_TOO_LARGE, kind() + " has more than " + maxHeaderCount + " header fields");
        } else {
            parseHeaderLine(text);
        }
    }

    private void parseRequestLine(String text) {
        int firstSpace = text.indexOf(' ');
        int lastSpace = text.lastIndexOf(' ');
        if (firstSpace < 0 || firstSpace == lastSpace) {
            fail(BAD_REQUEST, "request line is not 'method SP request-target SP HTTP-version'");
            return;
        }
        String m = text.substring(0, firstSpace);
        String target = text.substring(firstSpace + 1, lastSpace);
        String v = text.substring(lastSpace + 1);
        if (!HttpSyntax.isToken(m)) {
            fail(BAD_REQUEST, "invalid method in request line");
        } else if (target.isEmpty()) {
            fail(BAD_REQUEST, "empty request-target in request line");
        } else if (!HttpSyntax.isRequestTarget(target)) {
            fail(BAD_REQUEST, "invalid character in request-target");
        } else if (!HttpSyntax.isHttpVersion(v)) {
            fail(BAD_REQUEST, "malformed HTTP version in request line");
        } else if (!v.equals(HttpSyntax.HTTP_1_1)) {
            fail(VERSION_NOT_SUPPORTED, "HTTP version " + v + " not supported, only HTTP/1.1");
        } else {
            method = m;
            requestTarget = target;
            version = v;
        }
    }

    private void parseStatusLine(String text) {
        // HTTP-version SP 3DIGIT SP reason-phrase: the fixed part is 13 characters long
        if (text.length() < 13 || text.charAt(8) != ' ' || text.charAt(12) != ' ') {
            fail(BAD_REQUEST, "status line is not 'HTTP-version SP status-code SP reason-phrase'");
            return;
        }
        String v = text.substring(0, 8);
        String code = text.substring(9, 12);
        String reason = text.substring(13);
        if (!HttpSyntax.isHttpVersion(v)) {
            fail(BAD_REQUEST, "malformed HTTP version in status line");
        } else if (!HttpSyntax.isDigit(code.charAt(0)) || !HttpSyntax.isDigit(code.charAt(1))
                || !HttpSyntax.isDigit(code.charAt(2)) || code.charAt(0) == '0') {
            fail(BAD_REQUEST, "invalid status code in status line");
        } else if (!HttpSyntax.isText(reason)) {
            fail(BAD_REQUEST, "control character in reason phrase");
        } else {
            version = v;
            statusCode = Integer.parseInt(code);
            reasonPhrase = reason;
        }
    }

    private void parseHeaderLine(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            fail(BAD_REQUEST, "header line without colon");
            return;
        }
        if (colon == 0) {
            fail(BAD_REQUEST, "empty header name");
            return;
        }
        String name = text.substring(0, colon);
        if (HttpSyntax.isWhitespace(name.charAt(name.length() - 1))) {
            fail(BAD_REQUEST, "whitespace between header name and colon");
            return;
        }
        if (!HttpSyntax.isToken(name)) {
            fail(BAD_REQUEST, "invalid character in header name");
            return;
        }
        String value = HttpSyntax.trimOws(text.substring(colon + 1));
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!HttpSyntax.isTextChar(c)) {
                fail(BAD_REQUEST, String.format("control character 0x%02X in value of header %s", (int) c, name));
                return;
            }
        }
        headers.add(name, value);
        headerCount++;
    }

    private void complete() {
        if (request) {
            requestHead = new HttpRequestHead(method, requestTarget, version, headers.build());
        } else {
            responseHead = new HttpResponseHead(version, statusCode, reasonPhrase, headers.build());
        }
        result = FeedResult.COMPLETE;
        line = null;
    }

    private void fail(int status, String reason) {
        error = new HeadParseError(request ? status : HeadParseError.NO_STATUS, reason);
        result = FeedResult.ERROR;
        line = null;
    }

    private String kind() {
        return request ? "request" : "response";
    }
}
