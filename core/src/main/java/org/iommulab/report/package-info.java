/** Renders run metrics for people and programs: flattened keys, aligned tables and CSV. */
package org.iommulab.report;
