package io.tern.demo;

import io.tern.transport.HttpFallback;
import io.tern.transport.HttpRequest;
import io.tern.transport.HttpResponse;
import java.util.Map;

/**
 * The demo's plain HTTP answers: the chat page at {@code /} with its script and style sheet, read
 * once from the demo's resources when this class is built, and 404 for everything else. The page
 * loads nothing from elsewhere, and its {@code Content-Security-Policy} says so to the browser.
 *
 * <p>Threading: immutable; {@link #respond} may run on several event loops at once.
 */
final class DemoPages implements HttpFallback {

    private static final String BASE = "/io/tern/demo/chat/";
    private static final String POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final HttpFallback files;

    DemoPages() {
        this.files = HttpFallback.serving(Map.of(
                "/", file("index.html", "text/html; charset=utf-8").withHeader("Content-Security-Policy", POLICY),
                "/chat.js", file("chat.js", "text/javascript; charset=utf-8"),
                "/chat.css", file("chat.css", "text/css; charset=utf-8"),
                "/favicon.ico", HttpResponse.of(204, null, new byte[0])));
    }

    private static HttpResponse file(String name, String type) {
        return HttpResponse.resource(DemoPages.class, BASE + name, type)
                .withHeader("Cache-Control", "no-cache")
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    @Override
    public HttpResponse respond(HttpRequest request) {
        return files.respond(request);
    }
}
