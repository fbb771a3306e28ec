package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iommulab.platform.shadow.GuestSetup.page;
import static org.iommulab.s390.PciDma.PAGE_SIZE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.iommulab.platform.device.DmaTranslationSource;
import org.iommulab.s390.RpcitResult;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random guest activity the way Linux produces it (a page is mapped only when it is neither mapped
 * nor waiting for the RPCIT that covers its unmap; ranged RPCITs after maps and strict unmaps;
 * global refreshes after lazy unmaps and on insufficient resources), checking after every step that
 * the shadow never exceeds the DMA limit, that every counter adds up, and after global refreshes
 * that the shadow matches the guest tables. The guest maps only inside the aperture it was told,
 * so under qemu-8.0 it can never run out of DMA entries, and under iommufd nothing is counted.
 */
class ShadowInvariantsTest {

    private static final int LIMIT = 48;
    private static final int MAX_GUEST_PAGES = 64;
    /** Pages in region 2 segments 0, 1 and 3, and in region 3 segment 0: invalid segments and a region between. */
    private static final long[] SEGMENT_FIRST_PAGES = {0, 256, 768, 2048 * 256};
    private static final long GLOBAL_PAGES = 2048 * 256 + 512;

    static Stream<Arguments> profilesAndSeeds() {
        List<Arguments> out = new ArrayList<>();
        for (HypervisorProfile p : HypervisorProfile.all()) {
            for (long seed = 1; seed <= 8; seed++) {
                out.add(Arguments.of(p.name(), seed));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("profilesAndSeeds")
    void shadowStaysWithinLimitAndMatchesGuestAfterGlobalRefresh(String profileName, long seed) {
        HypervisorProfile profile = HypervisorProfile.byName(profileName);
        GuestSetup g = new GuestSetup(new ManualEngine(1), profile, LIMIT);
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Long, Long> guest = new HashMap<>();
        Set<Long> awaitingRpcit = new HashSet<>();

        for (int step = 0; step < 300; step++) {
            int op = rnd.nextInt(10);
            if (op < 6 && guest.size() < MAX_GUEST_PAGES) {
                long n = randomPage(rnd);
                if (guest.containsKey(n) || awaitingRpcit.contains(n) || page(n) > g.fn.endDma()) {
                    continue;
                }
                long frame = rnd.nextLong(1 << 20) << 12;
                boolean writable = rnd.nextBoolean();
                g.mapTo(n, frame, writable);
                guest.put(n, DmaTranslationSource.translation(frame, writable));
                if (g.rpcit(n, 1).isOutOfResources()) {
                    // the driver's recovery: a global refresh, and the map fails if that fails too
                    boolean failed = globalRefresh(g).isOutOfResources();
                    awaitingRpcit.clear();
                    if (failed && g.shadow().lookup(page(n)) == ShadowTable.ABSENT) {
                        g.unmap(n, 1);
                        guest.remove(n);
                        awaitingRpcit.add(n);
                    }
                }
            } else if (op < 8 && !guest.isEmpty()) {
                long n = guest.keySet().stream().skip(rnd.nextInt(guest.size())).findFirst().orElseThrow();
                g.unmap(n, 1);
                guest.remove(n);
                if (rnd.nextBoolean()) {
                    g.rpcit(n, 1);
                } else {
                    awaitingRpcit.add(n);
                }
            } else {
                RpcitResult r = globalRefresh(g);
                awaitingRpcit.clear();
                checkSettled(g, guest, profile, r);
            }
            checkAlways(g, guest, awaitingRpcit);
        }
        // the limit was reached, except where the aperture keeps the guest below it
        assertThat(g.hv.stats().insufficientResources() > 0)
                .isEqualTo(profile.countsDmaEntries() && !profile.shrinkAperture());
    }

    /** {@code zpci_refresh_all}: an RPCIT over the whole aperture the guest was told. */
    private static RpcitResult globalRefresh(GuestSetup g) {
        return g.hv.rpcit(g.cpu, g.fn, g.fn.startDma(), Math.min(GLOBAL_PAGES * PAGE_SIZE, g.fn.endDma() - g.fn.startDma() + 1));
    }

    private static long randomPage(SplittableRandom rnd) {
        return SEGMENT_FIRST_PAGES[rnd.nextInt(SEGMENT_FIRST_PAGES.length)] + rnd.nextInt(256);
    }

    /** The DMA entries the host allows: {@link #LIMIT}, or no limit for a backend QEMU does not count. */
    private static long limit(GuestSetup g) {
        return g.hv.profile().countsDmaEntries() ? LIMIT : Long.MAX_VALUE;
    }

    private static void checkAlways(GuestSetup g, Map<Long, Long> guest, Set<Long> awaitingRpcit) {
        HypervisorStats s = g.hv.stats();
        ShadowedFunction f = g.shadow();
        assertThat(f.shadowEntries()).isLessThanOrEqualTo(limit(g));
        assertThat(f.shadowEntries()).isEqualTo(s.shadowEntries());
        assertThat(f.dmaAvail()).isEqualTo(limit(g) - f.shadowEntries());
        assertThat(s.hostMaps() - s.hostUnmapPages()).isEqualTo(s.shadowEntries());
        assertThat(s.peakShadowEntries()).isBetween(s.shadowEntries(), limit(g));
        // every shadowed page is a mapped or awaiting page, and every one of those is shadowed right
        long seen = 0;
        for (long n : union(guest.keySet(), awaitingRpcit)) {
            long e = f.lookup(page(n));
            if (e != ShadowTable.ABSENT) {
                seen++;
                assertThat(e == guest.getOrDefault(n, ShadowTable.ABSENT) || awaitingRpcit.contains(n))
                        .as("page %d shadowed as %x", n, e).isTrue();
            }
        }
        assertThat(seen).isEqualTo(f.shadowEntries());
    }

    private static Set<Long> union(Set<Long> a, Set<Long> b) {
        Set<Long> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    /** After a global refresh: nothing stale; all mapped if room (7.1 needs a second refresh). */
    private static void checkSettled(GuestSetup g, Map<Long, Long> guest, HypervisorProfile profile, RpcitResult r) {
        if (!profile.secondPass()) {
            r = globalRefresh(g);
        }
        checkAlways(g, guest, Set.of());
        long expected = Math.min(guest.size(), limit(g));
        assertThat(g.shadow().shadowEntries()).isEqualTo(expected);
        assertThat(r.isOk()).as("%s with %d guest pages", r, guest.size()).isEqualTo(guest.size() < limit(g));
    }
}
