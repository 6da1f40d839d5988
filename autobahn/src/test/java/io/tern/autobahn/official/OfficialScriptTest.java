package io.tern.autobahn.official;

import io.tern.autobahn.report.JsonReader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code autobahn/scripts/official.sh} without Docker: its dry run prints exactly the commands it
 * would run (the pinned image, host networking, the specs and report folders, both roles, the
 * verdict checks), its options are checked, and shellcheck finds nothing (skipped when shellcheck
 * is missing, failed under {@code CI=true}). The specs are checked for the official format.
 */
@Timeout(60)
class OfficialScriptTest {

    private static final Path SCRIPT = Path.of("scripts", "official.sh");
    private static final String IMAGE = "crossbario/autobahn-testsuite:25.10.1"
            + "@sha256:519915fb568b04c9383f70a1c405ae3ff44ab9e35835b085239c258b6fac3074";

    private record Run(int status, String out) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    private static String id(String flag) throws IOException, InterruptedException {
        return run(List.of("id", flag)).out().trim();
    }

    @Test
    void dryRunPrintsTheCommandsOfBothRoles() throws Exception {
        Run r = run(List.of("bash", SCRIPT.toString(), "--dry-run", "--skip-build"));
        assertEquals(0, r.status(), r.out());
        String root = Path.of("").toAbsolutePath().getParent().toString();
        String cp = root + "/codec/target/classes:" + root + "/transport/target/classes:" + root
                + "/pubsub/target/classes:" + root + "/autobahn/target/classes";
        String out = root + "/autobahn/target/official";
        String docker = "timeout 3600 docker run --rm --name tern-autobahn-PID --network host --user "
                + id("-u") + ":" + id("-g") + " --env HOME=/tmp --volume " + root + "/autobahn/config:/config:ro"
                + " --volume " + out + ":/reports ";
        List<String> want = List.of(
                "mkdir -p " + out + "/server " + out + "/client",
                "== official fuzzing client against Tern's testee server (ws://127.0.0.1:9001/)",
                "java -cp " + cp + " io.tern.autobahn.testee.TesteeServer --host 127.0.0.1 --port 9001",
                docker + IMAGE + " wstest --mode fuzzingclient --spec /config/fuzzingclient.json",
                "java -cp " + cp + " io.tern.autobahn.official.OfficialVerdicts " + out
                        + "/server/index.json --agent Tern --groups",
                "== official fuzzing server (ws://127.0.0.1:9001) driving Tern's testee client",
                docker + "--detach " + IMAGE + " wstest --mode fuzzingserver --spec /config/fuzzingserver.json",
                "timeout 3600 java -cp " + cp + " io.tern.autobahn.testee.TesteeClient --url ws://127.0.0.1:9001"
                        + " --agent Tern",
                "java -cp " + cp + " io.tern.autobahn.official.OfficialVerdicts " + out
                        + "/client/index.json --agent Tern --groups",
                "== dry run: nothing was run");
        List<String> got = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            got.add(line.replaceAll("tern-autobahn-\\d+", "tern-autobahn-PID"));
        }
        assertEquals(want, got);
    }

    @Test
    void dryRunBuildsFirstUnlessToldNotTo() throws Exception {
        Run r = run(List.of("bash", SCRIPT.toString(), "--dry-run", "--server-only"));
        assertEquals(0, r.status(), r.out());
        String root = Path.of("").toAbsolutePath().getParent().toString();
        assertEquals("mvn -q -B -ntp -f " + root + "/pom.xml -pl autobahn -am -DskipTests package", r.out().split("\n")[0]);
        assertTrue(!r.out().contains("fuzzingserver"), r.out());
    }

    @Test
    void rejectsBadOptions() throws Exception {
        assertEquals(2, run(List.of("bash", SCRIPT.toString(), "--bogus")).status());
        assertEquals(2, run(List.of("bash", SCRIPT.toString(), "--server-only", "--client-only")).status());
    }

    @Test
    void shellcheckFindsNothing() throws Exception {
        Run version;
        try {
            version = run(List.of("shellcheck", "--version"));
        } catch (IOException e) {
            version = new Run(127, e.getMessage());
        }
        if (version.status() != 0) {
            String why = "shellcheck is not installed (apt-get install -y shellcheck)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        Run r = run(List.of("shellcheck", SCRIPT.toString()));
        assertEquals(0, r.status(), r.out());
    }

    @Test
    void specsAreInTheOfficialFormat() throws IOException {
        Object client = JsonReader.parse(Files.readString(Path.of("config", "fuzzingclient.json")));
        assertEquals(JsonReader.parse("{\"outdir\": \"/reports/server\", \"servers\": [{\"agent\": \"Tern\","
                + " \"url\": \"ws://127.0.0.1:9001\"}], \"cases\": [\"*\"], \"exclude-cases\": [],"
                + " \"exclude-agent-cases\": {}}"), client);
        Object server = JsonReader.parse(Files.readString(Path.of("config", "fuzzingserver.json")));
        assertEquals(JsonReader.parse("{\"url\": \"ws://127.0.0.1:9001\", \"outdir\": \"/reports/client\","
                + " \"cases\": [\"*\"], \"exclude-cases\": [], \"exclude-agent-cases\": {}}"), server);
    }
}
