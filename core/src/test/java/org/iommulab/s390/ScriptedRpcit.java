package org.iommulab.s390;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.iommulab.sim.Cpu;

/** A test RPCIT handler that records every call and answers from a script, then OK. */
final class ScriptedRpcit implements RpcitHandler {

    record Call(ZpciFunction fn, long dmaAddr, long length) {}

    private final Deque<RpcitResult> script = new ArrayDeque<>();
    private final List<Call> calls = new ArrayList<>();

    void script(RpcitResult... results) {
        script.addAll(Arrays.asList(results));
    }

    List<Call> calls() {
        return calls;
    }

    @Override
    public RpcitResult rpcit(Cpu cpu, ZpciFunction fn, long dmaAddr, long length) {
        calls.add(new Call(fn, dmaAddr, length));
        return script.isEmpty() ? RpcitResult.OK : script.poll();
    }
}
