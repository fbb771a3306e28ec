/**
 * Test support for the golden traces: operation-by-operation results of the kernel's own
 * {@code drivers/iommu/iova.c} and {@code lib/iommu-helper.c} code, kept gzip-compressed under
 * {@code golden/} on the test classpath, and the header line that carries each trace's parameters.
 */
package org.iommulab.golden;
