package io.tern.demo;

import java.time.Clock;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The limits of the chat route ({@code /chat}) and the clocks it reads, documented in the README's
 * "The chat demo" section. Immutable.
 *
 * @param maxMessageBytes     largest inbound WebSocket message (and frame), in bytes; a bigger one
 *                            closes the connection with 1009 (RFC 6455 §7.4.1)
 * @param maxTextChars        longest chat or direct text, in Unicode code points; longer gets the
 *                            error {@code text-too-long}
 * @param maxNameChars        longest user name, in code points
 * @param maxRoomChars        longest room name, in code points
 * @param maxRoomsPerConnection rooms one connection may be in at once; one more gets
 *                            {@code too-many-rooms}
 * @param replyRatePerSecond  sustained messages a second before a message is refused with the error
 *                            {@code rate-limited} (the message is dropped, the connection stays)
 * @param replyBurst          messages at once before that refusal
 * @param closeRatePerSecond  sustained messages a second before the connection is closed with 1008
 *                            (a flood: counted before the refusal above, so refused messages count)
 * @param closeBurst          messages at once before that close
 * @param closeBytesPerSecond sustained payload bytes a second before the 1008 close
 * @param closeBurstBytes     payload bytes at once before the 1008 close
 * @param rateClock           monotonic nanoseconds the rate limits refill by (a fake clock in tests)
 * @param wallClock           the clock stamping chat messages with their {@code time}
 */
record ChatLimits(int maxMessageBytes, int maxTextChars, int maxNameChars, int maxRoomChars,
                         int maxRoomsPerConnection, double replyRatePerSecond, double replyBurst,
                         double closeRatePerSecond, double closeBurst, double closeBytesPerSecond,
                         double closeBurstBytes, LongSupplier rateClock, Clock wallClock) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a size or count is below 1, a message cannot hold the
     *     longest text, or a rate is not above 0
     * @throws NullPointerException if a clock is null
     */
    ChatLimits {
        Objects.requireNonNull(rateClock, "rateClock");
        Objects.requireNonNull(wallClock, "wallClock");
        if (maxTextChars < 1 || maxNameChars < 1 || maxRoomChars < 1 || maxRoomsPerConnection < 1) {
            throw new IllegalArgumentException("text, name, room and rooms-per-connection limits must be at least 1");
        }
        if (maxMessageBytes < 125) {
            throw new IllegalArgumentException("the message limit must be at least 125 bytes: " + maxMessageBytes);
        }
        if (!(replyRatePerSecond > 0) || !(closeRatePerSecond > 0) || !(closeBytesPerSecond > 0)
                || !(replyBurst >= 1) || !(closeBurst >= 1) || !(closeBurstBytes >= 1)) {
            throw new IllegalArgumentException("rates must be above 0 and bursts at least 1");
        }
    }

    /**
     * The defaults: messages up to 4 KiB, texts up to 1000 code points, names up to 24, rooms up to
     * 32, 8 rooms per connection; 5 messages a second with bursts of 10 before {@code rate-limited},
     * 30 a second with bursts of 60 (or 32 KiB a second with bursts of 64 KiB) before the 1008
     * close; the system clocks.
     *
     * @return the default limits
     */
    static ChatLimits defaults() {
        return new ChatLimits(4096, 1000, 24, 32, 8, 5, 10, 30, 60, 32 * 1024, 64 * 1024,
                System::nanoTime, Clock.systemUTC());
    }

    /**
     * Returns a copy whose rate limits refill by another clock.
     *
     * @param nanos monotonic nanoseconds, read on the loop threads once per message
     * @return the changed copy
     */
    ChatLimits withRateClock(LongSupplier nanos) {
        return new ChatLimits(maxMessageBytes, maxTextChars, maxNameChars, maxRoomChars, maxRoomsPerConnection,
                replyRatePerSecond, replyBurst, closeRatePerSecond, closeBurst, closeBytesPerSecond, closeBurstBytes,
                nanos, wallClock);
    }

    /**
     * Returns a copy whose messages are stamped by another clock.
     *
     * @param clock the clock
     * @return the changed copy
     */
    ChatLimits withWallClock(Clock clock) {
        return new ChatLimits(maxMessageBytes, maxTextChars, maxNameChars, maxRoomChars, maxRoomsPerConnection,
                replyRatePerSecond, replyBurst, closeRatePerSecond, closeBurst, closeBytesPerSecond, closeBurstBytes,
                rateClock, clock);
    }
}
