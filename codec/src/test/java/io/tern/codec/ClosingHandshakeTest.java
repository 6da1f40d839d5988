package io.tern.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClosingHandshakeTest {

    @Test
    void locallyInitiated() {
        ClosingHandshake h = new ClosingHandshake();
        assertEquals(ClosingHandshake.State.OPEN, h.state());
        assertFalse(h.isCloseSent());
        h.closeSent(1000);
        assertEquals(ClosingHandshake.State.CLOSE_SENT, h.state());
        assertTrue(h.isCloseSent());
        assertFalse(h.mustReply());
        h.closeReceived(1000, "ok");
        assertEquals(ClosingHandshake.State.CLOSED, h.state());
        assertTrue(h.isClean());
        assertTrue(h.initiatedLocally());
        assertTrue(h.isCloseSent());
        assertEquals(1000, h.sentCode());
        assertEquals("ok", h.receivedReason());
    }

    @Test
    void remotelyInitiatedEchoesTheCode() {
        ClosingHandshake h = new ClosingHandshake();
        h.closeReceived(4001, "");
        assertEquals(ClosingHandshake.State.CLOSE_RECEIVED, h.state());
        assertTrue(h.mustReply());
        assertEquals(4001, h.replyCode());
        h.closeSent(h.replyCode());
        assertTrue(h.isClosed());
        assertTrue(h.isClean());
        assertFalse(h.initiatedLocally());
    }

    @Test
    void emptyCloseIsAnsweredWithAnEmptyClose() {
        ClosingHandshake h = new ClosingHandshake();
        h.closeReceived(CloseCodes.NO_STATUS_RECEIVED, "");
        assertEquals(CloseCodes.NO_STATUS_RECEIVED, h.replyCode());
    }

    @Test
    void abortIsNotClean() {
        ClosingHandshake h = new ClosingHandshake();
        h.closeSent(1000);
        h.abort();
        assertTrue(h.isClosed());
        assertFalse(h.isClean());
        assertTrue(h.isCloseSent(), "a close frame did go out before the abort");
        ClosingHandshake never = new ClosingHandshake();
        never.abort();
        assertFalse(never.isCloseSent());
    }

    @Test
    void secondCloseEitherWayIsAProgrammingError() {
        ClosingHandshake h = new ClosingHandshake();
        h.closeSent(1000);
        assertThrows(IllegalStateException.class, () -> h.closeSent(1000));
        ClosingHandshake r = new ClosingHandshake();
        r.closeReceived(1000, "");
        assertThrows(IllegalStateException.class, () -> r.closeReceived(1000, ""));
    }

    @Test
    void serverClosesTcpFirst() {
        assertTrue(ClosingHandshake.closesTcpFirst(Role.SERVER));
        assertFalse(ClosingHandshake.closesTcpFirst(Role.CLIENT));
    }
}
