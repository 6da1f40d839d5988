package io.tern.bench.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;

/** Netty's native epoll transport, used only when its library loads on this machine. */
final class EpollSupport {

    private EpollSupport() {
    }

    static boolean available() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    static IoHandlerFactory handlerFactory() {
        return EpollIoHandler.newFactory();
    }

    static Class<? extends ServerChannel> serverChannel() {
        return EpollServerSocketChannel.class;
    }
}
