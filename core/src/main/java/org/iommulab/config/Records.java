package org.iommulab.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * Copies of option records with one component changed, so a record's withers name the component
 * and nothing else: adding a component touches the record and its canonical constructor only. The
 * copy goes through the canonical constructor, so it is checked as any other instance is.
 */
public final class Records {

    private Records() {}

    /**
     * {@code record} with {@code component} set to {@code value}.
     *
     * @throws IllegalArgumentException what the record's constructor throws for the new value
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R record, String component, Object value) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean found = false;
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                boolean replaced = components[i].getName().equals(component);
                found |= replaced;
                args[i] = replaced ? value : components[i].getAccessor().invoke(record);
            }
            if (!found) {
                throw new IllegalStateException(record.getClass().getSimpleName() + " has no component " + component
                        + "; it has " + Arrays.stream(components).map(RecordComponent::getName).toList());
            }
            Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
            return (R) canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName(), e);
        }
    }
}
