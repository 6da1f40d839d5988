package io.tern.codec.deflate;

import static io.tern.codec.deflate.PmdSupport.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.handshake.Extension;
import io.tern.codec.handshake.ExtensionHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * permessage-deflate negotiation (RFC 7692 §5, §7.1) on both sides, with the exact header text of
 * every server response.
 */
class PmdNegotiationTest {

    private static final String PMD = "permessage-deflate";
    /** A distinctive acceptable offer that follows an unacceptable one. */
    private static final String SECOND = PMD + "; client_no_context_takeover";
    private static final DeflateParameters SECOND_TAKEN = params(false, true, 15, 15);

    static List<Extension> parse(String header) {
        ExtensionHeader.Result r = ExtensionHeader.parse(header);
        assertTrue(r.isValid(), () -> "test header does not parse: " + header + ": " + r.error());
        return r.extensions();
    }

    static Optional<PerMessageDeflate.Agreement> negotiate(String offers, DeflateOptions policy) {
        return PerMessageDeflate.negotiate(parse(offers), policy);
    }

    static String responseText(PerMessageDeflate.Agreement a) {
        return ExtensionHeader.format(List.of(a.response()));
    }

    static void assertAgreement(String offers, DeflateOptions policy, String response, DeflateParameters expected) {
        Optional<PerMessageDeflate.Agreement> a = negotiate(offers, policy);
        assertTrue(a.isPresent(), () -> "no agreement for offers: " + offers);
        assertEquals(response, responseText(a.get()), () -> "response to: " + offers);
        assertEquals(expected, a.get().parameters(), () -> "parameters for: " + offers);
        assertEquals(PMD, a.get().response().name());
    }

    // ---------------------------------------------------------------------------------------------
    // Server side, default policy

