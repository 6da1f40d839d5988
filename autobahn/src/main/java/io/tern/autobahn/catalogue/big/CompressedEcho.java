package io.tern.autobahn.catalogue.big;

import io.tern.autobahn.deflate.Corpus;
import io.tern.autobahn.deflate.DeflateAccept;
import io.tern.autobahn.deflate.DeflateParameterSet;
import io.tern.autobahn.deflate.DeflateTerms;
import io.tern.autobahn.deflate.NegotiationException;
import io.tern.autobahn.deflate.WindowedCompressor;
import io.tern.autobahn.runner.AutobahnCase;
import io.tern.autobahn.runner.CaseContext;
import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.Role;
import io.tern.autobahn.runner.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;

/**
 * A case of groups 12 and 13: with permessage-deflate negotiated by a {@link DeflateParameterSet},
 * sends {@code count} compressed messages cut consecutively from a {@link Corpus}, each once the
 * previous one came back, the compressed payload auto-fragmented into frames of at most
 * {@code fragmentSize} bytes (0: one frame), and expects every echo to equal what was sent (type,
 * length, bytes). Without permessage-deflate negotiated the case is UNIMPLEMENTED, as in the
 * official suite.
 *
 * <p>What the runner sends keeps the negotiated terms ({@link WindowedCompressor}); what comes back
 * is inflated by the runner's own decoder, which fails the connection if the peer refers farther
 * back than its negotiated window or into an earlier message despite no context takeover; the
 * case's result then names the message, the distance and the term broken. The official suite
 * inflates with zlib at the negotiated window, which catches the same faults, less precisely.
 *
 * <p>A fresh instance is made per run; all methods run on the case's thread.
 */
final class CompressedEcho extends AutobahnCase {

    /** The runner's own sends use zlib's fastest level: the level changes the ratio, never the terms. */
    private static final int LEVEL = Deflater.BEST_SPEED;
    private static final int MAX_MESSAGE = 16 << 20;

    private final DeflateParameterSet params;
    private final Corpus corpus;
    private final int length;
    private final int count;
    private final int waitSeconds;
    private final int fragmentSize;
    private DeflateAccept accepted;
    private Corpus.Slicer slicer;
    private WindowedCompressor compressor;
    private CheckedInflation inflation;
    private byte[] expected;
    private int sent;
    private boolean done;

    CompressedEcho(String id, DeflateParameterSet params, Corpus corpus, int length, int count, int waitSeconds, int fragmentSize) {
        super(id, "Sends " + count + " compressed " + (corpus.binary() ? "binary" : "text") + " messages of " + length
                        + (corpus.binary() ? " bytes" : " characters") + " each, cut one after the other from "
                        + corpus.description().toLowerCase(java.util.Locale.ROOT) + ", each once the previous one came back, "
                        + "auto-fragmented into frames of " + fragmentSize + " bytes (0: unfragmented). permessage-deflate: "
                        + params.description() + ".",
                "Every message comes back unchanged (type, length and content), all within " + waitSeconds
                        + " s; then the runner closes with 1000 and expects a clean close.");
        this.params = params;
        this.corpus = corpus;
        this.length = length;
        this.count = count;
        this.waitSeconds = waitSeconds;
        this.fragmentSize = fragmentSize;
    }

    @Override
    public Duration timeBound() {
        return Duration.ofSeconds(waitSeconds + 10);
    }

    @Override
    public boolean reportTime() {
        return true;
    }

    @Override
    public String extensionOffer() {
        return params.offerHeader();
    }

    @Override
    public String extensionResponse(String clientOffer) {
        try {
            Optional<DeflateAccept> a = params.accept(DeflateParameterSet.parseOffers(clientOffer));
            accepted = a.orElse(null);
            return a.map(DeflateAccept::headerValue).orElse(null);
        } catch (NegotiationException e) {
            // the official server fails such a handshake; the engine cannot, so nothing is accepted
            // and the case ends UNIMPLEMENTED with this reason in its log
            accepted = null;
            return null;
        }
    }

