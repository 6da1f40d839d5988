package io.tern.pubsub.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bridge runs as a named JPMS module on the module path, with Lettuce as the automatic module
 * {@code lettuce.core}: what an embedder with a modular application gets.
 */
class ModuleTest {

    @Test
    void theBridgeIsANamedModuleThatReadsLettuceAsAnAutomaticModule() {
        Module bridge = RedisBridge.class.getModule();
        Module lettuce = RedisClient.class.getModule();
        assertEquals("io.tern.pubsub.redis", bridge.getName());
        assertEquals("lettuce.core", lettuce.getName());
        assertTrue(lettuce.getDescriptor().isAutomatic());
        assertTrue(bridge.canRead(lettuce));
        assertEquals(Set.of("io.tern.pubsub.redis"), bridge.getDescriptor().exports().stream()
                .map(java.lang.module.ModuleDescriptor.Exports::source).collect(java.util.stream.Collectors.toSet()));
    }
}
