package org.iommulab.sim;

/**
 * The Java form of the kernel's {@code ____cacheline_aligned_in_smp} for objects one CPU writes
 * on every operation (a CPU's flush queue, gather, rcache, lock): 128 bytes of padding before
 * the fields of a subclass, so that no other object's fields share their cache lines or the
 * adjacent line a prefetcher pulls in with them. The JVM lays out a superclass's fields before a
 * subclass's, so padding is inherited: a padded class {@code X} puts its fields in
 * {@code abstract class XFields extends CachelineAligned} and ends with a final
 * {@code class X extends XFields} that declares the trailing padding ({@link #TRAILING_LONGS}
 * unused longs). {@code CachelineAlignedLayoutTest} checks every such class with JOL.
 *
 * <p>The {@code int} comes first for a reason: with compressed class pointers the object header
 * is 12 bytes, and the JVM (since JDK 15) fills the 4-byte gap after it with the first small field
 * it finds, a subclass's included. The {@code int} takes that gap, so no subclass field lands in
 * the header's line.
 */
public abstract class CachelineAligned {

    /** Longs a padded class declares after its fields: 128 bytes. */
    public static final int TRAILING_LONGS = 16;

    int headerGap;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
