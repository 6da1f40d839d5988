package io.tern.autobahn.broken;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A deliberately simple client over raw sockets that follows the fuzzing server's protocol
 * ({@code /getCaseCount}, {@code /runCase?case=N&agent=A} echoing until the server closes,
 * {@code /updateReports?agent=A}), for proving that a conformance runner in fuzzing server mode
 * flags what it should. It follows RFC 6455 / RFC 7692 except where its {@link Defect} says
 * otherwise; it offers {@code permessage-deflate; client_max_window_bits}. Not Tern's codec: its
 * own small implementation ({@link Wire}, {@link BrokenConnection}).
 *
 * <p>Confined to the calling thread; every read bounded by a 30-second socket timeout.
 */
public final class BrokenFuzzedClient {

    private final String baseUrl;
    private final String agent;
    private final Defect defect;

    /**
     * @param baseUrl the fuzzing server, {@code ws://HOST:PORT}
     * @param agent   the agent name for the reports
     * @param defect  what the client gets wrong
     */
    public BrokenFuzzedClient(String baseUrl, String agent, Defect defect) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.agent = URLEncoder.encode(agent, StandardCharsets.UTF_8);
        this.defect = defect;
    }

    /**
     * Runs cases {@code first} to {@code last} (all when {@code last} is 0), then asks for the
     * reports.
     *
     * @param first the first case, 1-based
     * @param last  the last case, or 0 for the server's case count
     * @return the server's case count
     * @throws IOException if the case count cannot be read or a connection cannot be opened
     */
    public int run(int first, int last) throws IOException {
        int count = Integer.parseInt(caseCount().trim());
        int end = last == 0 ? count : Math.min(last, count);
        for (int n = first; n <= end; n++) {
            connectAndEcho("/runCase?case=" + n + "&agent=" + agent);
        }
        connectAndEcho("/updateReports?agent=" + agent);
        return count;
    }

    private String caseCount() throws IOException {
        Socket s = open("/getCaseCount");
        String count = Wire.readFrame(s.getInputStream()).text();
        // the rest of the exchange (the server's close) conformantly, whatever the defect
        new BrokenConnection(s, false, Defect.NONE, null).run();
        return count;
    }

    private void connectAndEcho(String target) throws IOException {
        Socket s = open(target);
        DeflateAgreement deflate = DeflateAgreement.fromAnswer(lastAnswer);
        new BrokenConnection(s, false, defect, deflate).run();
    }

    private String lastAnswer;

    private Socket open(String target) throws IOException {
        URI uri = URI.create(baseUrl);
        Socket s = new Socket();
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        s.setSoTimeout(30_000);
        s.setTcpNoDelay(true);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String request = "GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Map<String, String> head = Wire.readHead(s.getInputStream());
        if (!head.get("").startsWith("HTTP/1.1 101") || !Wire.acceptKey(key).equals(head.get("sec-websocket-accept"))) {
            s.close();
            throw new IOException(target + ": upgrade refused: " + head.get(""));
        }
        lastAnswer = head.get("sec-websocket-extensions");
        return s;
    }
}
