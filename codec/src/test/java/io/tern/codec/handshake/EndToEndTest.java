package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's request goes through the server and the server's answer back through the client. */
class EndToEndTest {

    @Test
    void clientAndServerAgree() {
        ClientHandshake client = ClientHandshake.builder(URI.create("ws://[::1]:8080/echo?room=1"))
                .subprotocols("v2.json", "v1.json")
                .extensions(List.of(Extension.of("permessage-deflate", ExtensionParam.of("client_max_window_bits"))))
                .header("Origin", "http://localhost")
                .build();

        HttpRequestHead request = Feeder.parse(HttpHeadParser::forRequest, client.toBytes()).request();
        assertEquals(client.requestHead(), request);
        assertTrue(ServerHandshake.isUpgradeRequest(request));

        ServerHandshakeResult result = ServerHandshake.supporting(List.of("v1.json", "v2.json")).handle(request);
        HandshakeAcceptance acceptance = (HandshakeAcceptance) result;
        assertEquals("v2.json", acceptance.subprotocol());
        List<Extension> chosen = List.of(Extension.of("permessage-deflate",
                ExtensionParam.of("client_max_window_bits", "12")));
        byte[] response = acceptance.toBytes(chosen, HttpHeaders.empty());

        byte[] frame = {(byte) 0x81, 0x02, 'h', 'i'};
        byte[] wire = new byte[response.length + frame.length];
        System.arraycopy(response, 0, wire, 0, response.length);
        System.arraycopy(frame, 0, wire, response.length, frame.length);
        Feeder.Outcome outcome = Feeder.parse(HttpHeadParser::forResponse, wire);
        assertEquals(new String(frame, StandardCharsets.ISO_8859_1), outcome.rest());

        ClientHandshakeResult validated = client.validate(outcome.response());
        assertTrue(validated.isSuccess(), validated::toString);
        assertEquals("v2.json", validated.subprotocol());
        assertEquals(chosen, validated.extensions());
    }

    @Test
    void serverRejectionIsAClientFailure() {
        ClientHandshake client = ClientHandshake.builder(URI.create("ws://example.com/")).build();
        HttpRequestHead request = Feeder.parse(HttpHeadParser::forRequest, client.toBytes()).request();
        HttpRequestHead withoutVersion = new HttpRequestHead(request.method(), request.requestTarget(),
                request.version(), HttpHeaders.of("Host", "example.com", "Upgrade", "websocket",
                        "Connection", "Upgrade", "Sec-WebSocket-Key", client.key()));
        ServerHandshakeResult result = ServerHandshake.create().handle(withoutVersion);
        Feeder.Outcome outcome = Feeder.parse(HttpHeadParser::forResponse, result.toBytes());
        assertEquals("server answered with status 426 Upgrade Required instead of 101 Switching Protocols",
                client.validate(outcome.response()).failureReason());
        assertEquals(((HandshakeRejection) result).message(), outcome.rest());
    }
}
