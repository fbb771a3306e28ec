package org.iommulab.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iommulab.sim.Cpu;

/**
 * DMA-API debugging ({@code CONFIG_DMA_API_DEBUG}, kernel/dma/debug.c) around a device's DMA ops:
 * every mapping the ops hand out is entered with its size and direction, and checked. A map whose
 * bus addresses overlap a mapping still live hands out an address twice; an unmap must name a
 * live mapping with its size and direction; what is still mapped when the run ends is a leak, as
 * the kernel reports pending mappings when a driver is unbound. Errors are counted and the first
 * few kept, never thrown: a run under injected faults must say what went wrong, not stop.
 * Costs nothing in virtual time: the debug code is the model's, not the guest's. Thread-safe.
 */
public final class DmaDebugOps implements DmaOps {

    /** How many error messages are kept; the rest are counted only. */
    static final int MAX_MESSAGES = 10;

    private final DmaOps ops;
    private final Map<Device, TreeMap<Long, Entry>> live = new HashMap<>();
    private final List<String> messages = new ArrayList<>();
    private long errors;
    private long maps;

    private record Entry(long size, DmaDirection dir) {}

    public DmaDebugOps(DmaOps ops) {
        this.ops = ops;
    }

    @Override
    public long mapPage(Cpu cpu, Device dev, long phys, long size, DmaDirection dir, long attrs) {
        long handle = ops.mapPage(cpu, dev, phys, size, dir, attrs);
        if (handle != DMA_MAPPING_ERROR) {
            enter(dev, handle, size, dir);
        }
        return handle;
    }

    @Override
    public void unmapPage(Cpu cpu, Device dev, long dmaHandle, long size, DmaDirection dir, long attrs) {
        remove(dev, dmaHandle, size, dir);
        ops.unmapPage(cpu, dev, dmaHandle, size, dir, attrs);
    }

    @Override
    public int mapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        int n = ops.mapSg(cpu, dev, sg, dir, attrs);
        for (int i = 0; i < n; i++) {
            enter(dev, sg.dmaAddress(i), sg.dmaLength(i), dir);
        }
        return n;
    }

    @Override
    public void unmapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        for (int i = 0; i < sg.dmaNents(); i++) {
            remove(dev, sg.dmaAddress(i), sg.dmaLength(i), dir);
        }
        ops.unmapSg(cpu, dev, sg, dir, attrs);
    }

    @Override
    public long optMappingSize(Device dev) {
        return ops.optMappingSize(dev);
    }

    private synchronized void enter(Device dev, long addr, long size, DmaDirection dir) {
        maps++;
        TreeMap<Long, Entry> mapped = live.computeIfAbsent(dev, d -> new TreeMap<>());
        Map.Entry<Long, Entry> below = mapped.floorEntry(addr + size - 1);
        if (below != null && below.getKey() + below.getValue().size() > addr) {
            error(dev + ": DMA address 0x" + Long.toHexString(addr) + " (" + size + " bytes) handed out while 0x"
                    + Long.toHexString(below.getKey()) + " (" + below.getValue().size() + " bytes) is still mapped");
            return;
        }
        mapped.put(addr, new Entry(size, dir));
    }

    private synchronized void remove(Device dev, long addr, long size, DmaDirection dir) {
        TreeMap<Long, Entry> mapped = live.get(dev);
        Entry e = mapped == null ? null : mapped.remove(addr);
        if (e == null) {
            error(dev + ": unmap of DMA address 0x" + Long.toHexString(addr) + " that is not mapped");
        } else if (e.size() != size || e.dir() != dir) {
            error(dev + ": unmap of DMA address 0x" + Long.toHexString(addr) + " as " + size + " bytes " + dir
                    + ", mapped as " + e.size() + " bytes " + e.dir());
        }
    }

    private void error(String message) {
        errors++;
        if (messages.size() < MAX_MESSAGES) {
            messages.add(message);
        }
    }

    /** Mappings entered so far. */
    public synchronized long maps() {
        return maps;
    }

    /** Errors found so far. */
    public synchronized long errors() {
        return errors;
    }

    /** The first {@value #MAX_MESSAGES} errors, as the kernel would print them. */
    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    /** Mappings live now: at the end of a run, after every I/O ended, each is a leak. */
    public synchronized long liveMappings() {
        return live.values().stream().mapToLong(TreeMap::size).sum();
    }
}
