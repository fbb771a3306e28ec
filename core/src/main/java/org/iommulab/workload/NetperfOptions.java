package org.iommulab.workload;

import java.util.Locale;
import org.iommulab.config.Records;
import org.iommulab.config.Reference;

/**
 * The options of {@link Netperf}: which directions stream, the number of queue pairs (0: one per
 * CPU), the receive ring size in buffers, the MTU (a received frame fits one page-sized buffer),
 * the page fragments of each transmitted request and the requests each transmit queue keeps in
 * flight, the memory the buffers scatter over, the seed, the handling of mapping errors on
 * transmit, how a send is mapped, and the NIC's line rate.
 */
public record NetperfOptions(Traffic traffic, int queues, int rxRingSize, int mtu, int txFragments,
        int txDepth, int memoryGiB, long seed, MapRetry retry, TxMapping txMapping, int nicGbps) {

    /** Which way data streams: netperf's TCP_STREAM sends, TCP_MAERTS receives. */
    public enum Traffic { TX, RX, BOTH }

    /**
     * How a send is mapped: all fragments with one {@code dma_map_sg}, or each with its own
     * {@code dma_map_page}, as most NIC drivers' transmit paths do ({@code skb_frag_dma_map}),
     * unmapping those already mapped when one fails.
     */
    public enum TxMapping { MAP_SG, MAP_PAGE_PER_FRAGMENT }

    public static final int MAX_QUEUES = 4096;
    public static final int MAX_RING = 1 << 16;
    /** IPv4's minimum MTU. */
    public static final int MIN_MTU = 68;
    /** A frame and its 14-byte Ethernet header fit one page-sized buffer. */
    public static final int MAX_MTU = RandomPages.PAGE_SIZE - 14;
    /** {@code MAX_SKB_FRAGS} with 4 KiB pages. */
    public static final int MAX_SKB_FRAGS = 17;
    public static final int MAX_TX_DEPTH = 4096;
    /** A 25 Gb/s port, a common data-centre NIC speed (assumption). */
    public static final int DEFAULT_NIC_GBPS = Reference.integer("workloads", "netperf", "nicGbps");
    public static final int MAX_NIC_GBPS = 1600;

    public NetperfOptions {
        if (traffic == null) {
            throw new IllegalArgumentException("netperf traffic is missing; allowed TX, RX, BOTH");
        }
        OptionRange.requireRange("netperf queues", queues, 0, MAX_QUEUES);
        OptionRange.requireRange("netperf rxRingSize", rxRingSize, 1, MAX_RING);
        OptionRange.requireRange("netperf mtu", mtu, MIN_MTU, MAX_MTU);
        OptionRange.requireRange("netperf txFragments", txFragments, 1, MAX_SKB_FRAGS);
        OptionRange.requireRange("netperf txDepth", txDepth, 1, MAX_TX_DEPTH);
        OptionRange.requireRange("netperf memoryGiB", memoryGiB, 1, FioOptions.MAX_MEMORY_GIB);
        if (retry == null) {
            throw new IllegalArgumentException("netperf retry is missing; give a MapRetry");
        }
        if (txMapping == null) {
            throw new IllegalArgumentException("netperf txMapping is missing; allowed MAP_SG, MAP_PAGE_PER_FRAGMENT");
        }
        OptionRange.requireRange("netperf nicGbps", nicGbps, 1, MAX_NIC_GBPS);
    }

    /** The options with sends mapped by one {@code dma_map_sg}, on a 25 Gb/s port. */
    public NetperfOptions(Traffic traffic, int queues, int rxRingSize, int mtu, int txFragments, int txDepth,
            int memoryGiB, long seed, MapRetry retry) {
        this(traffic, queues, rxRingSize, mtu, txFragments, txDepth, memoryGiB, seed, retry, TxMapping.MAP_SG,
                DEFAULT_NIC_GBPS);
    }

    /**
     * The reference configuration's netperf (both directions, one queue pair per CPU, 1024-buffer
     * rings, MTU 1500, 64 KiB sends of 16 page fragments as TSO sends, 32 in flight per queue, a
     * 25 Gb/s port) over the default guest memory; a send whose mapping fails is dropped, as
     * ndo_start_xmit drops it, and the next waits 10 us (assumption); a send is mapped with one
     * {@code dma_map_sg}.
     */
    public static NetperfOptions defaults() {
        Reference.Section n = Reference.section("workloads", "netperf");
        return new NetperfOptions(Traffic.valueOf(n.text("traffic").toUpperCase(Locale.ROOT)), n.integer("queues"),
                n.integer("rxRingSize"), n.integer("mtu"), n.integer("txFragments"), n.integer("txDepth"),
                Reference.integer("machine", "guestMemoryGiB"), Reference.integer("machine", "seed"),
                new MapRetry(1, 10_000));
    }

    public NetperfOptions withTraffic(Traffic t) {
        return Records.with(this, "traffic", t);
    }

    public NetperfOptions withQueues(int n) {
        return Records.with(this, "queues", n);
    }

    public NetperfOptions withRxRingSize(int n) {
        return Records.with(this, "rxRingSize", n);
    }

    public NetperfOptions withMtu(int n) {
        return Records.with(this, "mtu", n);
    }

    public NetperfOptions withTxFragments(int n) {
        return Records.with(this, "txFragments", n);
    }

    public NetperfOptions withTxDepth(int n) {
        return Records.with(this, "txDepth", n);
    }

    public NetperfOptions withSeed(long s) {
        return Records.with(this, "seed", s);
    }

    public NetperfOptions withRetry(MapRetry r) {
        return Records.with(this, "retry", r);
    }

    public NetperfOptions withTxMapping(TxMapping m) {
        return Records.with(this, "txMapping", m);
    }

    public NetperfOptions withNicGbps(int gbps) {
        return Records.with(this, "nicGbps", gbps);
    }
}
