package org.iommulab.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Scheduler;

/**
 * fio's random block I/O on NVMe-like drives ({@link NvmeModel}) through blk-mq and the NVMe
 * driver's DMA path: each job runs on one CPU with {@code iodepth} requests in flight on its own
 * hardware queue ({@link BlkMqHwCtx}); each request is a block of random pages, one scatter-gather
 * map per request (as nvme_map_data does), a read or a write by the read mix, and costs
 * {@link Cost#BLOCK_SUBMIT_COMPLETE} of driver time. A block larger than the nvme queue limits
 * ({@link BlockLimits#nvme}: 128 KiB under dma-iommu) is split into several requests, each its own
 * map, command and driver time, and counts as one I/O when all are done; it is unmapped at its completion on the same
 * CPU and the tag carries the next. Job j runs on CPU j mod CPUs and drives device j mod devices,
 * one drive model per device.
 *
 * <p>Differs from fio and blk-mq: jobs sharing a CPU get a hardware queue each rather than sharing
 * one, and a request that fails (see {@link BlkMqHwCtx}) does not stop the job, as if
 * {@code continue_on_error} were set.
 */
public final class Fio extends AbstractWorkload {

    private final FioOptions options;
    private final PerCpuIoCounters counters = new PerCpuIoCounters();
    private final List<BlkMqHwCtx> queues = new ArrayList<>();

    public Fio(FioOptions options) {
        super("fio");
        this.options = options;
    }

    @Override
    protected void begin(Scheduler engine, Device... devices) {
        for (Device d : devices) {
            // as the nvme driver's probe does: dma_set_mask_and_coherent(64 bits), dma_set_max_seg_size(0xffffffff)
            d.setDmaMaskBits(64);
            d.setMaxSegSize(Device.MAX_SEG_SIZE_LIMIT);
        }
        NvmeModel[] drives = new NvmeModel[devices.length];
        for (int d = 0; d < devices.length; d++) {
            drives[d] = new NvmeModel(engine, devices[d].name(), options.drive());
        }
        int jobs = options.numjobs() == 0 ? engine.nrCpus() : options.numjobs();
        SplittableRandom seeds = new SplittableRandom(options.seed());
        int segments = RandomPages.segments(options.bs());
        for (int j = 0; j < jobs; j++) {
            Job job = new Job(seeds.split(), drives[j % devices.length]);
            Device dev = devices[j % devices.length];
            int cpu = j % engine.nrCpus();
            queues.add(new BlkMqHwCtx(engine, cpu, dev, job, counters.on(engine, cpu),
                    options.retry(), options.iodepth(), segments, BlockLimits.nvme(dev), stop));
        }
        queues.forEach(BlkMqHwCtx::start);
    }

    @Override
    public long inFlight() {
        return counters.inFlight();
    }

    @Override
    public IoResult result() {
        return counters.snapshot(queues.stream().mapToLong(BlkMqHwCtx::inFlight).sum());
    }

    /** One fio job: its random stream and its drive. */
    private final class Job implements RequestSource {
        private final SplittableRandom random;
        private final RandomPages pages;
        private final NvmeModel drive;

        Job(SplittableRandom random, NvmeModel drive) {
            this.random = random;
            this.pages = new RandomPages((long) options.memoryGiB() << 30, random);
            this.drive = drive;
        }

        @Override
        public DmaDirection next(ScatterList sg) {
            boolean read = random.nextInt(100) < options.rwmixread();
            pages.fill(sg, options.bs());
            return read ? DmaDirection.FROM_DEVICE : DmaDirection.TO_DEVICE;
        }

        @Override
        public long transfer(long atNs, ScatterList sg, DmaDirection dir, long translationNs) {
            return drive.submit(atNs, sg.totalLength(), dir == DmaDirection.TO_DEVICE, translationNs, random);
        }

        @Override
        public Cost driverCost() {
            return Cost.BLOCK_SUBMIT_COMPLETE;
        }
    }
}
