package io.tern.autobahn.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NegotiationTest {

    @Test
    void theOffersOfEverySubgroupAreExact() {
        String d = "permessage-deflate; client_no_context_takeover; client_max_window_bits";
        assertEquals(d, DeflateParameterSet.DEFAULT.offerHeader());
        assertEquals(d + "; server_no_context_takeover", DeflateParameterSet.ofGroup13(2).offerHeader());
        assertEquals(d + "; server_max_window_bits=9", DeflateParameterSet.ofGroup13(3).offerHeader());
        assertEquals(d + "; server_max_window_bits=15", DeflateParameterSet.ofGroup13(4).offerHeader());
        assertEquals(d + "; server_no_context_takeover; server_max_window_bits=9", DeflateParameterSet.ofGroup13(5).offerHeader());
        assertEquals(d + "; server_no_context_takeover; server_max_window_bits=15", DeflateParameterSet.ofGroup13(6).offerHeader());
        assertEquals(d + "; server_no_context_takeover; server_max_window_bits=9, " + d + "; server_no_context_takeover, " + d,
                DeflateParameterSet.ofGroup13(7).offerHeader());
        assertThrows(IllegalArgumentException.class, () -> DeflateParameterSet.ofGroup13(8));
        assertEquals("client offers (requestNoContextTakeover, requestMaxWindowBits): [(True, 9), (True, 0), (False, 0)]"
                + " / server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 9), (True, 0), (False, 0)]",
                DeflateParameterSet.THREE_OFFERS.description());
    }

    private static String answer(int subgroup, String clientOffer) throws NegotiationException {
        return DeflateParameterSet.ofGroup13(subgroup).accept(DeflateParameterSet.parseOffers(clientOffer))
                .map(DeflateAccept::headerValue).orElse(null);
    }

    @Test
    void theServerAnswersEachSubgroupLikeTheOfficialFuzzingServer() throws NegotiationException {
        String full = "permessage-deflate; client_max_window_bits";
        String bare = "permessage-deflate";
        assertEquals("permessage-deflate", answer(1, full));
        assertEquals("permessage-deflate; client_no_context_takeover", answer(2, bare));
        assertEquals("permessage-deflate; client_max_window_bits=9", answer(3, full));
        assertNull(answer(3, bare), "no client_max_window_bits offered: nothing accepted");
        assertEquals("permessage-deflate; client_max_window_bits=15", answer(4, full));
        assertEquals("permessage-deflate; client_no_context_takeover; client_max_window_bits=9", answer(5, full));
        assertEquals("permessage-deflate; client_no_context_takeover; client_max_window_bits=15", answer(6, full));
        assertEquals("permessage-deflate; client_no_context_takeover; client_max_window_bits=9", answer(7, full));
        assertEquals("permessage-deflate; client_no_context_takeover", answer(7, bare));
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=9",
                answer(3, "x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=10; server_no_context_takeover; client_max_window_bits=12"));
        assertNull(answer(1, null));
        DeflateTerms t = DeflateParameterSet.ofGroup13(5).accept(DeflateParameterSet.parseOffers(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=11")).orElseThrow().terms();
        assertEquals(new DeflateTerms(false, true, 11, 9), t);
    }

    @Test
    void malformedOffersAreRefusedNamingTheParameter() {
        assertTrue(assertThrows(NegotiationException.class, () -> answer(1, "permessage-deflate; foo")).getMessage().contains("unknown parameter foo"));
        assertTrue(assertThrows(NegotiationException.class, () -> answer(1, "permessage-deflate; server_max_window_bits")).getMessage()
                .contains("server_max_window_bits needs a value 8..15"));
        assertThrows(NegotiationException.class, () -> answer(1, "permessage-deflate; server_max_window_bits=7"));
        assertThrows(NegotiationException.class, () -> answer(1, "permessage-deflate; server_max_window_bits=09"));
        assertThrows(NegotiationException.class, () -> answer(1, "permessage-deflate; client_max_window_bits=16"));
        assertThrows(NegotiationException.class, () -> answer(1, "permessage-deflate; server_no_context_takeover=1"));
        assertTrue(assertThrows(NegotiationException.class, () -> answer(1, "permessage-deflate; client_max_window_bits; client_max_window_bits"))
                .getMessage().contains("repeats client_max_window_bits"));
        assertThrows(NegotiationException.class, () -> answer(1, "permessage-deflate; ; x"));
        assertThrows(NegotiationException.class, () -> answer(1, "permessage-deflate; client_max_window_bits=\"1 0\""));
    }

    @Test
    void responsesAreCheckedStrictlyAgainstTheOffers() throws NegotiationException {
        List<DeflateOffer> d = DeflateParameterSet.DEFAULT.offers();
        assertNull(DeflateTerms.fromResponse(null, d));
        assertEquals(new DeflateTerms(false, false, 15, 15), DeflateTerms.fromResponse("permessage-deflate", d));
        assertEquals(new DeflateTerms(true, true, 10, 9), DeflateTerms.fromResponse(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=\"9\"", d));
        List<DeflateOffer> w9 = DeflateParameterSet.ofGroup13(3).offers();
        assertEquals(new DeflateTerms(false, false, 8, 15), DeflateTerms.fromResponse("permessage-deflate; server_max_window_bits=8", w9));
        assertTrue(assertThrows(NegotiationException.class, () -> DeflateTerms.fromResponse("permessage-deflate", w9)).getMessage()
                .contains("lacks it"));
        assertTrue(assertThrows(NegotiationException.class, () -> DeflateTerms.fromResponse("permessage-deflate; server_max_window_bits=10", w9))
                .getMessage().contains("larger than the offered 9"));
        List<DeflateOffer> nct = DeflateParameterSet.ofGroup13(2).offers();
        assertThrows(NegotiationException.class, () -> DeflateTerms.fromResponse("permessage-deflate", nct));
        // 13.7: the response answers the third (default) offer
        assertEquals(new DeflateTerms(false, false, 15, 15), DeflateTerms.fromResponse("permessage-deflate", DeflateParameterSet.THREE_OFFERS.offers()));
        List<DeflateOffer> noWindow = List.of(new DeflateOffer(true, false, false, 0));
        assertTrue(assertThrows(NegotiationException.class, () -> DeflateTerms.fromResponse("permessage-deflate; client_max_window_bits=10", noWindow))
                .getMessage().contains("RFC 7692 §7.1.2.2"));
        assertThrows(NegotiationException.class, () -> DeflateTerms.fromResponse("permessage-deflate; client_max_window_bits", d));
        assertThrows(NegotiationException.class, () -> DeflateTerms.fromResponse("permessage-deflate; mystery", d));
        assertThrows(NegotiationException.class, () -> DeflateTerms.fromResponse("permessage-deflate, permessage-deflate", d));
        assertThrows(NegotiationException.class, () -> DeflateTerms.fromResponse("x-other", d));
        assertThrows(NegotiationException.class, () -> DeflateTerms.fromResponse("permessage-deflate; server_no_context_takeover; server_no_context_takeover", d));
    }
}
