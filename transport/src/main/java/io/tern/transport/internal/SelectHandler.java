package io.tern.transport.internal;

import java.nio.channels.SelectionKey;

/** What a selection key is attached to: reacts to its channel's readiness on the loop thread. */
interface SelectHandler {

    /**
     * The key's channel is ready for some of its interest operations.
     *
     * @param key the selected key
     */
    void onSelect(SelectionKey key);

    /**
     * Something thrown from {@link #onSelect} reached the loop; the handler must release its
     * channel. Never throws.
     *
     * @param error what was thrown
     */
    void onLoopError(Throwable error);
}
