package io.tern.transport.internal;

import io.tern.codec.MessageListener;
import io.tern.transport.ConnectionListener;
import io.tern.transport.MessageInterceptor;
import io.tern.transport.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Calls the application: the codec's events become handler callbacks, inbound data passes the
 * connection's {@link MessageInterceptor}s first, and open/close reach the
 * {@link ConnectionListener}s. Every handler callback goes through {@link #call} — one try/catch:
 * whatever a handler throws (an {@link Error} included) fails only its own connection with 1011.
 *
 * <p>Threading contract: loop thread only.
 */
final class InboundDispatch implements MessageListener {

    static final int OPEN = 0;
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int PING = 3;
    static final int PONG = 4;
    static final int DRAIN = 5;
    private static final MessageInterceptor[] NONE = new MessageInterceptor[0];
    private static final ConnectionListener[] NO_LISTENERS = new ConnectionListener[0];

    private final Connection c;
    private final WebSocketHandler<Object> handler;
    private final List<MessageInterceptor.Factory> factories;
    private ConnectionListener[] listeners;
    private MessageInterceptor[] interceptors = NONE;

    InboundDispatch(Connection c, WebSocketHandler<Object> handler, List<MessageInterceptor.Factory> factories,
                    List<ConnectionListener> listeners) {
        this.c = c;
        this.handler = handler;
        this.factories = factories;
        this.listeners = listeners.isEmpty() ? NO_LISTENERS : listeners.toArray(new ConnectionListener[0]);
    }

    /** Adds a listener for this connection alone, told of the close after those configured. */
    void addCloseListener(ConnectionListener listener) {
        listeners = java.util.Arrays.copyOf(listeners, listeners.length + 1);
        listeners[listeners.length - 1] = listener;
    }

    /** Makes the connection's interceptors; inside the one try/catch, so a failing factory means 1011. */
    private void createInterceptors() {
        if (factories.isEmpty()) {
            return;
        }
        MessageInterceptor[] made = new MessageInterceptor[factories.size()];
        for (int i = 0; i < made.length; i++) {
            made[i] = factories.get(i).create(c.socket);
        }
        interceptors = made;
    }

    /**
     * Calls one handler callback; a throw fails the connection with 1011.
     *
     * @param event one of the event constants
     * @param data  the payload, for data and control events
     * @param last  whether a data event ends its message
     */
    void call(int event, ByteBuffer data, boolean last) {
        try {
            switch (event) {
                case OPEN:
                    createInterceptors();
                    handler.onOpen(c.socket);
                    for (ConnectionListener l : listeners) {
                        l.onOpen(c.socket);
                    }
                    break;
                case TEXT:
                    handler.onText(c.socket, data, last);
                    break;
                case BINARY:
                    handler.onBinary(c.socket, data, last);
                    break;
                case PING:
                    handler.onPing(c.socket, data);
                    break;
                case PONG:
                    handler.onPong(c.socket, data);
                    break;
                default:
                    handler.onDrain(c.socket);
                    break;
            }
        } catch (Throwable t) {
            c.handlerFailed(t);
        }
    }

    /** Tells the handler of an error; a throw is logged and ignored (the connection is closing). */
    void error(Throwable error) {
        try {
            handler.onError(c.socket, error);
        } catch (Throwable t) {
            Log.log(System.Logger.Level.WARNING, "onError threw", t);
        }
    }

    /** Reports the close to the handler and every listener; none can keep the others from hearing. */
    void closed(int code, String reason, boolean clean) {
        try {
            handler.onClose(c.socket, code, reason, clean);
        } catch (Throwable t) {
            Log.log(System.Logger.Level.WARNING, "onClose threw", t);
        }
        for (ConnectionListener l : listeners) {
            try {
                l.onClose(c.socket, code, reason, clean);
            } catch (Throwable t) {
                Log.log(System.Logger.Level.WARNING, "a connection listener's onClose threw", t);
            }
        }
    }

    // ------------------------------------------------------------------ codec events

    @Override
    public void onText(ByteBuffer utf8, boolean last) {
        intercepted(TEXT, utf8, last);
    }

    @Override
    public void onBinary(ByteBuffer data, boolean last) {
        intercepted(BINARY, data, last);
    }

    private void intercepted(int event, ByteBuffer payload, boolean last) {
        ByteBuffer data = payload;
        try {
            for (MessageInterceptor i : interceptors) {
                data = i.onMessage(c.socket, event == TEXT, data, last);
                if (data == null) {
                    return;
                }
            }
        } catch (Throwable t) {
            c.handlerFailed(t);
            return;
        }
        call(event, data, last);
    }

    @Override
    public void onPing(ByteBuffer payload) {
        c.pingReceived(payload);
        call(PING, payload, true);
    }

    @Override
    public void onPong(ByteBuffer payload) {
        c.pongReceived();
        call(PONG, payload, true);
    }

    @Override
    public void onClose(int code, String reason) {
        c.closeReceived(code, reason);
    }
}
