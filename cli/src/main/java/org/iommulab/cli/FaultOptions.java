package org.iommulab.cli;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.fault.Faults;
import picocli.CommandLine.Option;

/** {@code --fault}, shared by every command that runs the model: the failures to inject, seeded by the run's seed. */
final class FaultOptions {

    @Option(names = "--fault", paramLabel = "KIND=VALUE[,...]",
            description = "inject failures, e.g. rpcit-busy=0.01,rpcit-oor=0.001,hv-dma-limit=512,iova-space=64MiB;"
                    + " kinds: rpcit-busy, rpcit-oor, rpcit-error, table-alloc, device-error, virtio-error, inv-timeout"
                    + " (a probability per call), hv-dma-limit (entries), iova-space (bytes); may be repeated;"
                    + " see docs/faults.md (default: none)")
    private List<String> faults = new ArrayList<>();

    /** The faults given, checked; {@link Faults#NONE} without the option. */
    Faults faults() {
        return Faults.parse(String.join(",", faults));
    }
}
