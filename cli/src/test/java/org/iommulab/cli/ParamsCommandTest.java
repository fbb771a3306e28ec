package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.iommulab.sim.Cost;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ParamsCommandTest {

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
    void unknownFormatIsOneLineAndExitTwo() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("params", "--format", "xml")).isEqualTo(2);
        assertThat(err.toString().strip()).contains("xml").doesNotContain("\n").doesNotContain("Exception");
    }
}
