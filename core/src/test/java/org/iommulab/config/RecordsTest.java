package org.iommulab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordsTest {

    record Window(int size, long timeoutNs, String name) {
        Window {
            if (size < 1) {
                throw new IllegalArgumentException("size " + size + " is below 1");
            }
        }
    }

    @Test
    void aCopyChangesOneComponentAndKeepsTheOthers() {
        Window w = new Window(256, 10_000_000, "percpu");
        assertThat(Records.with(w, "size", 32768)).isEqualTo(new Window(32768, 10_000_000, "percpu"));
        assertThat(Records.with(w, "name", "single")).isEqualTo(new Window(256, 10_000_000, "single"));
        assertThat(w).isEqualTo(new Window(256, 10_000_000, "percpu"));
    }

    @Test
    void theCopyIsCheckedByTheRecordsConstructorAndAnUnknownComponentIsNamed() {
        Window w = new Window(256, 10_000_000, "percpu");
        assertThatThrownBy(() -> Records.with(w, "size", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size 0 is below 1");
        assertThatThrownBy(() -> Records.with(w, "sise", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Window has no component sise; it has [size, timeoutNs, name]");
    }
}
