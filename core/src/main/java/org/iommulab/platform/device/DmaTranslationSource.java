package org.iommulab.platform.device;

/**
 * Where a device's IOTLB fills from on a miss: the translation tables the hardware walks (LPAR),
 * or a hypervisor's shadow of the guest's tables (KVM/QEMU, z/VM), whose content changes only
 * when the hypervisor handles a refresh.
 *
 * <p>A translation is one {@code long}: the 4 KiB page-frame address with {@link #VALID} and,
 * when the device may write the page, {@link #WRITABLE}; {@link #NO_TRANSLATION} when the page
 * is not mapped.
 */
public interface DmaTranslationSource {

    long NO_TRANSLATION = 0;
    long VALID = 1;
    long WRITABLE = 2;
    /** The bits of a translation that hold the page-frame address. */
    long FRAME_MASK = ~0xfffL;

    /** The translation of the 4 KiB page holding {@code iova}. Must not block. */
    long lookup(long iova);

    /** A valid translation of {@code frame}, writable or read-only. */
    static long translation(long frame, boolean writable) {
        return (frame & FRAME_MASK) | VALID | (writable ? WRITABLE : 0);
    }
}
