package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.iommulab.config.Reference;
import org.iommulab.sim.Cost;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ParamsCommandTest {

    private static final String BEGIN = "<!-- BEGIN GENERATED: iommu-lab params --format markdown -->\n";
    private static final String END = "<!-- END GENERATED -->";

    @Test
    void listsEveryCostWithItsDefault() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("params")).isZero();
        for (Cost c : Cost.values()) {
            assertThat(out.toString()).containsPattern("(?m)^" + c.key().replace(".", "\\.") + " +" + c.defaultNs() + " ");
        }
    }

    @Test
    void referencePrintsTheFileEveryDefaultComesFromAndItsCostsAreTheListed() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("params", "--reference")).isZero();
        String text;
        try (var in = Reference.class.getResourceAsStream(Reference.RESOURCE)) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(out.toString()).isEqualTo(text);
        var costs = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(out.toString()).path("costs");
        for (Cost c : Cost.values()) {
            assertThat(costs.path(c.key()).path("ns").asLong()).as(c.key()).isEqualTo(c.defaultNs());
            assertThat(costs.path(c.key()).path("source").asText()).as(c.key()).isEqualTo(c.source());
        }
    }

    @Test
    void jsonListsEveryCostAndWhetherItIsAnAssumption() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("params", "--format", "json")).isZero();
        var all = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(all).hasSize(Cost.values().length);
        assertThat(all.get(0).path("parameter").asText()).isEqualTo(Cost.values()[0].key());
        assertThat(all.get(0).path("default").asLong()).isEqualTo(Cost.values()[0].defaultNs());
        assertThat(all.get(0).has("assumption")).isTrue();
    }

    @Test
    void unknownFormatIsOneLineAndExitTwo() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("params", "--format", "xml")).isEqualTo(2);
        assertThat(err.toString().strip()).contains("xml").doesNotContain("\n").doesNotContain("Exception");
    }

    /** docs/costs.md carries the generated table; regenerate it when a cost changes. */
    @Test
    void docsCostTableIsCurrent() throws IOException {
        Path doc = Path.of(System.getProperty("iommulab.root", ".."), "docs", "costs.md");
        String text = Files.readString(doc);
        int from = text.indexOf(BEGIN);
        int to = text.indexOf(END);
        assertThat(from).as("generated-table markers in " + doc).isNotNegative();
        assertThat(text.substring(from + BEGIN.length(), to))
                .as("docs/costs.md is stale: regenerate its table with ./iommu-lab params --format markdown")
                .isEqualTo(ParamsCommand.render(ParamsCommand.Format.markdown));
    }
}
