package io.tern.transport.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A port that is taken: {@code start()} throws a {@link BindException} whose message names the
 * address and port (the JDK's says only "Address already in use"), leaves no loop thread and
 * nothing bound behind, and can be called again once the port is free.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BindFailureTest {

    @Test
    void aTakenPortIsNamedAndTheServerCanStartOnceItIsFree() throws Exception {
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        int port = taken.getLocalPort();
        int loopsBefore = Support.threads("tern-server-loop-").size();
        WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", port).loops(2)
                .route("/echo", new WebSocketHandler<Void>() { }).build();
        try {
            BindException e = assertThrows(BindException.class, server::start);
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + port + ": "), e.getMessage());
            assertFalse(server.hasLiveLoops(), "no loop runs for a server that did not start");
            assertEquals(loopsBefore, Support.threads("tern-server-loop-").size());
            taken.close();
            server.start();
            assertEquals(port, server.port());
        } finally {
            taken.close();
            assertTrue(server.shutdown(Duration.ofSeconds(5)));
        }
    }
}
