package io.tern.codec;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * Mask keys from {@link SecureRandom}, drawn 256 at a time.
 *
 * <p>One call into {@code SecureRandom} per key would put a synchronized, comparatively slow call
 * on every client frame; drawing a kilobyte at once makes the per-frame cost an array read. The
 * batch is refilled when it runs out, so keys never repeat a batch. Not thread-safe: one instance
 * per event loop or thread.
 */
final class SecureMaskKeySource implements MaskKeySource {

    private static final int BATCH = 256;

    private final SecureRandom random = new SecureRandom();
    private final byte[] bytes = new byte[BATCH * Integer.BYTES];
    private final ByteBuffer view = ByteBuffer.wrap(bytes);
    private int next = BATCH;

    @Override
    public int nextMaskKey() {
        if (next == BATCH) {
            random.nextBytes(bytes);
            next = 0;
        }
        return view.getInt(next++ * Integer.BYTES);
    }
}
