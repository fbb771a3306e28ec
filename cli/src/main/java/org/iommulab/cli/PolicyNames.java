package org.iommulab.cli;

import java.util.Iterator;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The registered policies for picocli: their names for help texts, and a name to its policy. */
final class PolicyNames implements Iterable<String>, ITypeConverter<InvalidationPolicy> {

    @Override
    public Iterator<String> iterator() {
        return Policies.all().stream().map(InvalidationPolicy::name).iterator();
    }

    @Override
    public InvalidationPolicy convert(String name) {
        try {
            return Policies.byName(name);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
