package org.iommulab.platform.lpar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.s390.S390Domain;
import org.iommulab.s390.S390Iommu;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.threads.NativeEngine;
import org.iommulab.testing.Concurrently;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The s390 driver and LPAR firmware on real threads: CPUs map, unmap and flush (strictly) pages
 * of their own IOVA ranges while a device thread keeps translating pages of all ranges, so the
 * tables, the IOTLB and the counters are used from several threads at once. Once an unmap's
 * RPCIT has returned, the page must fault for the CPU that unmapped it.
 */
class LparNativeConcurrencyTest {

    private static final long PAGE = 4096;
    private static final long SDMA = 1L << 32;
    private static final int CPUS = 2;
    private static final int PAGES_PER_CPU = 16;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void noPageIsReachableAfterItsStrictFlushWhileTheDeviceRaces(long seed) throws Exception {
        LparFirmware lpar = new LparFirmware();
        Device dev = new Device("nic0");
        ZpciFunction fn = lpar.functionBuilder(dev).build();
        IotlbDevice hw = lpar.plug(fn, 8);
        S390Iommu s390 = new S390Iommu(1L << 30, 1, new TableMemory());
        s390.addFunction(fn);
        S390Domain domain = (S390Domain) s390.domainAllocPaging(dev);
        assertThat(domain.attachDev(dev)).isZero();

        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        try (NativeEngine engine = new NativeEngine(CPUS)) {
            ExecutorService deviceThread = Executors.newSingleThreadExecutor();
            Future<?> device = deviceThread.submit(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                while (!done.get()) {
                    hw.translate(SDMA + rnd.nextLong(CPUS * PAGES_PER_CPU) * PAGE, false);
                }
            });
            try {
                Concurrently.run(CPUS, c -> {
                    Cpu cpu = engine.cpu(c);
                    long base = SDMA + (long) c * PAGES_PER_CPU * PAGE;
                    SplittableRandom rnd = new SplittableRandom(seed * 31 + c);
                    for (int i = 0; i < 3000 && failure.get() == null; i++) {
                        long iova = base + rnd.nextLong(PAGES_PER_CPU) * PAGE;
                        long phys = (1L << 36) + rnd.nextLong(1 << 20) * PAGE;
                        domain.mapPages(cpu, iova, phys, PAGE, 1, IommuProt.READ | IommuProt.WRITE);
                        long got = hw.translate(iova, true);
                        if (got != phys) {
                            failure.compareAndSet(null, "mapped 0x" + Long.toHexString(iova) + " reached 0x" + Long.toHexString(got));
                        }
                        IotlbGather gather = new IotlbGather();
                        domain.unmapPages(cpu, iova, PAGE, 1, gather);
                        domain.iotlbSync(cpu, gather);
                        got = hw.translate(iova, false);
                        if (got != IotlbDevice.FAULT_UNMAPPED) {
                            failure.compareAndSet(null, "flushed 0x" + Long.toHexString(iova) + " reached 0x" + Long.toHexString(got));
                        }
                    }
                });
            } finally {
                done.set(true);
                device.get();
                deviceThread.shutdown();
            }
        }
        assertThat(failure.get()).isNull();
        assertThat(fn.iommuCtrs().syncRpcits()).isEqualTo(CPUS * 3000L);
    }
}
