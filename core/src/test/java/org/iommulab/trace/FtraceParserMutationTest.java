package org.iommulab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation of the sample capture's lines (characters replaced, inserted, deleted, lines cut
 * and joined): the parser answers every one with an event, another record or a skip reason, and
 * the checks take whatever events come out, never throwing.
 */
class FtraceParserMutationTest {

    private static final String ALPHABET = "0123456789abcdefxX .:-=[]()#<>/_\tdirsze\u00e9\u0000";

    @Test
    void noMutatedLineMakesTheParserOrTheChecksThrow() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/trace/tracefs-nvme-fault-after-unmap.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        Random random = new Random(20261204);
        DmaApiChecks checks = new DmaApiChecks();
        int events = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder line = new StringBuilder(lines.get(random.nextInt(lines.size())));
            for (int edits = 1 + random.nextInt(4); edits > 0 && line.length() > 0; edits--) {
                int at = random.nextInt(line.length());
                switch (random.nextInt(5)) {
                    case 0 -> line.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    case 1 -> line.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    case 2 -> line.deleteCharAt(at);
                    case 3 -> line.setLength(at);
                    default -> line.append(lines.get(random.nextInt(lines.size())));
                }
            }
            FtraceParser.Result r = FtraceParser.parse(line.toString(), i + 1);
            assertThat(r).isNotNull();
            if (r instanceof FtraceParser.Result.Event e) {
                checks.accept(e.event());
                events++;
            }
        }
        assertThat(events).as("mutations that still parse reach the checks").isGreaterThan(1000);
        assertThat(checks.findings()).isNotEmpty();
    }
}
