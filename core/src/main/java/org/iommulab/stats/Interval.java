package org.iommulab.stats;

import java.util.Arrays;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * One metric over repeated runs that differ only in their seed: the mean and a 95% confidence
 * interval for it from Student's t distribution (the runs are few and their spread unknown), with
 * the spread and range of what was seen.
 *
 * @param n how many runs had a value
 * @param mean their mean
 * @param ci95Low the interval's lower end (the mean when {@code n} is 1: one run gives no spread)
 * @param ci95High the interval's upper end
 * @param stdDev the sample standard deviation (0 when {@code n} is 1)
 */
public record Interval(int n, double mean, double ci95Low, double ci95High, double stdDev, double min, double max) {

    /** The interval of {@code values}, at least one. */
    public static Interval of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("an interval needs at least one value");
        }
        int n = values.length;
        double mean = Arrays.stream(values).sum() / n;
        double min = Arrays.stream(values).min().orElseThrow();
        double max = Arrays.stream(values).max().orElseThrow();
        if (n == 1) {
            return new Interval(1, mean, mean, mean, 0, min, max);
        }
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        double stdDev = Math.sqrt(squares / (n - 1));
        double half = new TDistribution(n - 1).inverseCumulativeProbability(0.975) * stdDev / Math.sqrt(n);
        return new Interval(n, mean, mean - half, mean + half, stdDev, min, max);
    }

    /** Half the interval's width: the mean is known to within plus or minus this. */
    public double halfWidth() {
        return (ci95High - ci95Low) / 2;
    }

    java.util.Map<String, Object> toMap() {
        return new JsonMap()
                .put("n", n)
                .put("mean", mean)
                .put("ci95Low", ci95Low)
                .put("ci95High", ci95High)
                .put("stdDev", stdDev)
                .put("min", min)
                .put("max", max)
                .map();
    }
}
