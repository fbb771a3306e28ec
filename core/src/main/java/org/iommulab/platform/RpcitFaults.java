package org.iommulab.platform;

import org.iommulab.fault.FaultAttr;
import org.iommulab.fault.FaultInjector;
import org.iommulab.fault.FaultKind;
import org.iommulab.s390.RpcitResult;

/**
 * The answers an s390 platform may give an RPCIT instead of executing it, injected by
 * {@code --fault}: busy, out of resources, or an error. The platform draws after it has spent
 * what taking the instruction costs and before it does any of the refresh, so an injected answer
 * changes nothing beneath the guest.
 */
public final class RpcitFaults {

    /** No answers injected. */
    public static final RpcitFaults NONE = new RpcitFaults(FaultInjector.NONE);

    private static final RpcitResult ERROR = RpcitResult.error(RpcitResult.ZPCI_PCI_ST_FUNC_IN_ERR);

    private final FaultAttr busy;
    private final FaultAttr outOfResources;
    private final FaultAttr error;

    public RpcitFaults(FaultInjector faults) {
        this.busy = faults.attr(FaultKind.RPCIT_BUSY);
        this.outOfResources = faults.attr(FaultKind.RPCIT_OOR);
        this.error = faults.attr(FaultKind.RPCIT_ERROR);
    }

    /** The answer to give instead of executing this RPCIT, or null to execute it. */
    public RpcitResult draw() {
        if (busy.shouldFail()) {
            return RpcitResult.BUSY;
        }
        if (outOfResources.shouldFail()) {
            return RpcitResult.INSUFFICIENT_RESOURCES;
        }
        return error.shouldFail() ? ERROR : null;
    }
}
