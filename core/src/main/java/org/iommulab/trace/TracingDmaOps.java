package org.iommulab.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;

/**
 * A device's DMA ops that also write each call as the kernel's {@code dma:*} tracepoints print it
 * (include/trace/events/dma.h, v6.12 names: {@code dma_map_page}, {@code dma_unmap_page},
 * {@code dma_map_sg}, {@code dma_unmap_sg}), in tracefs {@code trace} text with the call's CPU and
 * virtual time, so a run can be kept, shared, diffed and replayed. Failed maps write nothing, as
 * the tracepoints fire only on success.
 */
public final class TracingDmaOps implements DmaOps {

    private final DmaOps ops;
    private final Writer out;

    public TracingDmaOps(DmaOps ops, Writer out) {
        this.ops = ops;
        this.out = out;
    }

    /** The header tracefs prints above the records. */
    public static void header(Writer out) {
        write(out, "# tracer: nop\n#\n#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n#              | |         |"
                + "   |||||     |         |\n");
    }

    @Override
    public long mapPage(Cpu cpu, Device dev, long phys, long size, DmaDirection dir, long attrs) {
        long dma = ops.mapPage(cpu, dev, phys, size, dir, attrs);
        if (dma != DMA_MAPPING_ERROR) {
            record(cpu, "dma_map_page", String.format(Locale.ROOT, "%s dir=%s dma_addr=%x size=%d phys_addr=%x attrs=",
                    dev.name(), dir, dma, size, phys));
        }
        return dma;
    }

    @Override
    public void unmapPage(Cpu cpu, Device dev, long dmaHandle, long size, DmaDirection dir, long attrs) {
        record(cpu, "dma_unmap_page", String.format(Locale.ROOT, "%s dir=%s dma_addr=%x size=%d attrs=",
                dev.name(), dir, dmaHandle, size));
        ops.unmapPage(cpu, dev, dmaHandle, size, dir, attrs);
    }

    @Override
    public int mapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        int n = ops.mapSg(cpu, dev, sg, dir, attrs);
        if (n > 0) {
            StringBuilder addrs = new StringBuilder();
            StringBuilder sizes = new StringBuilder();
            for (int i = 0; i < sg.dmaNents(); i++) {
                addrs.append(i == 0 ? "" : ",").append("0x").append(Long.toHexString(sg.dmaAddress(i)));
                sizes.append(i == 0 ? "" : ",").append("0x").append(Integer.toHexString(sg.dmaLength(i)));
            }
            record(cpu, "dma_map_sg", String.format(Locale.ROOT, "%s dir=%s dma_addrs={%s} sizes={%s} phys_addrs=%s attrs=",
                    dev.name(), dir, addrs, sizes, physAddrs(sg)));
        }
        return n;
    }

    @Override
    public void unmapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        record(cpu, "dma_unmap_sg", String.format(Locale.ROOT, "%s dir=%s phys_addrs=%s attrs=", dev.name(), dir,
                physAddrs(sg)));
        ops.unmapSg(cpu, dev, sg, dir, attrs);
    }

    @Override
    public long optMappingSize(Device dev) {
        return ops.optMappingSize(dev);
    }

    private static String physAddrs(ScatterList sg) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < sg.nents(); i++) {
            sb.append(i == 0 ? "" : ",").append("0x").append(Long.toHexString(sg.phys(i)));
        }
        return sb.append('}').toString();
    }

    private void record(Cpu cpu, String event, String body) {
        long ns = cpu.nowNs();
        long us = ns / 1000; // tracefs prints microseconds
        write(out, String.format(Locale.ROOT, "%16s-%-5d [%03d] ..... %6d.%06d: %s: %s%n", "iommu-lab", cpu.id(),
                cpu.id(), us / 1_000_000, us % 1_000_000, event, body));
    }

    private static void write(Writer out, String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
