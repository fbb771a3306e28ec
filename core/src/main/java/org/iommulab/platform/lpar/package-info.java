/**
 * An s390 logical partition without a paging hypervisor: the machine firmware executes RPCIT by
 * invalidating the device's IOTLB, and the hardware walks the guest's own tables.
 */
package org.iommulab.platform.lpar;
