package io.tern.demo;

/**
 * One chat connection's state, attached at the upgrade: the user name its first {@code join}
 * chose. The name is the connection's pub/sub key, computed once when it first joins a room, so it
 * cannot change afterwards: another name needs another connection.
 *
 * <p>Threading contract: read and written only on the connection's event loop (handler callbacks
 * and the pub/sub key function, which runs there).
 */
final class ChatSession {

    private String name;

    /**
     * The user name.
     *
     * @return the name, or null before the first {@code join}
     */
    String name() {
        return name;
    }

    /**
     * Sets the name at the first {@code join}.
     *
     * @param name a valid name
     */
    void name(String name) {
        this.name = name;
    }
}
