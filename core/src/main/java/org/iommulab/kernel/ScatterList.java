package org.iommulab.kernel;

/**
 * A scatter-gather table ({@code struct sg_table}): for each entry the physical address and length
 * the driver filled in, and the bus address and length the DMA layer returned. Reusable: a driver
 * keeps one per request slot and refills it, so the hot path allocates nothing.
 */
public final class ScatterList {

    private final long[] phys;
    private final int[] length;
    private final long[] dmaAddress;
    private final int[] dmaLength;
    private int nents;
    private int dmaNents;

    public ScatterList(int capacity) {
        phys = new long[capacity];
        length = new int[capacity];
        dmaAddress = new long[capacity];
        dmaLength = new int[capacity];
    }

    /** Empties the table for refilling. */
    public void clear() {
        nents = 0;
        dmaNents = 0;
    }

    /** Appends a segment of {@code len} bytes at physical address {@code physAddr}. */
    public void add(long physAddr, int len) {
        if (nents == phys.length) {
            throw new IllegalStateException("scatterlist full at " + nents + " entries");
        }
        phys[nents] = physAddr;
        length[nents] = len;
        nents++;
    }

    public int nents() {
        return nents;
    }

    public long phys(int i) {
        return phys[i];
    }

    public int length(int i) {
        return length[i];
    }

    /** The number of DMA segments the last map produced. */
    public int dmaNents() {
        return dmaNents;
    }

    public long dmaAddress(int i) {
        return dmaAddress[i];
    }

    public int dmaLength(int i) {
        return dmaLength[i];
    }

    /** Set by the DMA layer: DMA segment {@code i}. */
    public void setDma(int i, long address, int len) {
        dmaAddress[i] = address;
        dmaLength[i] = len;
    }

    /** Set by the DMA layer: how many DMA segments it produced. */
    public void setDmaNents(int n) {
        dmaNents = n;
    }

    /** The total bytes of all segments. */
    public long totalLength() {
        long t = 0;
        for (int i = 0; i < nents; i++) {
            t += length[i];
        }
        return t;
    }
}
