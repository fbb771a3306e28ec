/**
 * The reference configuration: every default of the model (costs, hypervisor profiles, kernel and
 * flush-queue settings, the machine, the IOMMUs' hardware, the workloads) in one YAML file,
 * {@code reference.yaml} beside this package's classes, which the rest of the code reads its
 * defaults from.
 */
package org.iommulab.config;
