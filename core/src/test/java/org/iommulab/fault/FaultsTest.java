package org.iommulab.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultsTest {

    @Test
    void parsesEveryKindAndWritesItBackTheSameWay() {
        Faults f = Faults.parse("rpcit-busy=0.01, rpcit-oor=0.001,rpcit-error=1e-5,hv-dma-limit=512,iova-space=64MiB,"
                + "table-alloc=1e-4,device-error=0.5,virtio-error=1,inv-timeout=0.25");
        assertThat(f).isEqualTo(new Faults(0.01, 0.001, 1e-5, 512, 64L << 20, 1e-4, 0.5, 1, 0.25));
        assertThat(f.toString()).isEqualTo("rpcit-busy=0.01,rpcit-oor=0.001,rpcit-error=0.00001,hv-dma-limit=512,"
                + "iova-space=64MiB,table-alloc=0.0001,device-error=0.5,virtio-error=1,inv-timeout=0.25");
        assertThat(Faults.parse(f.toString())).isEqualTo(f);
        assertThat(f.kinds()).containsExactly(FaultKind.values());
    }

    @Test
    void aNegativeZeroIsZero() {
        assertThat(Faults.parse("device-error=-0")).isEqualTo(Faults.NONE); // found by Jazzer
        assertThat(Faults.parse("device-error=-0").toString()).isEqualTo("none");
    }

    @Test
    void noneIsTheEmptyPlanAndPrintsAsNone() {
        assertThat(Faults.parse("none")).isSameAs(Faults.NONE);
        assertThat(Faults.parse(" ")).isSameAs(Faults.NONE);
        assertThat(Faults.NONE.toString()).isEqualTo("none");
        assertThat(Faults.NONE.kinds()).isEmpty();
    }

    @Test
    void sizesTakeBinaryUnitsAndPrintInTheLargestThatDividesThem() {
        assertThat(Faults.parse("iova-space=1g").iovaSpace()).isEqualTo(1L << 30);
        assertThat(Faults.parse("iova-space=12KiB").iovaSpace()).isEqualTo(12 * 1024);
        assertThat(Faults.parse("iova-space=8192").toString()).isEqualTo("iova-space=8KiB");
        assertThat(Faults.parse("iova-space=4TiB").iovaSpace()).isEqualTo(Faults.MAX_IOVA_SPACE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "speed=1|unknown fault 'speed'; allowed: rpcit-busy, rpcit-oor",
        "rpcit-busy|--fault item 'rpcit-busy' is not kind=value",
        "rpcit-busy=1|--fault rpcit-busy=1.0; allowed 0 up to but not including 1",
        "rpcit-oor=1.5|--fault rpcit-oor=1.5; allowed 0..1",
        "rpcit-oor=-0.1|--fault rpcit-oor=-0.1; allowed 0..1",
        "rpcit-oor=NaN|--fault rpcit-oor=NaN; allowed a probability",
        "rpcit-oor=0.5d|--fault rpcit-oor=0.5d; allowed a probability",
        "hv-dma-limit=0|--fault hv-dma-limit=0; allowed a whole number of entries",
        "hv-dma-limit=99999999999|--fault hv-dma-limit=99999999999; allowed a whole number of entries",
        "hv-dma-limit=3000000000|--fault hv-dma-limit=3000000000; allowed 1..2147483648",
        "iova-space=5000|--fault iova-space=5000 bytes; allowed a multiple of 4KiB up to 4TiB",
        "iova-space=5TiB|--fault iova-space=5TiB; allowed a size such as 64MiB",
        "iova-space=99999999999999999999|--fault iova-space=99999999999999999999; allowed a size",
        "iova-space=1 parsec|--fault iova-space=1 parsec; allowed a size",
        "device-error=0.1,device-error=0.2|--fault names device-error twice",
    })
    void badItemsAreRefusedNamingTheItemAndWhatIsAllowed(String text, String message) {
        assertThatThrownBy(() -> Faults.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void theKindsThatCanLoseAFlushAreKnown() {
        assertThat(Faults.parse("rpcit-busy=0.5,table-alloc=1,device-error=1,inv-timeout=0.5,iova-space=1MiB")
                .mayLoseFlushes()).as("retried, or failing only maps and I/Os").isFalse();
        for (String lossy : new String[] {"rpcit-oor=0.1", "rpcit-error=0.1", "hv-dma-limit=8", "virtio-error=0.1"}) {
            assertThat(Faults.parse(lossy).mayLoseFlushes()).as(lossy).isTrue();
        }
    }

    @Test
    void withSetsOrRemovesOneKind() {
        Faults f = Faults.parse("rpcit-busy=0.1,iova-space=1MiB");
        assertThat(f.with(FaultKind.RPCIT_BUSY, 0).toString()).isEqualTo("iova-space=1MiB");
        assertThat(f.with(FaultKind.HV_DMA_LIMIT, 7).hvDmaLimit()).isEqualTo(7);
        assertThat(f.has(FaultKind.IOVA_SPACE)).isTrue();
        assertThat(f.has(FaultKind.TABLE_ALLOC)).isFalse();
    }
}
