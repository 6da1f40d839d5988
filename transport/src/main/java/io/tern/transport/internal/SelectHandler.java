package io.tern.transport.internal;

import java.nio.channels.SelectionKey;

/**
 * What a selection key is attached to: reacts to its channel's readiness on the loop thread.
 *
 * <p>Confined to the thread of the loop whose selector holds the key.
 */
interface SelectHandler {

    /**
     * The key's channel is ready for some of its interest operations.
     *
     * @param key the selected key
     */
    void onSelect(SelectionKey key);

    /**
     * Something thrown from {@link #onSelect} reached the loop; the handler must release its
     * channel. Should never throw; if it does, the loop calls {@link #abandon} instead.
     *
     * @param error what was thrown
     */
    void onLoopError(Throwable error);

    /**
     * Last resort, when {@link #onLoopError} itself threw (typically because logging failed as
     * well): release the channel without logging or calling application code. The default
     * cancels the key and closes its channel. Never throws.
     *
     * @param key the key this handler is attached to
     */
    default void abandon(SelectionKey key) {
        try {
            key.cancel();
            key.channel().close();
        } catch (Throwable ignored) {
            // nothing left to try: the channel is as closed as it can be made
        }
    }
}
