package org.iommulab.iommu;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.ideal.IdealDomain;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

class IommuDomainTest {

    private static final long SZ_4K = 1L << 12;
    private static final long SZ_2M = 1L << 21;
    private static final long SZ_1G = 1L << 30;
    private static final long BITMAP = SZ_4K | SZ_2M | SZ_1G;

    private final Cpu cpu = new ManualEngine(1).cpu(0);

    private static IdealDomain newDomain(long bitmap) {
        IdealIommu driver = new IdealIommu(IdealIommu.Config.defaults().withPgsizeBitmap(bitmap).withCheckSafety(true));
        return (IdealDomain) driver.domainAllocPaging(new Device("d"));
    }

    @Test
    void pgsizePicksTheLargestAlignedSizeThatFits() {
        assertThat(IommuDomain.pgsize(BITMAP, 0, 0, SZ_2M)).isEqualTo(SZ_2M);
        assertThat(IommuDomain.pgsize(BITMAP, SZ_4K, SZ_4K, SZ_2M)).isEqualTo(SZ_4K);
        assertThat(IommuDomain.pgsize(BITMAP, SZ_2M, 0, SZ_1G + SZ_2M)).isEqualTo(SZ_2M);
        assertThat(IommuDomain.pgsize(BITMAP, 0, 0, 2 * SZ_1G)).isEqualTo(SZ_1G);
    }

    @Test
    void pgcountStopsAtTheNextBiggerPageWhenOneFits() {
        // iova and paddr share their offset within 2 MiB: 4 KiB pages up to the 2 MiB boundary
        long iova = SZ_2M - 3 * SZ_4K;
        long paddr = 5 * SZ_2M - 3 * SZ_4K;
        assertThat(IommuDomain.pgcount(BITMAP, iova, paddr, SZ_2M + 3 * SZ_4K, SZ_4K)).isEqualTo(3);
        // different offsets: no 2 MiB page can ever be used, so all 4 KiB pages in one call
        assertThat(IommuDomain.pgcount(BITMAP, iova, paddr + SZ_4K, SZ_2M + 3 * SZ_4K, SZ_4K))
                .isEqualTo((SZ_2M + 3 * SZ_4K) / SZ_4K);
        // the bigger page does not fit in the rest: all in small pages
        assertThat(IommuDomain.pgcount(BITMAP, iova, paddr, SZ_2M, SZ_4K)).isEqualTo(SZ_2M / SZ_4K);
    }

    @Test
    void iommuMapSplitsIntoPagesAndSyncsTheWholeRange() {
        IdealDomain ops = newDomain(BITMAP);
        IommuDomain domain = IommuDomain.paging(DomainType.DMA, ops);
        long iova = SZ_2M - SZ_4K;
        assertThat(domain.iommuMap(cpu, iova, 7 * SZ_2M - SZ_4K, SZ_2M + 2 * SZ_4K, IommuProt.READ)).isZero();
        assertThat(ops.mapPagesCalls()).isEqualTo(3); // 4K, 2M, 4K
        assertThat(ops.syncMaps()).isEqualTo(1);
        assertThat(ops.iovaToPhys(iova + SZ_4K + 5)).isEqualTo(7 * SZ_2M + 5);
    }

    @Test
    void misalignedMapIsEinval() {
        IommuDomain domain = IommuDomain.paging(DomainType.DMA, newDomain(SZ_4K));
        assertThat(domain.iommuMap(cpu, 0x1000, 0x2001, SZ_4K, IommuProt.READ)).isEqualTo(-Errno.EINVAL);
        assertThat(domain.iommuMap(cpu, 0x1000, 0x2000, 0, IommuProt.READ)).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void iotlbSyncMapFailureUndoesTheMapping() {
        IdealDomain ops = newDomain(SZ_4K);
        IommuDomain domain = IommuDomain.paging(DomainType.DMA, ops);
        ops.failIotlbSyncMap(-Errno.ENOMEM, 1);
        assertThat(domain.iommuMap(cpu, 0x10000, 0x20000, 4 * SZ_4K, IommuProt.WRITE)).isEqualTo(-Errno.ENOMEM);
        assertThat(ops.mappedPages()).isZero();
        assertThat(ops.iovaToPhys(0x10000)).isZero();
        assertThat(ops.iotlbSyncs()).isEqualTo(1); // the undo is a strict unmap
        // the next map of the same range works and is safe: the undo was flushed
        assertThat(domain.iommuMap(cpu, 0x10000, 0x20000, 4 * SZ_4K, IommuProt.WRITE)).isZero();
        assertThat(ops.checker().violations()).isZero();
    }

    @Test
    void iommuMapSgJoinsContiguousSegmentsAndUndoesOnSyncFailure() {
        IdealDomain ops = newDomain(SZ_4K);
        IommuDomain domain = IommuDomain.paging(DomainType.DMA, ops);
        ScatterList sg = new ScatterList(4);
        sg.add(0x100000, 0x1000);
        sg.add(0x101000, 0x2000);
        sg.add(0x400000, 0x1000);
        assertThat(domain.iommuMapSg(cpu, 0x8000, sg, IommuProt.READ)).isEqualTo(0x4000);
        assertThat(ops.mapPagesCalls()).isEqualTo(2);
        assertThat(ops.iovaToPhys(0xa000)).isEqualTo(0x102000);
        assertThat(ops.iovaToPhys(0xb000)).isEqualTo(0x400000);

        ops.failIotlbSyncMap(-Errno.ENOMEM, 1);
        assertThat(domain.iommuMapSg(cpu, 0x20000, sg, IommuProt.READ)).isEqualTo(-Errno.ENOMEM);
        assertThat(ops.iovaToPhys(0x20000)).isZero();
        assertThat(ops.mappedPages()).isEqualTo(4);
    }

    @Test
    void unmapFastGathersTheRangeAndSyncResetsIt() {
        IdealDomain ops = newDomain(SZ_4K);
        IommuDomain domain = IommuDomain.paging(DomainType.DMA, ops);
        domain.iommuMap(cpu, 0x10000, 0x20000, 2 * SZ_4K, IommuProt.READ);
        IotlbGather gather = new IotlbGather();
        assertThat(domain.iommuUnmapFast(cpu, 0x10000, 2 * SZ_4K, gather)).isEqualTo(2 * SZ_4K);
        assertThat(gather.start()).isEqualTo(0x10000);
        assertThat(gather.end()).isEqualTo(0x11fff);
        assertThat(ops.iotlbSyncs()).isZero();
        domain.iommuIotlbSync(cpu, gather);
        assertThat(ops.iotlbSyncs()).isEqualTo(1);
        assertThat(gather.isEmpty()).isTrue();
        assertThat(domain.iommuUnmapFast(cpu, 0x10001, SZ_4K, gather)).isZero();
    }
}
