/** The {@code iommu-lab} command line (picocli): one class per subcommand, and their shared options. */
package org.iommulab.cli;
