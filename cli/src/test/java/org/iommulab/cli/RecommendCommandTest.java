package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecommendCommandTest {

    @Test
    void aBoundSomeCandidatesMeetGivesTheOneWithTheMostIops() {
        CliRun cli = new CliRun();
        assertThat(cli.run("recommend", "--platform", "x86", "--cpus", "2", "--duration-ms", "5",
                "--max-stale-ms", "1000")).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("recommended on x86 for stale p99 <= 1000 ms and IOPS >= 0.00x strict")
                .containsPattern("(?m)^policy +IOPS +vs base +stale p99 +stale max$")
                .contains("candidates run");
    }

    @Test
    void aBoundNothingMeetsSaysSoAndShowsTheFrontier() {
        CliRun cli = new CliRun();
        assertThat(cli.run("recommend", "--platform", "kvm", "--cpus", "2", "--duration-ms", "5",
                "--max-stale-ms", "0.001", "--min-iops-ratio", "10")).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("nothing meets stale p99 <= 0.001 ms and IOPS >= 10.00x legacy")
                .contains("the frontier of IOPS against stale p99 offers:").containsPattern("(?m)^legacy +");
    }

    @Test
    void boundsOutOfRangeAreRefused() {
        CliRun cli = new CliRun();
        assertThat(cli.run("recommend", "--max-stale-ms", "0")).isEqualTo(2);
        assertThat(cli.err()).contains("--max-stale-ms 0.0 is not above 0 ms");
        CliRun ratio = new CliRun();
        assertThat(ratio.run("recommend", "--max-stale-ms", "5", "--min-iops-ratio", "-1")).isEqualTo(2);
        assertThat(ratio.err()).contains("--min-iops-ratio -1.0 is not in 0-10");
    }
}
