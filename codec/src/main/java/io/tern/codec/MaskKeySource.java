package io.tern.codec;

/**
 * Supplies the 32-bit mask keys that a client puts on every frame it sends.
 *
 * <p>RFC 6455 §5.3 and §10.3 require each key to be freshly chosen and unpredictable to the
 * application that provides the payload, so the default, {@link #secure()}, draws keys from a
 * strong entropy source. Tests may supply fixed keys through this interface to reproduce exact
 * bytes.
 */
@FunctionalInterface
public interface MaskKeySource {

    /**
     * Returns the next mask key, first wire byte most significant.
     *
     * @return a mask key
     */
    int nextMaskKey();

    /**
     * Creates a source of unpredictable keys drawn in batches from {@link java.security.SecureRandom}.
     * The returned source is not thread-safe: give each event loop (or thread) its own.
     *
     * @return a new secure key source
     */
    static MaskKeySource secure() {
        return new SecureMaskKeySource();
    }
}
