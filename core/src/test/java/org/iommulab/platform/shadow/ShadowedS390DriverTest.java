package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;
import org.iommulab.platform.RpcitFaults;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.s390.S390Domain;
import org.iommulab.s390.S390Iommu;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

/** The s390 driver's out-of-resources path against the hypervisor's DMA limit. */
class ShadowedS390DriverTest {

    private static final long PAGE = 4096;
    private static final int LIMIT = 8;

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);
    private final ShadowingHypervisor hv = new ShadowingHypervisor(engine, HypervisorProfile.QEMU_7_2, LIMIT, RpcitFaults.NONE);
    private final Device dev = new Device("nvme0");
    private final ZpciFunction fn = hv.functionBuilder(dev, GuestSetup.SDMA, GuestSetup.HOST_EDMA).build();
    private final IotlbDevice hw = hv.plug(fn, 16);
    private final S390Domain domain;

    ShadowedS390DriverTest() {
        S390Iommu iommu = new S390Iommu(1L << 30, 1, new TableMemory());
        iommu.addFunction(fn);
        assertThat(iommu.probeDevice(dev)).isZero();
        domain = (S390Domain) iommu.domainAllocPaging(dev);
        assertThat(domain.attachDev(dev)).isZero();
    }

    private long iova(int n) {
        return fn.startDma() + n * PAGE;
    }

    private int map(int n) {
        assertThat(domain.mapPages(cpu, iova(n), 0x10_0000L * (n + 1), PAGE, 1, IommuProt.READ | IommuProt.WRITE))
                .isEqualTo(PAGE);
        return domain.iotlbSyncMap(cpu, iova(n), PAGE);
    }

    @Test
    void globalRefreshReclaimsLazilyUnmappedEntriesSoTheMapSucceeds() {
        for (int n = 0; n < LIMIT - 1; n++) {
            assertThat(map(n)).isZero();
        }
        IotlbGather gather = new IotlbGather();
        gather.setQueued(true);
        domain.unmapPages(cpu, iova(0), PAGE, 1, gather); // lazy: no RPCIT, page 0 stays shadowed
        assertThat(hw.translate(iova(0), false)).isEqualTo(0x10_0000L);

        // the last entry goes to page 7: cc 1 status 16, the driver's global refresh frees page 0
        assertThat(map(LIMIT - 1)).isZero();

        // the refresh is the driver's own zpci_refresh_all, which no debugfs counter counts
        assertThat(fn.iommuCtrs().syncMapRpcits()).isEqualTo(LIMIT);
        assertThat(hv.stats().exits()).isEqualTo(LIMIT + 1);
        assertThat(hv.stats().insufficientResources()).isEqualTo(1);
        assertThat(hw.translate(iova(0), false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(hw.translate(iova(LIMIT - 1), true)).isEqualTo(0x10_0000L * LIMIT);
        assertThat(hv.function(fn).shadowEntries()).isEqualTo(LIMIT - 1);
    }

    @Test
    void mapFailsWithEnomemWhenTheGlobalRefreshFreesNothing() {
        for (int n = 0; n < LIMIT - 1; n++) {
            assertThat(map(n)).isZero();
        }

        // QEMU answers status 16 once no entry is left, so the guest gets one page less than the limit
        assertThat(map(LIMIT - 1)).isEqualTo(-Errno.ENOMEM);

        assertThat(hv.stats().exits()).isEqualTo(LIMIT + 1);
        assertThat(hv.stats().insufficientResources()).isEqualTo(2);
        assertThat(hv.function(fn).shadowEntries()).isEqualTo(LIMIT);
    }
}
