package io.tern.demo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * The chat's JSON protocol: reads what a client sends into a {@link Command} (checking every
 * field, so the handler only sees well-formed commands) and writes what the server sends. The
 * README's "The chat demo" section is its specification.
 *
 * <p>Threading: immutable once built; safe from any thread (Jackson's {@link ObjectMapper} is
 * thread-safe after configuration).
 */
final class ChatProtocol {

    /** Error codes the server sends in {@code {"type":"error","code":...}}. */
    static final String EMPTY = "empty";
    static final String BINARY = "binary";
    static final String BAD_JSON = "bad-json";
    static final String BAD_REQUEST = "bad-request";
    static final String UNKNOWN_TYPE = "unknown-type";
    static final String BAD_NAME = "bad-name";
    static final String BAD_ROOM = "bad-room";
    static final String EMPTY_TEXT = "empty-text";
    static final String TEXT_TOO_LONG = "text-too-long";
    static final String NAME_MISMATCH = "name-mismatch";
    static final String TOO_MANY_ROOMS = "too-many-rooms";
    static final String UNKNOWN_ROOM = "unknown-room";
    static final String UNKNOWN_USER = "unknown-user";
    static final String RATE_LIMITED = "rate-limited";

    /** Letters, digits, {@code _ . -}, with single spaces between words. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_.-]+(?: [\\p{L}\\p{N}_.-]+)*");
    /** Letters, digits, {@code _ . -}. */
    private static final Pattern ROOM = Pattern.compile("[\\p{L}\\p{N}_.-]+");

    /** What a client asked for; {@link Invalid} when it cannot be done as sent. */
    sealed interface Command permits Join, Leave, Say, Direct, Invalid {
    }

    /**
     * {@code join}: enter a room under a name.
     *
     * @param room the room
     * @param name the user name
     */
    record Join(String room, String name) implements Command {
    }

    /**
     * {@code leave}: leave a room.
     *
     * @param room the room
     */
    record Leave(String room) implements Command {
    }

    /**
     * {@code message}: say something to a room.
     *
     * @param room the room
     * @param text the text
     */
    record Say(String room, String text) implements Command {
    }

    /**
     * {@code direct}: say something to one member of a room (every tab of that user).
     *
     * @param room the room both are in
     * @param to   the member's name
     * @param text the text
     */
    record Direct(String room, String to, String text) implements Command {
    }

    /**
     * A request that is refused, with the error to send back.
     *
     * @param code    the error code
     * @param reason  what was wrong, for people
     * @param request the request's {@code type} when it had a valid one, else null
     */
    record Invalid(String code, String reason, String request) implements Command {
    }

    private final ChatLimits limits;
    private final ObjectMapper mapper;

