package org.iommulab.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks of CONFIG_DMA_API_DEBUG (kernel/dma/debug.c) on a capture's {@code dma:*} events, per
 * device: every unmap must match a live map of the same address, size and direction, every free a
 * coherent allocation of the same size, every sync a live mapping, and nothing streaming may stay
 * mapped (coherent memory is held for a driver's life, so it is no leak). A trace also shows what the debug code cannot: a device faulting on an IOVA it
 * had mapped and unmapped before, an access after unmap, reported with how long after the unmap it
 * came. Memory is bounded by the live mappings and by one record per address unmapped.
 */
public final class DmaApiChecks {

    /** A map of one device still live, or the last unmap of an address. */
    private record Mapping(long size, String dir, long line, long timeNs) {}

    private final Map<String, TreeMap<Long, Mapping>> live = new LinkedHashMap<>();
    private final Map<String, TreeMap<Long, Mapping>> unmapped = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, DeviceSpan> spans = new LinkedHashMap<>();
    /** Each device's coherent allocations, by DMA address (held for a driver's life: no leak at the end). */
    private final Map<String, Map<Long, Long>> coherent = new LinkedHashMap<>();
    /** Each device's live scatter-gather maps, by their physical segments. */
    private final Map<String, Map<List<Long>, TraceEvent.DmaMapSg>> liveSg = new LinkedHashMap<>();
    /** Devices the IOMMU layer named (group and attach events), whatever they mapped. */
    private final Set<String> named = new LinkedHashSet<>();

    /**
     * A device's {@code dma:*} map and unmap events (the IOMMU stream's {@code iommu:map} and
     * {@code unmap}), how many, and the times of its first and last
     * event, faults included.
     */
    public record DeviceSpan(long events, long firstNs, long lastNs) {}

    /** Takes the capture's next event, in the capture's order. */
    public void accept(TraceEvent event) {
        boolean dma = event instanceof TraceEvent.DmaMap || event instanceof TraceEvent.DmaUnmap
                || event instanceof TraceEvent.DmaMapSg || event instanceof TraceEvent.DmaUnmapSg
                || event instanceof TraceEvent.IommuMap || event instanceof TraceEvent.IommuUnmap;
        if (dma || event instanceof TraceEvent.IoPageFault) { // a replay runs up to the device's last fault too
            spans.merge(event.device(), new DeviceSpan(dma ? 1 : 0, event.timeNs(), event.timeNs()), (a, b) ->
                    new DeviceSpan(a.events() + b.events(), Math.min(a.firstNs(), b.firstNs()),
                            Math.max(a.lastNs(), b.lastNs())));
        }
        if (event instanceof TraceEvent.DmaMap m) {
            live.computeIfAbsent(m.device(), d -> new TreeMap<>()).put(m.dmaAddr(),
                    new Mapping(m.size(), m.dir(), m.line(), m.timeNs()));
            TreeMap<Long, Mapping> gone = unmapped.get(m.device());
            if (gone != null) {
                gone.remove(m.dmaAddr());
            }
        } else if (event instanceof TraceEvent.DmaUnmap u) {
            unmap(u);
        } else if (event instanceof TraceEvent.DmaMapSg m) {
            liveSg.computeIfAbsent(m.device(), d -> new LinkedHashMap<>()).put(m.physAddrs(), m);
            TreeMap<Long, Mapping> maps = live.computeIfAbsent(m.device(), d -> new TreeMap<>());
            for (int i = 0; i < m.dmaAddrs().size(); i++) {
                maps.put(m.dmaAddrs().get(i), new Mapping(m.sizes().get(i), m.dir(), m.line(), m.timeNs()));
                TreeMap<Long, Mapping> gone = unmapped.get(m.device());
                if (gone != null) {
                    gone.remove(m.dmaAddrs().get(i));
                }
            }
        } else if (event instanceof TraceEvent.DmaUnmapSg u) {
            unmapSg(u);
        } else if (event instanceof TraceEvent.IommuMap m) {
            live.computeIfAbsent(m.device(), d -> new TreeMap<>()).put(m.iova(),
                    new Mapping(m.size(), "", m.line(), m.timeNs()));
        } else if (event instanceof TraceEvent.IommuUnmap u) {
            iommuUnmap(u);
        } else if (event instanceof TraceEvent.DmaAlloc a) {
            coherent.computeIfAbsent(a.device(), d -> new LinkedHashMap<>()).put(a.dmaAddr(), a.size());
        } else if (event instanceof TraceEvent.DmaFree f) {
            Long size = coherent.getOrDefault(f.device(), Map.of()).get(f.dmaAddr());
            if (size == null || size != f.size()) {
                findings.add(new Finding(Finding.Kind.FREE_UNKNOWN, f.device(), f.dmaAddr(), f.size(), List.of(f.line()),
                        size == null ? "the device has no coherent allocation at this address"
                                : "allocated with size " + size + ", freed with " + f.size()));
            }
            if (size != null) {
                coherent.get(f.device()).remove(f.dmaAddr());
            }
        } else if (event instanceof TraceEvent.DmaSync s) {
            boolean coherentHere = coherent.getOrDefault(s.device(), Map.of()).containsKey(s.dmaAddr());
            if (!coherentHere && covering(live.get(s.device()), s.dmaAddr()) == null) {
                findings.add(new Finding(Finding.Kind.SYNC_UNMAPPED, s.device(), s.dmaAddr(), s.size(), List.of(s.line()),
                        "the device syncs memory it has not mapped"));
            }
        } else if (event instanceof TraceEvent.DmaSyncSg s) {
            for (int i = 0; i < s.dmaAddrs().size(); i++) {
                if (covering(live.get(s.device()), s.dmaAddrs().get(i)) == null) {
                    findings.add(new Finding(Finding.Kind.SYNC_UNMAPPED, s.device(), s.dmaAddrs().get(i),
                            s.sizes().get(i), List.of(s.line()), "the device syncs a segment it has not mapped"));
                }
            }
        } else if (event instanceof TraceEvent.IommuDevice d) {
            named.add(d.device());
        } else if (event instanceof TraceEvent.IoPageFault f) {
            fault(f);
        }
    }

    private void unmap(TraceEvent.DmaUnmap u) {
        TreeMap<Long, Mapping> maps = live.computeIfAbsent(u.device(), d -> new TreeMap<>());
        Mapping m = maps.remove(u.dmaAddr());
        if (m == null) {
            Mapping before = unmapped.getOrDefault(u.device(), new TreeMap<>()).get(u.dmaAddr());
            if (before != null) {
                findings.add(new Finding(Finding.Kind.DOUBLE_UNMAP, u.device(), u.dmaAddr(), u.size(),
                        List.of(before.line(), u.line()), "unmapped again; its last unmap was at line " + before.line()));
            } else {
                findings.add(new Finding(Finding.Kind.UNMAP_UNKNOWN, u.device(), u.dmaAddr(), u.size(), List.of(u.line()),
                        "the device has no mapping at this address"));
            }
            return;
        }
        if (m.size() != u.size()) {
            findings.add(new Finding(Finding.Kind.SIZE_MISMATCH, u.device(), u.dmaAddr(), u.size(),
                    List.of(m.line(), u.line()), "mapped with size " + m.size() + ", unmapped with " + u.size()));
        }
        if (!m.dir().equals(u.dir())) {
            findings.add(new Finding(Finding.Kind.DIRECTION_MISMATCH, u.device(), u.dmaAddr(), u.size(),
                    List.of(m.line(), u.line()), "mapped " + m.dir() + ", unmapped " + u.dir()));
        }
        unmapped.computeIfAbsent(u.device(), d -> new TreeMap<>()).put(u.dmaAddr(),
                new Mapping(m.size(), m.dir(), u.line(), u.timeNs()));
    }

    /**
     * An IOMMU-API unmap covers a range, which may hold several maps (map_sg maps segment by
     * segment, the unmap takes the whole buffer): every map inside it ends; one that the range
     * cuts is a size mismatch; a range that holds none is an unknown unmap. A fault on a device
     * name the iommu stream cannot know is not matched against it.
     */
    private void iommuUnmap(TraceEvent.IommuUnmap u) {
        TreeMap<Long, Mapping> maps = live.computeIfAbsent(u.device(), d -> new TreeMap<>());
        long end = u.iova() + u.size();
        Map.Entry<Long, Mapping> below = maps.lowerEntry(u.iova());
        boolean cutsBelow = below != null && below.getKey() + below.getValue().size() > u.iova();
        if (cutsBelow) {
            findings.add(new Finding(Finding.Kind.SIZE_MISMATCH, u.device(), u.iova(), u.size(),
                    List.of(below.getValue().line(), u.line()), "the unmap starts inside the map at 0x"
                            + Long.toHexString(below.getKey()) + " of size " + below.getValue().size()));
        }
        Map<Long, Mapping> inside = maps.subMap(u.iova(), true, end, false);
        if (inside.isEmpty() && cutsBelow) {
            return;
        }
        if (inside.isEmpty()) {
            Mapping before = unmapped.getOrDefault(u.device(), new TreeMap<>()).get(u.iova());
            findings.add(before != null
                    ? new Finding(Finding.Kind.DOUBLE_UNMAP, u.device(), u.iova(), u.size(), List.of(before.line(), u.line()),
                            "unmapped again; its last unmap was at line " + before.line())
                    : new Finding(Finding.Kind.UNMAP_UNKNOWN, u.device(), u.iova(), u.size(), List.of(u.line()),
                            "no map lies in this range"));
            return;
        }
        Map.Entry<Long, Mapping> last = maps.floorEntry(end - 1);
        if (last != null && last.getKey() + last.getValue().size() > end) {
            findings.add(new Finding(Finding.Kind.SIZE_MISMATCH, u.device(), u.iova(), u.size(),
                    List.of(last.getValue().line(), u.line()), "the unmap ends inside the map at 0x"
                            + Long.toHexString(last.getKey()) + " of size " + last.getValue().size()));
        }
        TreeMap<Long, Mapping> gone = unmapped.computeIfAbsent(u.device(), d -> new TreeMap<>());
        inside.forEach((iova, m) -> gone.put(iova, new Mapping(m.size(), "", u.line(), u.timeNs())));
        inside.clear();
    }

    private void unmapSg(TraceEvent.DmaUnmapSg u) {
        TraceEvent.DmaMapSg m = liveSg.getOrDefault(u.device(), Map.of()).get(u.physAddrs());
        if (m == null) {
            findings.add(new Finding(Finding.Kind.SG_UNMAP_UNMATCHED, u.device(), u.physAddrs().get(0), 0,
                    List.of(u.line()), "no live dma_map_sg of the device has these " + u.physAddrs().size()
                            + " physical segments"));
            return;
        }
        liveSg.get(u.device()).remove(u.physAddrs());
        if (!m.dir().equals(u.dir())) {
            findings.add(new Finding(Finding.Kind.DIRECTION_MISMATCH, u.device(), m.dmaAddrs().get(0), m.bytes(),
                    List.of(m.line(), u.line()), "mapped " + m.dir() + ", unmapped " + u.dir()));
        }
        TreeMap<Long, Mapping> maps = live.get(u.device());
        TreeMap<Long, Mapping> gone = unmapped.computeIfAbsent(u.device(), d -> new TreeMap<>());
        for (int i = 0; i < m.dmaAddrs().size(); i++) {
            maps.remove(m.dmaAddrs().get(i));
            gone.put(m.dmaAddrs().get(i), new Mapping(m.sizes().get(i), m.dir(), u.line(), u.timeNs()));
        }
    }

    private void fault(TraceEvent.IoPageFault f) {
        // iommu:map events name no device: they are the faulting device's when an attach event named it and
        // the capture shows it no dma:* mapping of its own
        String stream = named.contains(f.device()) && !live.containsKey(f.device()) && !unmapped.containsKey(f.device())
                ? TraceEvent.IOMMU_STREAM : f.device();
        if (covering(live.get(stream), f.iova()) != null) {
            return; // a fault on a live mapping is a permission or hardware matter, not a lifetime one
        }
        Map.Entry<Long, Mapping> gone = covering(unmapped.get(stream), f.iova());
        if (gone != null) {
            Mapping m = gone.getValue();
            findings.add(new Finding(Finding.Kind.FAULT_AFTER_UNMAP, f.device(), f.iova(), m.size(),
                    List.of(m.line(), f.line()), String.format(Locale.ROOT,
                            "the device used 0x%x %.3f ms after its unmap at line %d", f.iova(),
                            (f.timeNs() - m.timeNs()) / 1e6, m.line())));
        } else {
            findings.add(new Finding(Finding.Kind.FAULT_UNMAPPED, f.device(), f.iova(), 0, List.of(f.line()),
                    "the capture never shows this address mapped for the device"));
        }
    }

    /** The entry of {@code maps} whose range holds {@code addr}, or null. */
    private static Map.Entry<Long, Mapping> covering(TreeMap<Long, Mapping> maps, long addr) {
        if (maps == null) {
            return null;
        }
        Map.Entry<Long, Mapping> e = maps.floorEntry(addr);
        return e != null && addr - e.getKey() < Math.max(1, e.getValue().size()) ? e : null;
    }

    /** Every finding so far and, per device, what is still mapped as a leak. */
    public List<Finding> findings() {
        List<Finding> out = new ArrayList<>(findings);
        live.forEach((device, maps) -> {
            if (!maps.isEmpty()) {
                Map.Entry<Long, Mapping> first = maps.firstEntry();
                long bytes = maps.values().stream().mapToLong(Mapping::size).sum();
                out.add(new Finding(Finding.Kind.LEAK, device, first.getKey(), bytes, List.of(first.getValue().line()),
                        maps.size() + " mapping(s), " + bytes + " bytes, still mapped when the capture ends; the first"
                                + " from line " + first.getValue().line()));
            }
        });
        return out;
    }

    /** Each device's {@code dma:*} map and unmap events, in the order the devices first appeared. */
    public Map<String, DeviceSpan> spans() {
        return new LinkedHashMap<>(spans);
    }

    /** The devices the capture names, in the order they first appeared. */
    public List<String> devices() {
        List<String> out = new ArrayList<>(live.keySet());
        unmapped.keySet().stream().filter(d -> !out.contains(d)).forEach(out::add);
        named.stream().filter(d -> !out.contains(d)).forEach(out::add);
        return out;
    }
}
