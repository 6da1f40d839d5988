package io.tern.codec.deflate;

import io.tern.codec.handshake.Extension;
import io.tern.codec.handshake.ExtensionParam;

/**
 * Reads the parameters of one {@code permessage-deflate} element of a
 * {@code Sec-WebSocket-Extensions} header — an offer or a response — and checks them against
 * RFC 7692 §7.1: only the four defined names, each at most once, the two
 * {@code *_no_context_takeover} without a value, window bits as a decimal 8–15 without leading
 * zeros, {@code server_max_window_bits} always with a value, and {@code client_max_window_bits}
 * with a value in a response. Negotiation is not a hot path: one object per element is fine.
 */
final class DeflateParamParser {

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    /** Marks a window parameter that is absent. */
    static final int ABSENT = -1;
    /** Marks {@code client_max_window_bits} present without a value (offers only). */
    static final int NO_VALUE = 0;

    boolean serverNoContextTakeover;
    boolean clientNoContextTakeover;
    int serverMaxWindowBits = ABSENT;
    int clientMaxWindowBits = ABSENT;
    /** Why the element is not acceptable, or null when it is. */
    String error;

    private DeflateParamParser() {
    }

    /**
     * Parses an element's parameters.
     *
     * @param element    a {@code permessage-deflate} element
     * @param isResponse whether it is a server's response (stricter about
     *                   {@code client_max_window_bits})
     * @return the parameters; check {@link #error} first
     */
    static DeflateParamParser parse(Extension element, boolean isResponse) {
        DeflateParamParser p = new DeflateParamParser();
        for (ExtensionParam param : element.params()) {
            String name = param.name().toLowerCase(java.util.Locale.ROOT);
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER:
                    if (p.serverNoContextTakeover) {
                        return p.fail("duplicate " + name);
                    }
                    if (param.hasValue()) {
                        return p.fail(name + " must not have a value");
                    }
                    p.serverNoContextTakeover = true;
                    break;
                case CLIENT_NO_CONTEXT_TAKEOVER:
                    if (p.clientNoContextTakeover) {
                        return p.fail("duplicate " + name);
                    }
                    if (param.hasValue()) {
                        return p.fail(name + " must not have a value");
                    }
                    p.clientNoContextTakeover = true;
                    break;
                case SERVER_MAX_WINDOW_BITS:
                    if (p.serverMaxWindowBits != ABSENT) {
                        return p.fail("duplicate " + name);
                    }
                    if (!param.hasValue()) {
                        return p.fail(name + " needs a value");
                    }
                    p.serverMaxWindowBits = windowBits(param.value());
                    if (p.serverMaxWindowBits == ABSENT) {
                        return p.fail(name + " must be an integer from 8 to 15: " + param.value());
                    }
                    break;
                case CLIENT_MAX_WINDOW_BITS:
                    if (p.clientMaxWindowBits != ABSENT) {
                        return p.fail("duplicate " + name);
                    }
                    if (!param.hasValue()) {
                        if (isResponse) {
                            return p.fail(name + " needs a value in a response");
                        }
                        p.clientMaxWindowBits = NO_VALUE;
                    } else {
                        p.clientMaxWindowBits = windowBits(param.value());
                        if (p.clientMaxWindowBits == ABSENT) {
                            return p.fail(name + " must be an integer from 8 to 15: " + param.value());
                        }
                    }
                    break;
                default:
                    return p.fail("unknown parameter " + param.name());
            }
        }
        return p;
    }

    private DeflateParamParser fail(String reason) {
        error = reason;
        return this;
    }

    /** "8".."15" without leading zeros, else {@link #ABSENT}. */
    private static int windowBits(String value) {
        switch (value) {
            case "8": return 8;
            case "9": return 9;
            case "10": return 10;
            case "11": return 11;
            case "12": return 12;
            case "13": return 13;
            case "14": return 14;
            case "15": return 15;
            default: return ABSENT;
        }
    }

    /**
     * Whether an element names permessage-deflate (extension names compare case-insensitively,
     * as HTTP tokens).
     *
     * @param element an extension element
     * @return {@code true} for permessage-deflate
     */
    static boolean isPerMessageDeflate(Extension element) {
        return element.name().equalsIgnoreCase(PerMessageDeflate.NAME);
    }
}
