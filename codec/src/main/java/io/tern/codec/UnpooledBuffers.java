package io.tern.codec;

import java.nio.ByteBuffer;

/** {@link BufferPool#unpooled()}: plain heap allocation, nothing kept. */
final class UnpooledBuffers implements BufferPool {

    static final UnpooledBuffers INSTANCE = new UnpooledBuffers();

    private UnpooledBuffers() {
    }

    @Override
    public ByteBuffer acquire(int minCapacity) {
        return ByteBuffer.allocate(minCapacity);
    }

    @Override
    public void release(ByteBuffer buffer) {
        // Nothing is kept: the buffer becomes garbage.
    }
}
