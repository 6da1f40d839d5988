package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.Catalogue;
import org.junit.jupiter.api.Test;

import java.util.List;

class SmokeTest {
    @Test
    void smoke() throws Exception {
        try (TernEcho echo = new TernEcho()) {
            Catalogue cat = Catalogue.load();
            RunResults r = new FuzzingClient(echo.uri(), "tern", cat.select(List.of(System.getProperty("cases", "1.*,2.*")), List.of()))
                    .run(c -> System.out.println(c.id() + " " + c.behavior() + " " + c.behaviorClose() + " " + c.durationMillis() + " " + c.result() + " / " + c.resultClose() + " " + c.wasNotCleanReason()));
            r.summary(cat, ExitRule.strict()).forEach(System.out::println);
        }
    }
}
