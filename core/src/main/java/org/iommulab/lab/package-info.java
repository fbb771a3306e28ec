/**
 * The composition root: a {@link org.iommulab.lab.Scenario} names a platform, a DMA mode, a
 * workload and costs; {@link org.iommulab.lab.Machines} assembles the kernel layers and the
 * platform for it, and {@link org.iommulab.lab.Simulation} runs it in virtual time and collects
 * its metrics.
 */
package org.iommulab.lab;
