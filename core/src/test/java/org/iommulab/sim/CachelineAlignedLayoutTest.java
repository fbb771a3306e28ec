package org.iommulab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * Every cache-line-aligned class, as the JVM lays it out (JOL): its own fields at least 128 bytes
 * from the object's start and from its end, so no other object's fields share their lines.
 */
class CachelineAlignedLayoutTest {

    private static final int PADDING = 128;
    private static final Pattern PADDING_FIELD = Pattern.compile("headerGap|p\\d\\d|q\\d\\d");

    /** The final classes built on {@link CachelineAligned}, found in the compiled model. */
    private static List<Class<?>> alignedClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.iommulab").stream()
                .filter(c -> c.isAssignableTo(CachelineAligned.class))
                .map(JavaClass::reflect)
                .filter(c -> !Modifier.isAbstract(c.getModifiers()))
                .toList();
    }

    @Test
    void theModelsPerCpuObjectsAreAllAligned() {
        assertThat(alignedClasses()).extracting(Class::getSimpleName).contains(
                "FlushQueue", "IotlbGather", "IovaMagazine", "CpuRcache", "NativeSpinLock", "NativeCpu");
    }

    @Test
    void everyAlignedClassKeepsItsFieldsOffTheLinesOfItsNeighbours() {
        for (Class<?> aligned : alignedClasses()) {
            ClassLayout layout = ClassLayout.parseClass(aligned);
            List<FieldLayout> own = layout.fields().stream()
                    .filter(f -> !PADDING_FIELD.matcher(f.name()).matches())
                    .toList();
            assertThat(own).as("%s has fields of its own", aligned.getName()).isNotEmpty();
            for (FieldLayout f : own) {
                assertThat(f.offset()).as("%s.%s offset", aligned.getSimpleName(), f.name())
                        .isGreaterThanOrEqualTo(PADDING);
                assertThat(layout.instanceSize() - (f.offset() + f.size()))
                        .as("%s.%s bytes after it\n%s", aligned.getSimpleName(), f.name(), layout.toPrintable())
                        .isGreaterThanOrEqualTo(PADDING);
            }
        }
    }

    /** The check can fail: a class that pads only before its fields is caught. */
    @Test
    void aClassWithoutTrailingPaddingFailsTheCheck() {
        ClassLayout layout = ClassLayout.parseClass(PaddedBeforeOnly.class);
        FieldLayout hot = layout.fields().stream()
                .filter(f -> f.name().equals("hot")).findFirst().orElseThrow();
        assertThat(hot.offset()).isGreaterThanOrEqualTo(PADDING);
        assertThat(layout.instanceSize() - (hot.offset() + hot.size())).isLessThan(PADDING);
    }

    /** Fills the header's gap: without the int of {@link CachelineAligned}, a subclass's int would land at offset 12. */
    @Test
    void aSubclassIntDoesNotFillTheHeaderGap() {
        assumeTrue(ClassLayout.parseClass(Object.class).headerSize() == 12, "compressed class pointers");
        FieldLayout hot = ClassLayout.parseClass(PaddedBeforeOnly.class).fields().stream()
                .filter(f -> f.name().equals("hot")).findFirst().orElseThrow();
        FieldLayout unfilled = ClassLayout.parseClass(LongsOnlySubclass.class).fields().stream()
                .filter(f -> f.name().equals("hot")).findFirst().orElseThrow();
        assertThat(hot.offset()).isGreaterThanOrEqualTo(PADDING);
        assertThat(unfilled.offset()).isLessThan(16);
    }

    private static final class PaddedBeforeOnly extends CachelineAligned {
        int hot;
    }

    private abstract static class LongsOnly {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
    }

    private static final class LongsOnlySubclass extends LongsOnly {
        int hot;
    }
}
