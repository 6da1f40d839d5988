package io.tern.codec.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tern.codec.deflate.DeflateOptions;
import io.tern.codec.deflate.PerMessageDeflate;
import io.tern.codec.handshake.ClientHandshake;
import io.tern.codec.handshake.ClientHandshakeResult;
import io.tern.codec.handshake.HandshakeAcceptance;
import io.tern.codec.handshake.HandshakeRejection;
import io.tern.codec.handshake.HeadParseError;
import io.tern.codec.handshake.HttpHeadParser;
import io.tern.codec.handshake.HttpRequestHead;
import io.tern.codec.handshake.HttpResponseHead;
import io.tern.codec.handshake.ServerHandshake;
import io.tern.codec.handshake.ServerHandshakeResult;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * Fuzz targets for the HTTP head parser and the opening handshake, both sides.
 *
 * <p>Server: every input ends in an accepted upgrade (101) or a rejection with 400, 405, 426, 431
 * or 505, never an exception; the head is never longer than the limit (a longer one fails with
 * 431 at the first byte past it); the outcome and the bytes consumed do not depend on the split; a
 * parsed head printed and parsed again is the same head; an accepted request's 101 response is
 * accepted by a Tern client using the same key and subprotocols.
 *
 * <p>Client: every response ends in success or a failure with a reason, never an exception; on
 * success it was a 101 with the right {@code Sec-WebSocket-Accept}; a permessage-deflate answer is
 * checked without an exception.
 *
 * <p>Input layout: see {@link FuzzInput}. Flags: bits 0-1 the head-size limit (8192, 64, 300 or
 * 1024 bytes); bit 2 direct buffers.
 */
class HandshakeFuzzTest {

    private static final int[] HEAD_LIMITS = {HttpHeadParser.DEFAULT_MAX_HEAD_BYTES, 64, 300, 1024};
    private static final Set<Integer> REJECTIONS = Set.of(400, 405, 426, 431, 505);
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    record Parsed(HttpHeadParser.FeedResult result, int consumed, HeadParseError error, Object head) {
    }

    static Parsed parse(FuzzInput in, boolean request, FuzzInput.Split split) {
        int limit = HEAD_LIMITS[in.flags & 3];
        HttpHeadParser parser = request ? HttpHeadParser.forRequest(limit, HttpHeadParser.DEFAULT_MAX_HEADER_COUNT)
                : HttpHeadParser.forResponse(limit, HttpHeadParser.DEFAULT_MAX_HEADER_COUNT);
        int at = 0;
        long consumed = 0;
        HttpHeadParser.FeedResult result = HttpHeadParser.FeedResult.NEED_MORE;
        for (int n : in.lengths(in.body.length, split)) {
            ByteBuffer chunk = FuzzInput.guarded(in.body, at, n, in.flag(2));
            result = parser.feed(chunk);
            int used = FuzzInput.checkGuarded(chunk, n);
            consumed += used;
            at += n;
            if (result != HttpHeadParser.FeedResult.NEED_MORE) {
                break;
            }
            assertEquals(n, used, "NEED_MORE consumes everything");
        }
        assertEquals(consumed, parser.consumedBytes());
        assertTrue(consumed <= limit + 1, consumed + " bytes consumed for a limit of " + limit);
        Object head = null;
        switch (result) {
            case COMPLETE -> {
                assertTrue(consumed <= limit, "a head of " + consumed + " bytes passed a limit of " + limit);
                head = request ? parser.requestHead() : parser.responseHead();
            }
            case ERROR -> {
                HeadParseError error = parser.error();
                assertNotNull(error);
                if (request) {
                    assertTrue(Set.of(400, 431, 505).contains(error.status()), "status " + error.status());
                    assertEquals(error.status() == 431, consumed == limit + 1, "431 exactly when the limit is passed");
                } else {
                    assertEquals(HeadParseError.NO_STATUS, error.status());
                }
            }
            default -> assertEquals(in.body.length, consumed);
        }
        return new Parsed(result, (int) consumed, parser.error(), head);
    }

