package io.tern.transport;

import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * TLS for a listening address of a {@link WebSocketServer} ({@code wss://} served) or for the
 * {@code wss://} connections of a {@link WebSocketClient}, with the JDK's {@code SSLEngine}.
 *
 * <p>What it holds: the {@link SSLContext} engines are made from (its key managers give the
 * server's certificate, its trust managers decide which certificates a client accepts); an
 * optional customiser of each engine's {@link SSLParameters} (protocols such as TLS 1.2 and 1.3,
 * cipher suites, client authentication); the {@link Executor} that runs the engine's delegated
 * tasks (the expensive steps of a handshake: key exchange, signatures, certificate checks) away
 * from the event loop; and, for a client, whether the server's host name is verified (on by
 * default, with the rules of HTTPS, RFC 2818 §3.1 / RFC 6125, through
 * {@link SSLParameters#setEndpointIdentificationAlgorithm(String)}).
 *
 * <pre>{@code
 * SSLContext context = ...; // KeyManagerFactory over a PKCS#12 key store
 * WebSocketServer.builder().address("0.0.0.0", 443).tls(TlsSettings.of(context))...
 * WebSocketClient.create(1, TlsSettings.of(trustingContext))
 * }</pre>
 *
 * <p>Immutable and thread-safe; the customiser is called on an event loop thread, once per new
 * connection, with a fresh {@code SSLParameters} it may change freely, and must not block. The
 * default task executor is one small pool of daemon threads shared by every server and client of
 * the process (as many threads as processors, each ended after 30 s without work).
 */
public final class TlsSettings {

    private static final Consumer<SSLParameters> NO_CHANGE = p -> { };

    private final SSLContext context;
    private final Consumer<SSLParameters> parameters;
    private final Executor taskExecutor;
    private final boolean hostnameVerification;

    private TlsSettings(SSLContext context, Consumer<SSLParameters> parameters, Executor taskExecutor,
                        boolean hostnameVerification) {
        this.context = context;
        this.parameters = parameters;
        this.taskExecutor = taskExecutor;
        this.hostnameVerification = hostnameVerification;
    }

    /**
     * TLS with the given context, the engine's default parameters, the shared task executor and,
     * for a client, host name verification.
     *
     * @param context an initialised context; a server's needs a key manager with its certificate
     * @return the settings
     */
    public static TlsSettings of(SSLContext context) {
        return new TlsSettings(Objects.requireNonNull(context, "context"), NO_CHANGE, null, true);
    }

    /**
     * Client TLS with the JDK's default context ({@link SSLContext#getDefault()}: the JDK's trusted
     * certificate authorities, or those named by the {@code javax.net.ssl.trustStore} property).
     *
     * @return the settings
     * @throws IllegalStateException if the default context cannot be made
     */
    public static TlsSettings systemDefault() {
        try {
            return of(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK's default SSLContext is not available: " + e.getMessage(), e);
        }
    }

    /**
     * Sets a customiser of each engine's parameters, called after Tern has set its own (client
     * mode, server name, host name verification): e.g. {@code p -> p.setProtocols(new String[]
     * {"TLSv1.3"})} or {@code p -> p.setNeedClientAuth(true)}.
     *
     * @param customiser changes the parameters in place; runs on a loop thread, must not block
     * @return new settings
     */
    public TlsSettings withParameters(Consumer<SSLParameters> customiser) {
        return new TlsSettings(context, Objects.requireNonNull(customiser, "customiser"), taskExecutor, hostnameVerification);
    }

    /**
     * Sets the executor that runs the engine's delegated tasks (default: a small pool shared by
     * the process). Each connection has at most one batch of tasks at a time; the connection waits
     * for it without holding up its loop.
     *
     * @param executor the executor; must not run tasks on the calling thread (an event loop)
     * @return new settings
     */
    public TlsSettings withTaskExecutor(Executor executor) {
        return new TlsSettings(context, parameters, Objects.requireNonNull(executor, "executor"), hostnameVerification);
    }

    /**
     * Turns the client's host name verification on (the default) or off. Off, any certificate
     * the trust managers accept is taken whatever name it carries: for tests only.
     *
     * @param enabled whether the server's certificate must name the host of the URI
     * @return new settings
     */
    public TlsSettings withHostnameVerification(boolean enabled) {
        return new TlsSettings(context, parameters, taskExecutor, enabled);
    }

    /**
     * The context engines are made from.
     *
     * @return the context
     */
    public SSLContext context() {
        return context;
    }

    /**
     * The customiser of each engine's parameters.
     *
     * @return the customiser (a no-op by default)
     */
    public Consumer<SSLParameters> parameters() {
        return parameters;
    }

    /**
     * The executor of delegated tasks.
     *
     * @return the configured executor, or the shared default
     */
    public Executor taskExecutor() {
        return taskExecutor != null ? taskExecutor : SharedTasks.EXECUTOR;
    }

    /**
     * Whether a client verifies the server's host name.
     *
     * @return {@code true} unless turned off
     */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** The default executor, made on first use. */
    private static final class SharedTasks {
        static final Executor EXECUTOR;

        static {
            AtomicInteger count = new AtomicInteger();
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "tern-tls-task-" + count.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            EXECUTOR = pool;
        }
    }
}
