package org.iommulab.ideal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.ReservedRegion;
import org.junit.jupiter.api.Test;

class IovaSafetyCheckerTest {

    private final IovaSafetyChecker checker = new IovaSafetyChecker(new DomainGeometry(0x1000, 0xfffff, true),
            List.of(new ReservedRegion(0x8000, 0x2000, ReservedRegion.Type.RESERVED)), 0x1000);

    @Test
    void reuseBeforeAnyFlushIsAViolation() {
        checker.mapped(0x2000, 0x2000);
        checker.unmapped(0x2000, 0x2000);
        checker.mapped(0x3000, 0x1000);
        assertThat(checker.violations()).isEqualTo(1);
        assertThat(checker.messages()).singleElement().asString().contains("reused before a flush");
    }

    @Test
    void aFlushThatStartedBeforeTheUnmapDoesNotCoverIt() {
        checker.mapped(0x2000, 0x1000);
        long start = checker.flushStarted();
        checker.unmapped(0x2000, 0x1000);
        checker.flushFinished(start, 0, -1L);
        assertThat(checker.stalePages()).isEqualTo(1);
        checker.flushFinished(checker.flushStarted(), 0x3000, 0x3fff); // another range
        assertThat(checker.stalePages()).isEqualTo(1);
        checker.flushFinished(checker.flushStarted(), 0x2000, 0x2fff);
        assertThat(checker.stalePages()).isZero();
        checker.mapped(0x2000, 0x1000);
        assertThat(checker.violations()).isZero();
    }

    @Test
    void overlapsApertureAndReservedRegionsAreViolations() {
        checker.mapped(0x2000, 0x2000);
        checker.mapped(0x3000, 0x1000);
        checker.mapped(0, 0x1000);
        checker.mapped(0x9000, 0x1000);
        checker.unmapped(0x50000, 0x1000);
        assertThat(checker.violations()).isEqualTo(4);
    }
}
