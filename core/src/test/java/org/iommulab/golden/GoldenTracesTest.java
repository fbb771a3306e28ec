package org.iommulab.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The golden traces are all there, unaltered, and their headers are read strictly. */
class GoldenTracesTest {

    @Test
    void everyListedTraceIsPresentWithItsChecksum() throws IOException, NoSuchAlgorithmException {
        assertThat(GoldenTrace.index()).extracting(GoldenTrace.Entry::name).contains(
                "iova-tree-1.txt", "iova-tree-2.txt", "iova-tree-3.txt", "iova-tree-exhaust-33.txt",
                "iova-rcache-1.txt", "iova-rcache-2.txt", "iova-rcache-3.txt",
                "legacy-bitmap-1.txt", "legacy-bitmap-2.txt", "legacy-bitmap-3.txt", "legacy-bitmap-boundary-4.txt",
                "iova-rcache-8cpu-hand.txt", "legacy-bitmap-small-hand.txt");
        for (GoldenTrace.Entry e : GoldenTrace.index()) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(GoldenTrace.open(e.name()), sha)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            assertThat(HexFormat.of().formatHex(sha.digest())).as(e.name()).isEqualTo(e.sha256());
        }
    }

    @Test
    void headerParametersAreReadAndChecked() {
        TraceHeader h = TraceHeader.parse("t.txt", "# iova-rcache x | init(granule=4096,start_pfn=1) ncpu=8 ops=10 | line: ...");
        assertThat(h.kind()).isEqualTo("iova-rcache");
        assertThat(h.require("ncpu", 1, 64)).isEqualTo(8);
        assertThat(h.require("granule", 1, 4096)).isEqualTo(4096);
        assertThat(h.optional("trim_every", 1000, 1, Long.MAX_VALUE)).isEqualTo(1000);
        assertThatThrownBy(() -> h.require("pages", 1, 10))
                .hasMessage("t.txt: the header has no pages= parameter");
        assertThatThrownBy(() -> h.require("ncpu", 1, 4))
                .hasMessage("t.txt: header ncpu=8 cannot be replayed; the model takes 1..4");
        assertThatThrownBy(() -> TraceHeader.parse("t.txt", "alloc 1 2 3"))
                .hasMessageStartingWith("t.txt: line 1 must be the '# <kind>");
    }
}