    @Override
    public void onOpen(CaseContext ctx) {
        ctx.enableWireLog(false);
        ctx.expectClose(CloseExpectation.normal());
        DeflateTerms terms;
        boolean server = ctx.role() == Role.SERVER;
        try {
            terms = server ? serverTerms(ctx) : DeflateTerms.fromResponse(ctx.negotiatedExtensions(), params.offers());
        } catch (NegotiationException e) {
            ctx.setBehavior(Verdict.FAILED, "Extension negotiation failed: " + e.getMessage());
            ctx.enableWireLog(true);
            ctx.sendClose(1002);
            return;
        }
        if (terms == null) {
            ctx.setBehavior(Verdict.UNIMPLEMENTED, "permessage-deflate was not negotiated"
                    + (server ? " (client offered: " + ctx.offeredExtensions() + ")." : "."));
            ctx.sendClose(1000);
            return;
        }
        ctx.note("permessage-deflate terms: " + terms);
        compressor = terms.compressorFor(server, LEVEL);
        inflation = new CheckedInflation(terms.inflaterFor(server, MAX_MESSAGE));
        ctx.setInflater(inflation);
        slicer = corpus.slicer();
        ctx.setBehavior(Verdict.FAILED, "The case did not finish within " + waitSeconds + " s.");
        ctx.closeAfter(Duration.ofSeconds(waitSeconds));
        sendOne(ctx);
    }

    private DeflateTerms serverTerms(CaseContext ctx) throws NegotiationException {
        if (accepted != null) {
            return accepted.terms();
        }
        String ours = ctx.negotiatedExtensions();
        if (ours == null) {
            return null;
        }
        List<io.tern.autobahn.deflate.DeflateOffer> offers = DeflateParameterSet.parseOffers(ctx.offeredExtensions());
        return DeflateTerms.fromResponse(ours, offers);
    }

    private void sendOne(CaseContext ctx) {
        expected = slicer.next(length);
        byte[] compressed = compressor.compress(expected, 0, expected.length);
        ctx.sendCompressedMessage(compressed, corpus.binary(), fragmentSize);
        sent++;
    }

    @Override
    public void onMessage(CaseContext ctx, byte[] payload, boolean binary) {
        if (done) {
            return;
        }
        String fault = null;
        if (binary != corpus.binary()) {
            fault = "Echo " + sent + " has another type: got " + (binary ? "binary" : "text") + ", sent "
                    + (corpus.binary() ? "binary" : "text") + ".";
        } else if (payload.length != expected.length) {
            fault = "Echo " + sent + " has another length: got " + units(payload) + ", sent " + length + (corpus.binary() ? " bytes." : " characters.");
        } else if (!Arrays.equals(payload, expected)) {
            fault = "Echo " + sent + " has other content: first difference at byte " + Arrays.mismatch(payload, expected) + ".";
        }
        if (fault != null) {
            done = true;
            ctx.setBehavior(Verdict.FAILED, fault);
            ctx.enableWireLog(true);
            ctx.sendClose(1000);
        } else if (sent < count) {
            sendOne(ctx);
        } else {
            done = true;
            ctx.setBehavior(Verdict.OK, "All " + count + " messages came back unchanged in time.");
            ctx.enableWireLog(true);
            ctx.sendClose(1000);
        }
    }

    private String units(byte[] payload) {
        if (corpus.binary()) {
            return payload.length + " bytes";
        }
        String s = new String(payload, StandardCharsets.UTF_8);
        return s.codePointCount(0, s.length()) + " characters (" + payload.length + " bytes)";
    }

    @Override
    public void onConnectionLost(CaseContext ctx) {
        if (compressor != null) {
            compressor.close();
        }
        if (inflation != null && inflation.failure() != null && !done) {
            ctx.setBehavior(Verdict.FAILED, "The peer's compressed message " + (inflation.messages() + 1)
                    + " was refused: " + inflation.failure().getMessage());
        }
    }
}
