package org.iommulab.cli;

import java.util.Arrays;
import java.util.Iterator;
import org.iommulab.platform.PlatformKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The platforms for picocli: their command-line names for help texts, and a name to its platform. */
final class PlatformNames implements Iterable<String>, ITypeConverter<PlatformKind> {

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(PlatformKind.values()).map(PlatformKind::cliName).iterator();
    }

    @Override
    public PlatformKind convert(String name) {
        try {
            return PlatformKind.parse(name);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
