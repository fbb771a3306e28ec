package org.iommulab.platform.device;

import static org.iommulab.s390.PciDma.*;

import org.iommulab.s390.DmaTable;
import org.iommulab.s390.ZpciFunction;

/**
 * The zPCI hardware's table walk in LPAR: a DMA address inside the function's registered range
 * {@code [start_dma, end_dma]} is translated through the registered tables; a protect bit at any
 * level makes the page read-only. Nothing is translated while no tables are registered.
 */
public final class IoatTranslationSource implements DmaTranslationSource {

    private final ZpciFunction fn;

    public IoatTranslationSource(ZpciFunction fn) {
        this.fn = fn;
    }

    @Override
    public long lookup(long iova) {
        DmaTable table = fn.ioat();
        if (table == null || Long.compareUnsigned(iova, fn.startDma()) < 0
                || Long.compareUnsigned(iova, fn.endDma()) > 0) {
            return NO_TRANSLATION;
        }
        long rte = table.rte(iova);
        if (!regEntryIsValid(rte)) {
            return NO_TRANSLATION;
        }
        long ste = table.ste(rte, iova);
        if (!regEntryIsValid(ste)) {
            return NO_TRANSLATION;
        }
        long pte = table.pte(ste, iova);
        if (!ptEntryIsValid(pte)) {
            return NO_TRANSLATION;
        }
        boolean writable = !entryIsProtected(rte) && !entryIsProtected(ste) && !entryIsProtected(pte);
        return DmaTranslationSource.translation(ptePfaa(pte), writable);
    }
}
