package org.iommulab.s390.legacy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.s390.RpcitHandler;
import org.iommulab.s390.RpcitResult;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cpu;

/**
 * An RPCIT handler for tests: records every RPCIT, answers from a script (OK once the script is
 * empty) and, like firmware, ends the stale window of every page a successful RPCIT covers.
 */
final class ScriptedRpcitHandler implements RpcitHandler {

    /** One RPCIT as issued, with the answer it got. */
    record Call(long dmaAddr, long length, RpcitResult result) {}

    private final ArrayDeque<RpcitResult> script = new ArrayDeque<>();
    private final List<Call> calls = new ArrayList<>();

    /** The next RPCITs answer {@code results}, in order. */
    void answer(RpcitResult... results) {
        script.addAll(List.of(results));
    }

    /** Scripted answers not yet given. */
    int pendingAnswers() {
        return script.size();
    }

    @Override
    public RpcitResult rpcit(Cpu cpu, ZpciFunction fn, long dmaAddr, long length) {
        RpcitResult r = script.isEmpty() ? RpcitResult.OK : script.poll();
        calls.add(new Call(dmaAddr, length, r));
        IommuTrace tracker = fn.trace();
        if (r.isOk() && tracker != null) {
            tracker.invalidated(cpu.nowNs(), dmaAddr >>> 12, length >>> 12);
        }
        return r;
    }

    List<Call> calls() {
        return calls;
    }

    /** RPCITs over the function's whole DMA range. */
    long globals(ZpciFunction fn) {
        return calls.stream().filter(c -> isGlobal(fn, c)).count();
    }

    static boolean isGlobal(ZpciFunction fn, Call c) {
        return c.dmaAddr() == fn.startDma() && c.length() == fn.endDma() - fn.startDma() + 1;
    }
}