    static Stream<Arguments> acceptedOffers() {
        return Stream.of(
                Arguments.of(PMD, PMD, params(false, false, 15, 15)),
                Arguments.of(PMD + "; server_no_context_takeover",
                        PMD + "; server_no_context_takeover", params(true, false, 15, 15)),
                Arguments.of(PMD + "; client_no_context_takeover",
                        PMD + "; client_no_context_takeover", params(false, true, 15, 15)),
                Arguments.of(PMD + "; server_max_window_bits=10",
                        PMD + "; server_max_window_bits=10", params(false, false, 10, 15)),
                // Requested, so it must be answered even at 15 (§7.1.2.1).
                Arguments.of(PMD + "; server_max_window_bits=15",
                        PMD + "; server_max_window_bits=15", params(false, false, 15, 15)),
                Arguments.of(PMD + "; client_max_window_bits", PMD, params(false, false, 15, 15)),
                // The offered value binds the client even when the server does not answer it (§7.1.2.2).
                Arguments.of(PMD + "; client_max_window_bits=10", PMD, params(false, false, 15, 10)),
                Arguments.of(PMD + "; server_no_context_takeover; client_no_context_takeover; "
                                + "server_max_window_bits=9; client_max_window_bits=11",
                        PMD + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9",
                        params(true, true, 9, 11)),
                // Parameter order in the offer does not matter.
                Arguments.of(PMD + "; client_max_window_bits=12; server_max_window_bits=8; client_no_context_takeover",
                        PMD + "; client_no_context_takeover; server_max_window_bits=8", params(false, true, 8, 12)),
                // quoted-string values are unquoted before checking (§7.1).
                Arguments.of(PMD + "; server_max_window_bits=\"12\"",
                        PMD + "; server_max_window_bits=12", params(false, false, 12, 15)),
                Arguments.of(PMD + "; client_max_window_bits=\"9\"", PMD, params(false, false, 15, 9)),
                // Other extensions are skipped.
                Arguments.of("x-webkit-deflate-frame, " + PMD + "; server_max_window_bits=11",
                        PMD + "; server_max_window_bits=11", params(false, false, 11, 15)),
                Arguments.of("foo; bar=1, " + PMD + ", permessage-bzip2",
                        PMD, params(false, false, 15, 15)),
                // The first acceptable offer wins even when a later one asks for more.
                Arguments.of(PMD + "; server_max_window_bits=12, " + PMD + "; server_max_window_bits=9",
                        PMD + "; server_max_window_bits=12", params(false, false, 12, 15)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("acceptedOffers")
    void acceptsOffer(String offers, String response, DeflateParameters expected) {
        assertAgreement(offers, DeflateOptions.defaults(), response, expected);
    }

    static Stream<String> unacceptableFirstOffers() {
        return Stream.of(
                PMD + "; x_unknown",
                PMD + "; max_window_bits=10",
                PMD + "; server_no_context_takeover; x_unknown=1",
                PMD + "; server_no_context_takeover; server_no_context_takeover",
                PMD + "; client_no_context_takeover; client_no_context_takeover",
                PMD + "; server_max_window_bits=10; server_max_window_bits=10",
                PMD + "; server_max_window_bits=10; server_max_window_bits=11",
                PMD + "; client_max_window_bits; client_max_window_bits",
                PMD + "; client_max_window_bits=10; client_max_window_bits",
                PMD + "; client_max_window_bits=10; client_max_window_bits=10",
                PMD + "; server_max_window_bits=08",
                PMD + "; server_max_window_bits=015",
                PMD + "; server_max_window_bits=7",
                PMD + "; server_max_window_bits=16",
                PMD + "; server_max_window_bits=0",
                PMD + "; server_max_window_bits=-9",
                PMD + "; server_max_window_bits=+9",
                PMD + "; server_max_window_bits=9a",
                PMD + "; server_max_window_bits=\"08\"",
                PMD + "; server_max_window_bits",
                PMD + "; client_max_window_bits=08",
                PMD + "; client_max_window_bits=7",
                PMD + "; client_max_window_bits=16",
                PMD + "; client_max_window_bits=1O",
                PMD + "; server_no_context_takeover=true",
                PMD + "; client_no_context_takeover=1",
                PMD + "; server_no_context_takeover=\"x\"");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unacceptableFirstOffers")
    void declinesBadOfferAndTakesTheNext(String bad) {
        assertAgreement(bad + ", " + SECOND, DeflateOptions.defaults(), SECOND, SECOND_TAKEN);
        // On its own the bad offer yields no agreement at all, and no exception.
        assertTrue(negotiate(bad, DeflateOptions.defaults()).isEmpty(), bad);
    }

    @Test
    void notNegotiatedWithoutAnAcceptableOffer() {
        assertTrue(PerMessageDeflate.negotiate(List.of(), DeflateOptions.defaults()).isEmpty());
        assertTrue(negotiate("x-webkit-deflate-frame", DeflateOptions.defaults()).isEmpty());
        assertTrue(negotiate("permessage-deflatex, deflate", DeflateOptions.defaults()).isEmpty());
        assertTrue(negotiate(PMD + "; foo, " + PMD + "; server_max_window_bits=16", DeflateOptions.defaults())
                .isEmpty());
    }

    @ParameterizedTest(name = "server_max_window_bits={0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void everyServerWindowIsAccepted(int bits) {
        assertAgreement(PMD + "; server_max_window_bits=" + bits, DeflateOptions.defaults(),
                PMD + "; server_max_window_bits=" + bits, params(false, false, bits, 15));
        assertAgreement(PMD + "; server_max_window_bits=" + bits + "; client_max_window_bits=" + bits,
                DeflateOptions.defaults(), PMD + "; server_max_window_bits=" + bits, params(false, false, bits, bits));
        // A server that caps itself lower answers with its cap; a higher cap changes nothing.
        assertAgreement(PMD + "; server_max_window_bits=" + bits, DeflateOptions.defaults().withServerMaxWindowBits(8),
                PMD + "; server_max_window_bits=8", params(false, false, 8, 15));
        assertAgreement(PMD + "; server_max_window_bits=" + bits, DeflateOptions.defaults().withServerMaxWindowBits(15),
                PMD + "; server_max_window_bits=" + bits, params(false, false, bits, 15));
    }

    // ---------------------------------------------------------------------------------------------
    // Server side, policy

    @Test
    void serverImposesNoContextTakeover() {
        assertAgreement(PMD, DeflateOptions.defaults().withServerNoContextTakeover(true),
                PMD + "; server_no_context_takeover", params(true, false, 15, 15));
        assertAgreement(PMD, DeflateOptions.defaults().withClientNoContextTakeover(true),
                PMD + "; client_no_context_takeover", params(false, true, 15, 15));
        assertAgreement(PMD + "; server_no_context_takeover",
                DeflateOptions.defaults().withServerNoContextTakeover(true).withClientNoContextTakeover(true),
                PMD + "; server_no_context_takeover; client_no_context_takeover", params(true, true, 15, 15));
    }

    @Test
    void serverCapsItsOwnWindow() {
        DeflateOptions cap10 = DeflateOptions.defaults().withServerMaxWindowBits(10);
        // Unrequested, the server may still announce a smaller window for itself.
        assertAgreement(PMD, cap10, PMD + "; server_max_window_bits=10", params(false, false, 10, 15));
        assertAgreement(PMD + "; server_max_window_bits=12", cap10, PMD + "; server_max_window_bits=10",
                params(false, false, 10, 15));
        assertAgreement(PMD + "; server_max_window_bits=10", cap10, PMD + "; server_max_window_bits=10",
                params(false, false, 10, 15));
        assertAgreement(PMD + "; server_max_window_bits=9", cap10, PMD + "; server_max_window_bits=9",
                params(false, false, 9, 15));
    }

    @Test
    void clientWindowCapIsAnsweredOnlyWhenOffered() {
        DeflateOptions cap10 = DeflateOptions.defaults().withClientMaxWindowBits(10);
        // Not offered: the server must not send client_max_window_bits (§7.1.2.2); the client keeps 15.
        assertAgreement(PMD, cap10, PMD, params(false, false, 15, 15));
        assertAgreement(PMD + "; server_no_context_takeover", cap10, PMD + "; server_no_context_takeover",
                params(true, false, 15, 15));
        assertAgreement(PMD + "; client_max_window_bits", cap10, PMD + "; client_max_window_bits=10",
                params(false, false, 15, 10));
        assertAgreement(PMD + "; client_max_window_bits=12", cap10, PMD + "; client_max_window_bits=10",
                params(false, false, 15, 10));
        // The client already promised less than the cap: nothing to answer.
        assertAgreement(PMD + "; client_max_window_bits=9", cap10, PMD, params(false, false, 15, 9));
        assertAgreement(PMD + "; client_max_window_bits=10", cap10, PMD, params(false, false, 15, 10));
        assertAgreement(PMD + "; client_max_window_bits", DeflateOptions.defaults().withClientMaxWindowBits(8),
                PMD + "; client_max_window_bits=8", params(false, false, 15, 8));
    }

    @Test
    void fullPolicy() {
        DeflateOptions all = DeflateOptions.defaults().withServerNoContextTakeover(true)
                .withClientNoContextTakeover(true).withServerMaxWindowBits(9).withClientMaxWindowBits(8);
        assertAgreement(PMD + "; client_max_window_bits", all,
                PMD + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; "
                        + "client_max_window_bits=8",
                params(true, true, 9, 8));
        assertAgreement(PMD + "; x_bad, " + PMD + "; server_max_window_bits=12", all,
                PMD + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9",
                params(true, true, 9, 15));
    }

    // ---------------------------------------------------------------------------------------------
    // Client side

    @Test
    void offerText() {
        assertEquals(PMD + "; client_max_window_bits",
                ExtensionHeader.format(List.of(PerMessageDeflate.offer(DeflateOptions.defaults()))));
        assertEquals(PMD + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; "
                        + "client_max_window_bits=12",
                ExtensionHeader.format(List.of(PerMessageDeflate.offer(DeflateOptions.defaults()
                        .withServerNoContextTakeover(true).withClientNoContextTakeover(true)
                        .withServerMaxWindowBits(10).withClientMaxWindowBits(12)))));
        assertEquals(PMD + "; server_max_window_bits=8; client_max_window_bits",
                ExtensionHeader.format(List.of(PerMessageDeflate.offer(DeflateOptions.defaults()
                        .withServerMaxWindowBits(8)))));
    }

    /** Every option combination: the server's answer to Tern's offer is accepted with the same parameters. */
    @Test
    void clientAndServerAgreeForEveryOfferedCombination() {
        List<String> mismatches = new ArrayList<>();
        for (int flags = 0; flags < 4; flags++) {
            for (int sb = 8; sb <= 15; sb++) {
                for (int cb = 8; cb <= 15; cb++) {
                    DeflateOptions client = DeflateOptions.defaults().withServerNoContextTakeover((flags & 1) != 0)
                            .withClientNoContextTakeover((flags & 2) != 0).withServerMaxWindowBits(sb)
                            .withClientMaxWindowBits(cb);
                    Extension offer = PerMessageDeflate.offer(client);
                    Optional<PerMessageDeflate.Agreement> a =
                            PerMessageDeflate.negotiate(List.of(offer), DeflateOptions.defaults());
                    DeflateParameters expected = params((flags & 1) != 0, (flags & 2) != 0, sb, cb);
                    if (a.isEmpty()) {
                        mismatches.add(offer + ": declined");
                        continue;
                    }
                    // Through text, as it travels.
                    List<Extension> response = parse(responseText(a.get()));
                    PerMessageDeflate.ClientOutcome outcome = PerMessageDeflate.accept(response, client);
                    if (!expected.equals(a.get().parameters()) || outcome.failed()
                            || !expected.equals(outcome.parameters())) {
                        mismatches.add(offer + " -> " + responseText(a.get()) + ": server " + a.get().parameters()
                                + ", client " + outcome.parameters() + " / " + outcome.failure());
                    }
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    static PerMessageDeflate.ClientOutcome accept(String response, DeflateOptions options) {
        return PerMessageDeflate.accept(response.isEmpty() ? List.of() : parse(response), options);
    }

    static Stream<Arguments> acceptedResponses() {
        DeflateOptions d = DeflateOptions.defaults();
        DeflateOptions server10 = d.withServerMaxWindowBits(10);
        DeflateOptions client12 = d.withClientMaxWindowBits(12);
        DeflateOptions noContext = d.withServerNoContextTakeover(true);
        return Stream.of(
                Arguments.of(PMD, d, params(false, false, 15, 15)),
                Arguments.of(PMD + "; server_no_context_takeover", d, params(true, false, 15, 15)),
                Arguments.of(PMD + "; client_no_context_takeover", d, params(false, true, 15, 15)),
                Arguments.of(PMD, d.withClientNoContextTakeover(true), params(false, true, 15, 15)),
                Arguments.of(PMD + "; server_max_window_bits=10", d, params(false, false, 10, 15)),
                Arguments.of(PMD + "; server_max_window_bits=8", d, params(false, false, 8, 15)),
                Arguments.of(PMD + "; client_max_window_bits=9", d, params(false, false, 15, 9)),
                Arguments.of(PMD + "; client_max_window_bits=15", d, params(false, false, 15, 15)),
                Arguments.of(PMD + "; server_max_window_bits=10", server10, params(false, false, 10, 15)),
                Arguments.of(PMD + "; server_max_window_bits=8", server10, params(false, false, 8, 15)),
                Arguments.of(PMD, client12, params(false, false, 15, 12)),
                Arguments.of(PMD + "; client_max_window_bits=12", client12, params(false, false, 15, 12)),
                Arguments.of(PMD + "; client_max_window_bits=8", client12, params(false, false, 15, 8)),
                Arguments.of(PMD + "; server_no_context_takeover", noContext, params(true, false, 15, 15)),
                Arguments.of(PMD + "; server_max_window_bits=\"9\"; client_max_window_bits=\"10\"", d,
                        params(false, false, 9, 10)),
                Arguments.of("x-other; a=1, " + PMD + "; client_no_context_takeover; server_no_context_takeover", d,
                        params(true, true, 15, 15)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("acceptedResponses")
    void clientAcceptsResponse(String response, DeflateOptions options, DeflateParameters expected) {
        PerMessageDeflate.ClientOutcome o = accept(response, options);
        assertFalse(o.failed(), () -> "unexpected failure: " + o.failure());
        assertTrue(o.negotiated());
        assertEquals(expected, o.parameters());
    }

    @Test
    void clientWithoutDeflateInResponseGoesOnUncompressed() {
        for (String response : new String[] {"", "x-webkit-deflate-frame", "permessage-bzip2; level=3"}) {
            PerMessageDeflate.ClientOutcome o = accept(response, DeflateOptions.defaults());
            assertFalse(o.failed(), response);
            assertFalse(o.negotiated(), response);
            assertNull(o.parameters(), response);
        }
    }

    static Stream<Arguments> failingResponses() {
        DeflateOptions d = DeflateOptions.defaults();
        DeflateOptions server10 = d.withServerMaxWindowBits(10);
        DeflateOptions client12 = d.withClientMaxWindowBits(12);
        return Stream.of(
                Arguments.of(PMD + "; x_unknown", d),
                Arguments.of(PMD + "; x_unknown=1", d),
                Arguments.of(PMD + "; server_no_context_takeover; mystery", d),
                Arguments.of(PMD + ", " + PMD, d),
                Arguments.of(PMD + "; server_max_window_bits=10, x-other, " + PMD + "; server_max_window_bits=10", server10),
                Arguments.of(PMD + "; client_max_window_bits", d),
                Arguments.of(PMD + "; client_max_window_bits=13", client12),
                Arguments.of(PMD + "; client_max_window_bits=15", client12),
                Arguments.of(PMD + "; client_max_window_bits=08", d),
                Arguments.of(PMD + "; client_max_window_bits=7", d),
                Arguments.of(PMD + "; client_max_window_bits=16", d),
                Arguments.of(PMD, server10),
                Arguments.of(PMD + "; server_no_context_takeover", server10),
                Arguments.of(PMD + "; server_max_window_bits=11", server10),
                Arguments.of(PMD + "; server_max_window_bits=15", server10),
                Arguments.of(PMD + "; server_max_window_bits=08", d),
                Arguments.of(PMD + "; server_max_window_bits=7", d),
                Arguments.of(PMD + "; server_max_window_bits=16", d),
                Arguments.of(PMD + "; server_max_window_bits", d),
                Arguments.of(PMD, d.withServerNoContextTakeover(true)),
                Arguments.of(PMD + "; client_no_context_takeover", d.withServerNoContextTakeover(true)),
                Arguments.of(PMD + "; server_no_context_takeover; server_no_context_takeover", d),
                Arguments.of(PMD + "; client_no_context_takeover; client_no_context_takeover", d),
                Arguments.of(PMD + "; server_max_window_bits=10; server_max_window_bits=10", server10),
                Arguments.of(PMD + "; client_max_window_bits=10; client_max_window_bits=10", d),
                Arguments.of(PMD + "; server_no_context_takeover=1", d),
                Arguments.of(PMD + "; client_no_context_takeover=x", d));
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @MethodSource("failingResponses")
    void clientFailsOnBadResponse(String response, DeflateOptions options) {
        PerMessageDeflate.ClientOutcome o = accept(response, options);
        assertTrue(o.failed(), () -> "accepted: " + o.parameters());
        assertFalse(o.negotiated());
        assertNull(o.parameters());
        assertNotNull(o.failure());
    }

    /**
     * Tern always offers client_max_window_bits, so "answered without being offered" cannot arise
     * from its own offers; this pins that down.
     */
    @Test
    void clientAlwaysOffersClientMaxWindowBits() {
        for (int cb = 8; cb <= 15; cb++) {
            Extension offer = PerMessageDeflate.offer(DeflateOptions.defaults().withClientMaxWindowBits(cb));
            String text = ExtensionHeader.format(List.of(offer));
            assertTrue(text.endsWith(cb == 15 ? "; client_max_window_bits" : "; client_max_window_bits=" + cb), text);
        }
    }
}
