package org.iommulab.workload;

import org.iommulab.sim.Cost;
import org.iommulab.sim.virtual.VirtualEngine;
import org.iommulab.sim.virtual.VirtualSerialResource;

/**
 * A NIC port bounded by its line rate ({@link Cost#NIC_WIRE_KIB} per KiB on the wire), full
 * duplex: transmitted frames queue on the port's transmit side, a serial resource; received
 * frames arrive at most at line rate. Each frame carries Ethernet's 38 bytes of framing on the
 * wire beyond the IP packet.
 *
 * <p>Simplified: no pause frames, no on-NIC buffering, and a transmitted request goes out as
 * MTU-sized frames (TSO) in one piece.
 */
final class NicModel {

    /** Header 14 + FCS 4 + preamble and start delimiter 8 + inter-frame gap 12 bytes (IEEE 802.3). */
    static final int ETH_WIRE_OVERHEAD = 38;

    private final VirtualSerialResource tx;
    private final long wireKiBNs;

    NicModel(VirtualEngine engine, String name) {
        this.wireKiBNs = engine.costs().ns(Cost.NIC_WIRE_KIB);
        if (wireKiBNs == 0) {
            throw new IllegalArgumentException(
                    "NIC cost " + Cost.NIC_WIRE_KIB.key() + " is 0, an infinite line rate; give it a value > 0");
        }
        this.tx = engine.newSerialResource(name + ".tx");
    }

    /** The wire time of one received frame carrying an IP packet of {@code mtu} bytes. */
    long frameNs(int mtu) {
        return wireNs(mtu + ETH_WIRE_OVERHEAD);
    }

    /** {@code bytes} of payload sent as {@code mtu}-sized frames from {@code atNs}; returns when the last leaves. */
    long transmit(long atNs, long bytes, int mtu) {
        long frames = (bytes + mtu - 1) / mtu;
        long ns = wireNs(bytes + frames * ETH_WIRE_OVERHEAD);
        return tx.reserve(atNs, ns) + ns;
    }

    private long wireNs(long wireBytes) {
        return (wireBytes * wireKiBNs + 1023) / 1024;
    }
}
