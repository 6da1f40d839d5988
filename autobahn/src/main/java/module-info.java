/**
 * Conformance tooling for Tern: Tern's own runner of the Autobahn testsuite's case catalogue
 * (fuzzing client and fuzzing server modes, JSON and HTML reports), the testees that the official
 * suite runs against (an echo server and a client that follows the fuzzing server's protocol), and
 * the reader of the official reports' verdicts.
 *
 * <p>The runner's wire code (opening handshake, framing, masking, UTF-8 checks) is its own and does
 * not use Tern's codec, so a bug shared with Tern cannot hide itself. Tern's transport is required only
 * by the testees.
 */
module io.tern.autobahn {
    requires transitive io.tern.pubsub;
    exports io.tern.autobahn.runner;
    exports io.tern.autobahn.catalogue;
    exports io.tern.autobahn.report;
    exports io.tern.autobahn.testee;
    exports io.tern.autobahn.official;
}
