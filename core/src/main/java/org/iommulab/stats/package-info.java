/**
 * What a run reports: I/O accounting, throughput, CPU time by category, the s390 RPCIT counters,
 * flush-queue and hypervisor counts, memory, and the stale window (how long each unmapped page
 * stayed reachable by the device), as plain records that the report renderers and the JSON
 * output read.
 */
package org.iommulab.stats;
