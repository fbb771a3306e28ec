package org.iommulab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndAlignedAsAsked() {
        String t = new TextTable().left("name").right("IOPS").left("note")
                .row("strict", "191.6k", "")
                .row("lazy-single", "4k", null)
                .render();
        assertThat(t).isEqualTo("""
                name           IOPS  note
                strict       191.6k
                lazy-single      4k  -
                """);
    }

    @Test
    void aRowMustFillEveryColumnAndColumnsComeFirst() {
        TextTable t = new TextTable().left("a").right("b");
        assertThatThrownBy(() -> t.row("x")).isInstanceOf(IllegalArgumentException.class);
        t.row("x", "y");
        assertThatThrownBy(() -> t.left("c")).isInstanceOf(IllegalStateException.class);
    }
}
