/**
 * Many Tern instances, one set of topics: a pub/sub bridge over Redis ({@code RedisBridge}).
 * The only Tern library module with a third-party runtime dependency, Lettuce, an automatic
 * module named {@code lettuce.core} (its jar's {@code Automatic-Module-Name}); no Lettuce type
 * appears in this module's API, so the requirement is not transitive.
 */
module io.tern.pubsub.redis {
    requires transitive io.tern.pubsub;
    requires lettuce.core;
    requires io.netty.resolver;
    exports io.tern.pubsub.redis;
}
