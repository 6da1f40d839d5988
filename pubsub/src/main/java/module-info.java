/**
 * Tern's pub/sub layer: topics whose subscribers are kept per event loop, publish framed once and
 * fanned out with one task per loop, presence, and sends by connection id or key. Exports the API
 * package; the per-loop structures stay internal.
 */
module io.tern.pubsub {
    requires transitive io.tern.transport;
    exports io.tern.pubsub;
}
