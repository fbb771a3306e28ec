package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --fault} on the commands that run the model: results, one-line refusals, and a result fed back. */
class FaultOptionTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownKindIsOneLineNamingTheKinds() {
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--fault", "speed=1")).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("iommu-lab: unknown fault 'speed'; allowed: rpcit-busy, rpcit-oor,"
                + " rpcit-error, hv-dma-limit, iova-space, table-alloc, device-error, virtio-error, inv-timeout");
    }

    @Test
    void aKindThePlatformLacksIsOneLineSayingWhereItApplies() {
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--platform", "kvm", "--fault", "virtio-error=0.1")).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("iommu-lab: --fault virtio-error applies to virtio, not to kvm");
    }

    @Test
    void aRunReportsWhatItInjectedAndItsResultRunsAgainTheSameWay() throws Exception {
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--platform", "kvm", "--duration-ms", "20", "--cpus", "2", "--fault", "rpcit-busy=0.1",
                "--fault", "device-error=0.01", "--format", "json")).isEqualTo(0);
        JsonNode r = new ObjectMapper().readTree(cli.out());
        assertThat(r.at("/config/faults").asText()).isEqualTo("rpcit-busy=0.1,device-error=0.01");
        assertThat(r.at("/faults/injected/rpcit-busy").asLong()).isPositive();
        assertThat(r.at("/faults/dmaDebug").asBoolean()).isTrue();
        assertThat(r.at("/io/failedByCause/deviceError").asLong()).isEqualTo(r.at("/faults/injected/device-error").asLong());

        Path again = dir.resolve("result.json");
        Files.writeString(again, cli.out());
        CliRun rerun = new CliRun();
        assertThat(rerun.run("run", "--config", again.toString(), "--format", "json")).isEqualTo(0);
        JsonNode r2 = new ObjectMapper().readTree(rerun.out());
        assertThat(r2.at("/faults")).isEqualTo(r.at("/faults"));
        assertThat(r2.at("/io")).isEqualTo(r.at("/io"));
    }

    @Test
    void stressSaysWhatItInjectedIntoEachTarget() {
        CliRun cli = new CliRun();
        assertThat(cli.run("stress", "--platform", "lpar", "--dma", "strict", "--ms", "50", "--threads", "1",
                "--fault", "rpcit-busy=0.2")).isEqualTo(0);
        assertThat(cli.out()).contains("lpar strict").containsPattern("injected: rpcit-busy [1-9]");
    }
}