    ChatProtocol(ChatLimits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads one text message.
     *
     * @param utf8 the message, valid UTF-8 (the transport checked it), position to limit; read,
     *             not kept
     * @return the command, or {@link Invalid} with the error to send back
     */
    Command read(ByteBuffer utf8) {
        if (!utf8.hasRemaining()) {
            return new Invalid(EMPTY, "empty message: send a JSON object such as {\"type\":\"join\",...}", null);
        }
        byte[] bytes = new byte[utf8.remaining()];
        utf8.duplicate().get(bytes);
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            return new Invalid(BAD_JSON, "not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            return new Invalid(BAD_JSON, "not valid JSON", null);
        }
        if (tree == null || !tree.isObject()) {
            return new Invalid(BAD_JSON, "the message must be a JSON object", null);
        }
        JsonNode type = tree.get("type");
        if (type == null || !type.isTextual()) {
            return new Invalid(BAD_REQUEST, "\"type\" must be a string: join, leave, message or direct", null);
        }
        String t = type.textValue();
        switch (t) {
            case "join":
                return join(tree);
            case "leave":
                return leave(tree);
            case "message":
                return say(tree);
            case "direct":
                return direct(tree);
            default:
                return new Invalid(UNKNOWN_TYPE, "unknown type \"" + clip(t) + "\": use join, leave, message or direct", null);
        }
    }

    private Command join(JsonNode tree) {
        Invalid bad = room(tree, "join");
        if (bad != null) {
            return bad;
        }
        String name = string(tree, "name");
        if (name == null) {
            return new Invalid(BAD_REQUEST, "\"name\" must be a string", "join");
        }
        if (!NAME.matcher(name).matches() || name.codePointCount(0, name.length()) > limits.maxNameChars()) {
            return new Invalid(BAD_NAME, "a name has 1 to " + limits.maxNameChars()
                    + " letters, digits, '_', '.', '-' and single spaces between words", "join");
        }
        return new Join(tree.get("room").textValue(), name);
    }

    private Command leave(JsonNode tree) {
        Invalid bad = room(tree, "leave");
        return bad != null ? bad : new Leave(tree.get("room").textValue());
    }

    private Command say(JsonNode tree) {
        Invalid bad = room(tree, "message");
        if (bad == null) {
            bad = text(tree, "message");
        }
        if (bad != null) {
            return bad;
        }
        return new Say(tree.get("room").textValue(), tree.get("text").textValue());
    }

    private Command direct(JsonNode tree) {
        Invalid bad = room(tree, "direct");
        if (bad != null) {
            return bad;
        }
        if (string(tree, "to") == null) {
            return new Invalid(BAD_REQUEST, "\"to\" must be a string: the member's name", "direct");
        }
        bad = text(tree, "direct");
        if (bad != null) {
            return bad;
        }
        return new Direct(tree.get("room").textValue(), tree.get("to").textValue(), tree.get("text").textValue());
    }

    /** Checks {@code room}; returns null when it is fine. */
    private Invalid room(JsonNode tree, String request) {
        String room = string(tree, "room");
        if (room == null) {
            return new Invalid(BAD_REQUEST, "\"room\" must be a string", request);
        }
        if (!ROOM.matcher(room).matches() || room.codePointCount(0, room.length()) > limits.maxRoomChars()) {
            return new Invalid(BAD_ROOM, "a room name has 1 to " + limits.maxRoomChars()
                    + " letters, digits, '_', '.' and '-'", request);
        }
        return null;
    }

    /** Checks {@code text}; returns null when it is fine. */
    private Invalid text(JsonNode tree, String request) {
        String text = string(tree, "text");
        if (text == null) {
            return new Invalid(BAD_REQUEST, "\"text\" must be a string", request);
        }
        if (text.isBlank()) {
            return new Invalid(EMPTY_TEXT, "\"text\" is empty", request);
        }
        if (text.codePointCount(0, text.length()) > limits.maxTextChars()) {
            return new Invalid(TEXT_TOO_LONG, "\"text\" is longer than " + limits.maxTextChars() + " characters", request);
        }
        return null;
    }

    private static String string(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** At most 40 characters of a client's string, for an error reason. */
    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    // ------------------------------------------------------------------ writing

    /**
     * {@code welcome}: sent once when a connection opens.
     *
     * @param compressed whether permessage-deflate was negotiated on it
     * @return the JSON text
     */
    String welcome(boolean compressed) {
        ObjectNode limitsNode = mapper.createObjectNode()
                .put("maxMessageBytes", limits.maxMessageBytes())
                .put("maxTextChars", limits.maxTextChars())
                .put("maxNameChars", limits.maxNameChars())
                .put("maxRoomChars", limits.maxRoomChars())
                .put("maxRooms", limits.maxRoomsPerConnection())
                .put("messagesPerSecond", limits.replyRatePerSecond())
                .put("burst", limits.replyBurst());
        ObjectNode out = object("welcome").put("compressed", compressed);
        out.set("limits", limitsNode);
        return write(out);
    }

    /**
     * {@code members}: the answer to {@code join}, the room's users now.
     *
     * @param room  the room
     * @param names its users, sorted
     * @return the JSON text
     */
    String members(String room, Collection<String> names) {
        ObjectNode out = object("members").put("room", room);
        ArrayNode list = out.putArray("members");
        names.forEach(list::add);
        out.put("count", names.size());
        return write(out);
    }

    /**
     * {@code joined} or {@code left}: a user's first tab joined, or last tab left, a room.
     *
     * @param type  {@code joined} or {@code left}
     * @param room  the room
     * @param name  the user
     * @param count the room's users after the change
     * @return the JSON text
     */
    String presence(String type, String room, String name, int count) {
        return write(object(type).put("room", room).put("name", name).put("count", count));
    }

    /**
     * {@code message}: a user said something to a room.
     *
     * @param room   the room
     * @param from   the user
     * @param text   the text
     * @param millis server time, milliseconds since the epoch
     * @return the JSON text
     */
    String message(String room, String from, String text, long millis) {
        return write(object("message").put("room", room).put("from", from).put("text", text).put("time", millis));
    }

    /**
     * {@code direct}: a user said something to one member.
     *
     * @param room   the room they share
     * @param from   the sender
     * @param to     the receiver
     * @param text   the text
     * @param millis server time, milliseconds since the epoch
     * @return the JSON text
     */
    String direct(String room, String from, String to, String text, long millis) {
        return write(object("direct").put("room", room).put("from", from).put("to", to).put("text", text)
                .put("time", millis));
    }

    /**
     * {@code error}: a request was refused; nothing else changed.
     *
     * @param code    the error code
     * @param reason  what was wrong
     * @param request the refused request's type, or null
     * @return the JSON text
     */
    String error(String code, String reason, String request) {
        ObjectNode out = object("error").put("code", code).put("reason", reason);
        if (request != null) {
            out.put("request", request);
        }
        return write(out);
    }

    private ObjectNode object(String type) {
        return mapper.createObjectNode().put("type", type);
    }

    private String write(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
