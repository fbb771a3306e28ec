package org.iommulab.stats;

/** The s390 "Mapped pages" and "Unmapped pages" statistics: 4 KiB pages entered and cleared. */
public record PageCounts(long mapped, long unmapped) {}
