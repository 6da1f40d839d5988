package io.tern.transport.internal;

import io.tern.transport.UpgradeRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The actions the upgrade chain registered for one connection ({@link UpgradeRequest#whenHandshakeEnds},
 * {@link UpgradeRequest#whenClosed}), each run exactly once: the end-of-handshake actions when the
 * handshake ends, the close actions when the connection closes. An action registered after its
 * event runs at once. An action that throws is logged and the others still run.
 *
 * <p>Confined to the connection's loop thread: a registration from another thread is posted to
 * the loop and happens there.
 */
final class HandshakeHooks implements UpgradeRequest.Hooks {

    private final EventLoop loop;
    private List<Runnable> endActions;
    private List<Runnable> closeActions;
    private boolean ended;
    private boolean closed;

    HandshakeHooks(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void whenHandshakeEnds(Runnable action) {
        if (!loop.inLoop()) {
            loop.execute(() -> whenHandshakeEnds(action));
        } else if (ended) {
            runOne(action);
        } else {
            if (endActions == null) {
                endActions = new ArrayList<>(2);
            }
            endActions.add(action);
        }
    }

    @Override
    public void whenClosed(Runnable action) {
        if (!loop.inLoop()) {
            loop.execute(() -> whenClosed(action));
        } else if (closed) {
            runOne(action);
        } else {
            if (closeActions == null) {
                closeActions = new ArrayList<>(2);
            }
            closeActions.add(action);
        }
    }

    /** The handshake ended (101 or refusal written, or the connection gone first); once. */
    void handshakeEnded() {
        if (!ended) {
            ended = true;
            List<Runnable> actions = endActions;
            endActions = null;
            runAll(actions);
        }
    }

    /** The connection closed, upgraded or not; once. */
    void connectionClosed() {
        if (!closed) {
            closed = true;
            List<Runnable> actions = closeActions;
            closeActions = null;
            runAll(actions);
        }
    }

    private static void runAll(List<Runnable> actions) {
        if (actions != null) {
            for (Runnable action : actions) {
                runOne(action);
            }
        }
    }

    private static void runOne(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            Log.log(System.Logger.Level.WARNING, "upgrade hook action threw", e);
        }
    }
}
