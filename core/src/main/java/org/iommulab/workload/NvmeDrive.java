package org.iommulab.workload;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.iommulab.sim.Cost;

/**
 * The NVMe drive behind the fio workload, as the cost keys that shape it: NAND flash, whose
 * ~1 M IOPS ceiling hides much of what the DMA path costs on a fast platform, or low-latency
 * flash that leaves the host's DMA path as the bound.
 */
public enum NvmeDrive {
    /** NAND flash: ~80 us reads, ~1 M IOPS, ~5 GB/s. */
    NVME(Cost.NVME_READ_LATENCY, Cost.NVME_WRITE_LATENCY, Cost.NVME_LATENCY_JITTER, Cost.NVME_COMMAND,
            Cost.NVME_PAGE_TRANSFER),
    /** Low-latency flash: ~10 us reads, ~10 M IOPS. */
    NVME_FAST(Cost.NVME_FAST_READ_LATENCY, Cost.NVME_FAST_WRITE_LATENCY, Cost.NVME_FAST_LATENCY_JITTER,
            Cost.NVME_FAST_COMMAND, Cost.NVME_FAST_PAGE_TRANSFER);

    final Cost readLatency;
    final Cost writeLatency;
    final Cost latencyJitter;
    final Cost command;
    final Cost pageTransfer;

    NvmeDrive(Cost readLatency, Cost writeLatency, Cost latencyJitter, Cost command, Cost pageTransfer) {
        this.readLatency = readLatency;
        this.writeLatency = writeLatency;
        this.latencyJitter = latencyJitter;
        this.command = command;
        this.pageTransfer = pageTransfer;
    }

    /** The command-line name: {@code nvme} or {@code nvme-fast}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the value and the allowed ones */
    public static NvmeDrive parse(String name) {
        for (NvmeDrive d : values()) {
            if (d.cliName().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("device '" + name + "' is not one of "
                + Arrays.stream(values()).map(NvmeDrive::cliName).collect(Collectors.joining(", ")));
    }
}
