package org.iommulab.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The failures a run can inject, by the name {@code --fault} gives them, with the kind of value each
 * takes and what it does to the machine.
 */
public enum FaultKind {
    RPCIT_BUSY("rpcit-busy", "rpcitBusy", Value.RETRIED_PROBABILITY,
            "s390: an RPCIT answers busy (cc 2); the guest retries it after 1 us"),
    RPCIT_OOR("rpcit-oor", "rpcitOor", Value.PROBABILITY,
            "s390: an RPCIT answers out of resources (cc 1, status 16); dma-iommu's driver refreshes"
                    + " globally and retries, the old scheme purges and retries, else the map fails with -ENOMEM"),
    RPCIT_ERROR("rpcit-error", "rpcitError", Value.PROBABILITY,
            "s390: an RPCIT fails with another error (cc 1, status 8): -EIO; a map fails, a flush is lost"),
    HV_DMA_LIMIT("hv-dma-limit", "hvDmaLimit", Value.ENTRIES,
            "kvm: the host's DMA entry limit (vfio type1's dma_entry_limit, 65535 by default), one entry a page"),
    IOVA_SPACE("iova-space", "iovaSpace", Value.BYTES,
            "the bus address space the device can reach: s390's DMA range from its start, elsewhere the"
                    + " device's bus_dma_limit; maps fail once it is full"),
    TABLE_ALLOC("table-alloc", "tableAlloc", Value.PROBABILITY,
            "s390, x86, x86-cm, smmuv3: allocating a translation table fails (GFP_ATOMIC); the map fails with -ENOMEM"),
    DEVICE_ERROR("device-error", "deviceError", Value.PROBABILITY,
            "fio, netperf: the device ends an I/O with an error status; the driver unmaps it and fails it"),
    VIRTIO_ERROR("virtio-error", "virtioError", Value.PROBABILITY,
            "virtio: the virtio-iommu device fails a MAP or UNMAP request (VIRTIO_IOMMU_S_DEVERR) and does"
                    + " nothing; the guest never reads the status of queued requests"),
    INV_TIMEOUT("inv-timeout", "invTimeout", Value.RETRIED_PROBABILITY,
            "x86, x86-cm: a queued invalidation's wait times out (ITE); the kernel submits it again");

    /** What a kind's value is. */
    public enum Value {
        /** A chance per call, 0..1. */
        PROBABILITY,
        /** A chance per call of a failure the kernel retries until it passes, so below 1. */
        RETRIED_PROBABILITY,
        /** A count of 4 KiB entries, at least 1. */
        ENTRIES,
        /** A size in bytes, a multiple of 4 KiB. */
        BYTES
    }

    private final String cliName;
    private final String component;
    private final Value value;
    private final String help;

    FaultKind(String cliName, String component, Value value, String help) {
        this.cliName = cliName;
        this.component = component;
        this.value = value;
        this.help = help;
    }

    /** The name {@code --fault} takes, e.g. {@code rpcit-busy}. */
    public String cliName() {
        return cliName;
    }

    /** The {@link Faults} component that holds this kind's value. */
    String component() {
        return component;
    }

    public Value value() {
        return value;
    }

    /** Whether this kind fails calls at random (rather than setting a limit). */
    public boolean random() {
        return value == Value.PROBABILITY || value == Value.RETRIED_PROBABILITY;
    }

    /** One sentence for the help and the docs. */
    public String help() {
        return help;
    }

    /** The kind named {@code name}. */
    public static FaultKind byCliName(String name) {
        for (FaultKind k : values()) {
            if (k.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "'; allowed: " + names());
    }

    /** Every kind's name, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(FaultKind::cliName).collect(Collectors.joining(", "));
    }
}
