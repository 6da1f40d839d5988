/**
 * Tern's conformance module: testees for the official Autobahn testsuite (an echo server and a
 * client that follows the fuzzing server's protocol) and the reader of the official reports'
 * verdicts.
 */
module io.tern.autobahn {
    requires transitive io.tern.pubsub;
    exports io.tern.autobahn.testee;
    exports io.tern.autobahn.official;
}
