package io.tern.codec.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for one line of an extension list. Reports the first syntax error
 * as a message; the caller adds the header name.
 */
final class ExtensionListParser {

    private final String text;
    private int pos;

    ExtensionListParser(String text) {
        this.text = text;
    }

    /**
     * Appends the extensions of this line to {@code into}.
     *
     * @return null on success, otherwise the error message
     */
    String parseInto(List<Extension> into) {
        try {
            parseList(into);
            return null;
        } catch (SyntaxError e) {
            return e.getMessage();
        }
    }

    private void parseList(List<Extension> into) throws SyntaxError {
        while (true) {
            skipOws();
            if (atEnd()) {
                return;
            }
            if (peek() == ',') {
                pos++; // empty list element
                continue;
            }
            into.add(parseExtension());
            skipOws();
            if (atEnd()) {
                return;
            }
            if (peek() != ',') {
                throw unexpected("after extension");
            }
            pos++;
        }
    }

    private Extension parseExtension() throws SyntaxError {
        String name = token("extension name");
        List<ExtensionParam> params = new ArrayList<>();
        while (true) {
            skipOws();
            if (atEnd() || peek() != ';') {
                return new Extension(name, params);
            }
            pos++;
            skipOws();
            params.add(parseParam());
        }
    }

    private ExtensionParam parseParam() throws SyntaxError {
        String name = token("parameter name");
        skipOws();
        if (atEnd() || peek() != '=') {
            return new ExtensionParam(name, null);
        }
        pos++;
        skipOws();
        String value;
        if (!atEnd() && peek() == '"') {
            value = quotedString();
            if (!HttpSyntax.isToken(value)) {
                throw new SyntaxError("quoted value of parameter " + name + " is not a token");
            }
        } else {
            value = token("value of parameter " + name);
        }
        return new ExtensionParam(name, value);
    }

    private String token(String what) throws SyntaxError {
        int start = pos;
        while (!atEnd() && HttpSyntax.isTchar(peek())) {
            pos++;
        }
        if (pos == start) {
            if (atEnd()) {
                throw new SyntaxError("missing " + what + " at end");
            }
            throw unexpected("where " + what + " was expected");
        }
        return text.substring(start, pos);
    }

    /** quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE, returned unescaped. */
    private String quotedString() throws SyntaxError {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                if (atEnd()) {
                    break;
                }
                c = text.charAt(pos++);
            }
            if (!HttpSyntax.isTextChar(c)) {
                throw new SyntaxError(String.format("control character 0x%02X in quoted-string", (int) c));
            }
            out.append(c);
        }
        throw new SyntaxError("unterminated quoted-string");
    }

    private SyntaxError unexpected(String where) {
        char c = peek();
        String shown = HttpSyntax.isVchar(c) ? "'" + c + "'" : String.format("0x%02X", (int) c);
        return new SyntaxError("unexpected character " + shown + " at position " + pos + " " + where);
    }

    private void skipOws() {
        while (!atEnd() && HttpSyntax.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    /** Internal control flow only; never escapes this class. */
    private static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }
}
