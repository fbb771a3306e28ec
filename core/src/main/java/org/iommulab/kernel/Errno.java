package org.iommulab.kernel;

/** The kernel error numbers the model returns, negated as the kernel returns them. */
public final class Errno {
    public static final int EIO = 5;
    public static final int ENOMEM = 12;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;

    private Errno() {}

    /** The symbolic name of a (positive or negative) error number, for messages. */
    public static String name(long errno) {
        return switch ((int) Math.abs(errno)) {
            case EIO -> "EIO";
            case ENOMEM -> "ENOMEM";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC";
            case ERANGE -> "ERANGE";
            default -> "E" + Math.abs(errno);
        };
    }
}
