package io.tern.autobahn.catalogue.big;

/**
 * The 18 message series of every sub-group of groups 12 and 13: (payload length, message count,
 * case time bound in seconds, auto-fragment size), in case order. Lengths are characters for text
 * corpora and bytes for binary ones.
 */
final class CompressionSizes {

    static final int[][] SERIES = {
        {16, 1000, 60, 0}, {64, 1000, 60, 0}, {256, 1000, 120, 0}, {1024, 1000, 240, 0}, {4096, 1000, 480, 0},
        {8192, 1000, 480, 0}, {16384, 1000, 480, 0}, {32768, 1000, 480, 0}, {65536, 1000, 480, 0},
        {131072, 1000, 480, 0},
        {8192, 1000, 480, 256}, {16384, 1000, 480, 256}, {32768, 1000, 480, 256}, {65536, 1000, 480, 256},
        {131072, 1000, 480, 256}, {131072, 1000, 480, 1024}, {131072, 1000, 480, 4096}, {131072, 1000, 480, 32768},
    };

    private CompressionSizes() {
    }
}
