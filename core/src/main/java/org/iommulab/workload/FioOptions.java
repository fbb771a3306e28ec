package org.iommulab.workload;

import org.iommulab.config.Records;
import org.iommulab.config.Reference;

/**
 * The options of {@link Fio}, named after fio's own: {@code numjobs} (0: one job per CPU),
 * {@code iodepth} per job, block size {@code bs} in bytes, {@code rwmixread} (percent of reads in
 * a random read/write mix), the size of the memory its buffers scatter over, the seed, how the
 * driver handles mapping errors, and the drive.
 */
public record FioOptions(int numjobs, int iodepth, int bs, int rwmixread, int memoryGiB, long seed,
        MapRetry retry, NvmeDrive drive) {

    public static final int MAX_JOBS = 4096;
    /** NVMe allows 65536 entries per queue, one of which stays empty. */
    public static final int MAX_IODEPTH = 65535;
    public static final int SECTOR_SIZE = 512;
    public static final int MAX_BS = 1 << 21;
    public static final int MAX_MEMORY_GIB = 1 << 20;

    /** {@code BLK_MQ_RESOURCE_DELAY}: blk-mq reruns a queue that ran out of resources after 3 ms. */
    public static final long BLK_MQ_RESOURCE_DELAY_NS = 3_000_000;

    public FioOptions {
        OptionRange.requireRange("fio numjobs", numjobs, 0, MAX_JOBS);
        OptionRange.requireRange("fio iodepth", iodepth, 1, MAX_IODEPTH);
        OptionRange.requireRange("fio bs", bs, SECTOR_SIZE, MAX_BS);
        if (bs % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException(
                    "fio bs " + bs + " is not a multiple of " + SECTOR_SIZE + "; allowed multiples of 512 in 512.." + MAX_BS);
        }
        OptionRange.requireRange("fio rwmixread", rwmixread, 0, 100);
        OptionRange.requireRange("fio memoryGiB", memoryGiB, 1, MAX_MEMORY_GIB);
        if (retry == null) {
            throw new IllegalArgumentException("fio retry is missing; give a MapRetry");
        }
        if (drive == null) {
            throw new IllegalArgumentException("fio drive is missing; allowed nvme, nvme-fast");
        }
    }

    /**
     * The reference configuration's fio (4 KiB random reads, one job per CPU at iodepth 32, on a
     * NAND drive) over the default guest memory; a request that cannot be mapped is retried as
     * blk-mq does, with BLK_MQ_RESOURCE_DELAY, and practically never failed.
     */
    public static FioOptions defaults() {
        Reference.Section fio = Reference.section("workloads", "fio");
        return new FioOptions(fio.integer("numjobs"), fio.integer("iodepth"), fio.integer("bs"), fio.integer("rwmixread"),
                Reference.integer("machine", "guestMemoryGiB"), Reference.integer("machine", "seed"),
                new MapRetry(MapRetry.MAX_TRIES, BLK_MQ_RESOURCE_DELAY_NS), NvmeDrive.parse(fio.text("device")));
    }

    public FioOptions withNumjobs(int n) {
        return Records.with(this, "numjobs", n);
    }

    public FioOptions withIodepth(int n) {
        return Records.with(this, "iodepth", n);
    }

    public FioOptions withBs(int n) {
        return Records.with(this, "bs", n);
    }

    public FioOptions withRwmixread(int percent) {
        return Records.with(this, "rwmixread", percent);
    }

    public FioOptions withSeed(long s) {
        return Records.with(this, "seed", s);
    }

    public FioOptions withRetry(MapRetry r) {
        return Records.with(this, "retry", r);
    }

    public FioOptions withDrive(NvmeDrive d) {
        return Records.with(this, "drive", d);
    }
}
