package org.iommulab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Which points of a grid a sampled sweep runs: {@code random:N}, N distinct points drawn
 * uniformly, or {@code lhs:N}, a Latin hypercube: each axis's values are split into N strata that
 * the points take one each, in an independent random order per axis, so every value of every axis
 * is covered as evenly as N allows (points that coincide are run once). Points are numbered as in
 * the full grid (last axis fastest), so sampled sweeps shard, merge and resume like any other.
 */
record SweepSample(Kind kind, int size) {

    enum Kind { RANDOM, LHS }

    /** {@code random:N} or {@code lhs:N}. */
    static SweepSample parse(String spec) {
        String[] parts = spec.split(":", -1);
        Kind kind = parts.length != 2 ? null : switch (parts[0]) {
            case "random" -> Kind.RANDOM;
            case "lhs" -> Kind.LHS;
            default -> null;
        };
        int n = -1;
        try {
            n = kind == null ? -1 : Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            // reported below
        }
        if (kind == null || n < 1 || n > SweepCommand.MAX_POINTS) {
            throw new IllegalArgumentException("--sample " + spec + " is not random:N or lhs:N with 1 <= N <= "
                    + SweepCommand.MAX_POINTS);
        }
        return new SweepSample(kind, n);
    }

    /** The grid indices to run, ascending, for axes of {@code sizes} values each. */
    List<Long> indices(List<Integer> sizes, long seed) {
        long total = sizes.stream().mapToLong(Integer::longValue).reduce(1, Math::multiplyExact);
        Random random = new Random(seed);
        TreeSet<Long> chosen = new TreeSet<>();
        if (kind == Kind.RANDOM) {
            if (size >= total) {
                for (long i = 0; i < total; i++) {
                    chosen.add(i);
                }
            }
            while (chosen.size() < Math.min(size, total)) {
                chosen.add(Math.floorMod(random.nextLong(), total));
            }
            return new ArrayList<>(chosen);
        }
        int[][] strata = new int[sizes.size()][];
        for (int a = 0; a < sizes.size(); a++) {
            strata[a] = new int[size];
            for (int i = 0; i < size; i++) {
                strata[a][i] = (int) ((long) i * sizes.get(a) / size);
            }
            shuffle(strata[a], random);
        }
        for (int i = 0; i < size; i++) {
            long index = 0;
            for (int a = 0; a < sizes.size(); a++) {
                index = index * sizes.get(a) + strata[a][i];
            }
            chosen.add(index);
        }
        return new ArrayList<>(chosen);
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
