package org.iommulab.workload;

import org.iommulab.sim.DeviceQueue;
import org.iommulab.sim.Scheduler;

/**
 * A NIC port bounded by its line rate ({@link NetperfOptions#nicGbps}), full
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

    private final DeviceQueue tx;
    private final int gbps;

    NicModel(Scheduler engine, String name, int gbps) {
        this.gbps = gbps;
        this.tx = engine.newDeviceQueue(name + ".tx");
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

    /** Bits over the line rate, rounded up: at {@code gbps} Gb/s a bit takes 1/gbps ns. */
    long wireNs(long wireBytes) {
        return (wireBytes * 8 + gbps - 1) / gbps;
    }
}
