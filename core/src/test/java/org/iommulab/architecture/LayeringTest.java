package org.iommulab.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers of the model as rules: the kernel model sees only the environment interface, never
 * an engine, the composition root, a workload, the reports or the CLI; workloads reach the kernel
 * only through the DMA API; drivers and platforms do not reach into dma-iommu; a guest driver sees
 * the platform beneath only through its own interfaces; drivers and platforms tell statistics
 * nothing directly.
 */
@AnalyzeClasses(packages = "org.iommulab", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    /** The guest's IOMMU drivers, siblings as in drivers/iommu, with the io-pgtable code two of them share. */
    private static final String[] GUEST_DRIVERS = {"org.iommulab.s390..", "org.iommulab.intel..",
        "org.iommulab.virtio..", "org.iommulab.arm..", "org.iommulab.ideal..", "org.iommulab.pgtable.."};

    private static final String[] KERNEL_MODEL = {"org.iommulab.iova..", "org.iommulab.iommu..",
        "org.iommulab.dma..", "org.iommulab.kernel..", "org.iommulab.s390..", "org.iommulab.intel..",
        "org.iommulab.virtio..", "org.iommulab.arm..", "org.iommulab.ideal..", "org.iommulab.pgtable.."};

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("org.iommulab.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule kernelModelSeesNoRunnerWorkloadReportOrCli = noClasses()
            .that().resideInAnyPackage(KERNEL_MODEL)
            .should().dependOnClassesThat().resideInAnyPackage("org.iommulab.lab..", "org.iommulab.workload..",
                    "org.iommulab.report..", "org.iommulab.nativebench..", "org.iommulab.cli..")
            .because("the kernel model is what every runner assembles, not the other way round");

    /** The engines and their virtual-time parts, as opposed to the interfaces the kernel model runs on. */
    static final DescribedPredicate<JavaClass> AN_ENGINE = resideInAnyPackage("org.iommulab.sim.virtual..",
            "org.iommulab.sim.threads..", "org.iommulab.sim.manual..").as("an engine or a virtual-time class");

    @ArchTest
    static final ArchRule kernelModelSeesNoEngine = noClasses()
            .that().resideInAnyPackage(KERNEL_MODEL)
            .should().dependOnClassesThat(AN_ENGINE)
            .because("the kernel model runs on the Engine, Cpu, SpinLock and KTimer interfaces, in virtual time"
                    + " and on threads alike");

    @ArchTest
    static final ArchRule driversAndPlatformsSeeNoStats = noClasses()
            .that().resideInAnyPackage(KERNEL_MODEL).or().resideInAPackage("org.iommulab.platform..")
            .should().dependOnClassesThat().resideInAPackage("org.iommulab.stats..")
            .because("drivers and platforms emit IommuTrace events; the statistics listen, as to tracepoints");

    @ArchTest
    static final ArchRule workloadsUseOnlyTheDmaApi = noClasses()
            .that().resideInAPackage("org.iommulab.workload..")
            .should().dependOnClassesThat().resideInAnyPackage("org.iommulab.iova..", "org.iommulab.iommu..",
                    "org.iommulab.dma..", "org.iommulab.s390..", "org.iommulab.platform..", "org.iommulab.lab..")
            .because("a workload is a device driver: it sees struct device and the DMA API");

    @ArchTest
    static final ArchRule workloadsRunOnEitherEngine = noClasses()
            .that().resideInAPackage("org.iommulab.workload..")
            .should().dependOnClassesThat(AN_ENGINE)
            .because("a workload is written against the Scheduler, so the same one runs in virtual time and on"
                    + " real threads");

    @ArchTest
    static final ArchRule driversAndPlatformsDoNotReachIntoDmaIommu = noClasses()
            .that().resideInAnyPackage(GUEST_DRIVERS).or().resideInAPackage("org.iommulab.platform..")
            .should().dependOnClassesThat().resideInAPackage("org.iommulab.dma..")
            .because("an IOMMU driver and the hardware and hypervisors beneath it see the IOMMU core's ops, not"
                    + " dma-iommu");

    @ArchTest
    static final ArchRule guestDriversSeeThePlatformOnlyThroughTheirOwnInterfaces = noClasses()
            .that().resideInAnyPackage(GUEST_DRIVERS)
            .should().dependOnClassesThat().resideInAPackage("org.iommulab.platform..")
            .because("a guest driver meets the firmware or VMM beneath through the interface it defines (RPCIT,"
                    + " the invalidation queue, the virtqueue); the platform implements it and the machine wires"
                    + " the two together");

    @ArchTest
    static final ArchRule policiesConfigureTheKernelModelOnly = noClasses()
            .that().resideInAPackage("org.iommulab.policy..")
            .should().dependOnClassesThat().resideInAnyPackage("org.iommulab.lab..", "org.iommulab.workload..",
                    "org.iommulab.report..", "org.iommulab.nativebench..", "org.iommulab.cli..", "org.iommulab.stats..")
            .because("a policy says how the kernel model is set up; the runners read the registry, not the reverse");

    @ArchTest
    static final ArchRule coreNeedsNoCliLibraries = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("picocli..", "me.tongfei..")
            .because("the model is a library; the command line is its own module");

    @ArchTest
    static final ArchRule onlyTheReferenceReadsYaml = noClasses()
            .that().resideOutsideOfPackage("org.iommulab.config..")
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..")
            .because("the model reads its defaults through Reference; files and formats are the command line's");
}
