package org.iommulab.report;

/**
 * The Pareto frontier of points that trade one figure to maximise (throughput) against one to
 * minimise (the stale window): a point is on it when no other point is at least as good on both
 * and better on one. Equal points are all on it.
 */
public final class Pareto {

    private Pareto() {}

    /**
     * @param maximise each point's figure where more is better
     * @param minimise each point's figure where less is better, same length
     * @return for each point, whether it is on the frontier
     */
    public static boolean[] frontier(double[] maximise, double[] minimise) {
        if (maximise.length != minimise.length) {
            throw new IllegalArgumentException(maximise.length + " and " + minimise.length + " points");
        }
        boolean[] on = new boolean[maximise.length];
        for (int i = 0; i < on.length; i++) {
            on[i] = true;
            for (int j = 0; j < on.length && on[i]; j++) {
                boolean asGood = maximise[j] >= maximise[i] && minimise[j] <= minimise[i];
                boolean better = maximise[j] > maximise[i] || minimise[j] < minimise[i];
                on[i] = !(asGood && better);
            }
        }
        return on;
    }
}
