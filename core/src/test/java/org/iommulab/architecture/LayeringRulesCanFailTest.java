package org.iommulab.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link LayeringTest} pass on the main code; here they meet code that breaks them
 * (the kernel model's own tests, which drive it with test engines and read its counters), to show
 * that they can fail.
 */
class LayeringRulesCanFailTest {

    private static final JavaClasses DMA_WITH_TESTS = new ClassFileImporter().importPackages("org.iommulab.dma");

    @Test
    void aKernelClassThatUsesAnEngineBreaksTheEngineRule() {
        assertThat(LayeringTest.kernelModelSeesNoEngine.evaluate(DMA_WITH_TESTS).hasViolation()).isTrue();
    }

    @Test
    void theEngineRuleAllowsTheInterfacesTheKernelModelRunsOn() {
        assertThat(LayeringTest.kernelModelSeesNoEngine.evaluate(new ClassFileImporter()
                .withImportOption(new com.tngtech.archunit.core.importer.ImportOption.DoNotIncludeTests())
                .importPackages("org.iommulab.dma")).hasViolation()).isFalse();
    }
}
