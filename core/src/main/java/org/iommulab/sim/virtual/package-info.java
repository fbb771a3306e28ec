/**
 * The virtual-time engine: N simulated CPUs on one thread, each with its own clock, events run
 * earliest first, locks and devices as "busy until T" resources (docs/model.md, "Virtual time").
 */
package org.iommulab.sim.virtual;