    @FuzzTest(maxDuration = "5m")
    void serverHandshake(byte[] data) {
        FuzzInput in = FuzzInput.parse(data);
        Parsed whole = parse(in, true, FuzzInput.Split.WHOLE);
        assertSame(whole, parse(in, true, FuzzInput.Split.CHOSEN));
        assertSame(whole, parse(in, true, FuzzInput.Split.BYTEWISE));
        if (whole.result != HttpHeadParser.FeedResult.COMPLETE) {
            return;
        }
        HttpRequestHead request = (HttpRequestHead) whole.head;
        // Printed and parsed again, the head is the same.
        byte[] printed = request.toBytes();
        HttpHeadParser again = HttpHeadParser.forRequest(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(HttpHeadParser.FeedResult.COMPLETE, again.feed(ByteBuffer.wrap(printed)), "reparse of a printed head");
        HttpRequestHead reparsed = again.requestHead();
        assertEquals(request.method(), reparsed.method());
        assertEquals(request.requestTarget(), reparsed.requestTarget());
        assertEquals(request.version(), reparsed.version());
        assertEquals(request.headers(), reparsed.headers());

        ServerHandshakeResult outcome = ServerHandshake.supporting(List.of("chat", "superchat")).handle(request);
        if (outcome instanceof HandshakeRejection rejection) {
            assertTrue(REJECTIONS.contains(rejection.status()), "rejected with " + rejection.status());
            assertTrue(!rejection.message().isEmpty(), "a rejection says why");
            assertTrue(rejection.toBytes().length > 0);
            return;
        }
        HandshakeAcceptance acceptance = (HandshakeAcceptance) outcome;
        assertEquals(101, acceptance.status());
        // A Tern client with the same key and subprotocols accepts the 101 response.
        String key = request.headers().first("Sec-WebSocket-Key");
        List<String> offered = request.headers().tokens("Sec-WebSocket-Protocol");
        ClientHandshake client = ClientHandshake.builder(URI.create("ws://example.com/")).key(key)
                .subprotocols(offered).build();
        HttpHeadParser response = HttpHeadParser.forResponse();
        assertEquals(HttpHeadParser.FeedResult.COMPLETE, response.feed(ByteBuffer.wrap(acceptance.toBytes())));
        ClientHandshakeResult checked = client.validate(response.responseHead());
        assertTrue(checked.isSuccess(), "client refused the server's 101: " + checked.failureReason());
        assertEquals(acceptance.subprotocol(), checked.subprotocol());
    }

    @FuzzTest(maxDuration = "5m")
    void clientHandshake(byte[] data) {
        FuzzInput in = FuzzInput.parse(data);
        Parsed whole = parse(in, false, FuzzInput.Split.WHOLE);
        assertSame(whole, parse(in, false, FuzzInput.Split.CHOSEN));
        assertSame(whole, parse(in, false, FuzzInput.Split.BYTEWISE));
        if (whole.result != HttpHeadParser.FeedResult.COMPLETE) {
            return;
        }
        HttpResponseHead head = (HttpResponseHead) whole.head;
        HttpHeadParser again = HttpHeadParser.forResponse(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(HttpHeadParser.FeedResult.COMPLETE, again.feed(ByteBuffer.wrap(head.toBytes())), "reparse of a printed head");
        assertEquals(head, again.responseHead());
        assertArrayEquals(head.toBytes(), again.responseHead().toBytes());

        DeflateOptions options = DeflateOptions.defaults();
        ClientHandshake client = ClientHandshake.builder(URI.create("ws://example.com/chat")).key(KEY)
                .subprotocols("chat", "superchat").extensions(List.of(PerMessageDeflate.offer(options))).build();
        ClientHandshakeResult result = client.validate(head);
        if (!result.isSuccess()) {
            assertTrue(result.failureReason() != null && !result.failureReason().isEmpty());
            return;
        }
        assertEquals(101, head.statusCode());
        assertEquals(List.of("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), head.headers().all("Sec-WebSocket-Accept"));
        assertTrue(result.subprotocol() == null || List.of("chat", "superchat").contains(result.subprotocol()));
        PerMessageDeflate.ClientOutcome deflate = PerMessageDeflate.accept(result.extensions(), options);
        assertTrue(!(deflate.failed() && deflate.negotiated()), "a permessage-deflate answer both failed and agreed");
    }

    private static void assertSame(Parsed expected, Parsed actual) {
        assertEquals(expected.result, actual.result, "result depends on the split");
        assertEquals(expected.consumed, actual.consumed, "consumed bytes depend on the split");
        assertEquals(expected.error, actual.error, "error depends on the split");
        if (expected.head instanceof HttpRequestHead a) {
            HttpRequestHead b = (HttpRequestHead) actual.head;
            assertArrayEquals(a.toBytes(), b.toBytes(), "head depends on the split");
        } else if (expected.head instanceof HttpResponseHead a) {
            assertEquals(a, actual.head, "head depends on the split");
        }
    }
}
