package org.iommulab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.iommulab.stats.StaleWindow;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The chart shapes the reports use, drawn by XChart in one size and style. */
final class ReportCharts {

    static final int WIDTH = 960;
    static final int HEIGHT = 440;

    private ReportCharts() {}

    /** One bar per label, on a logarithmic axis when the values span decades. */
    static CategoryChart bars(String title, String yTitle, List<String> labels, List<Double> values, boolean logY) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle)
                .build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(60);
        if (logY) { // bars start at the axis' minimum, which a log axis must have above 0
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(
                    values.stream().mapToDouble(Double::doubleValue).min().orElse(1)))));
        }
        chart.addSeries(yTitle, labels, values);
        return chart;
    }

    /** Bars grouped by label, one colour per series; every series has a value for every label. */
    static CategoryChart groupedBars(String title, String yTitle, List<String> labels, Map<String, List<Double>> series) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle)
                .build();
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        series.forEach((name, values) -> chart.addSeries(name, labels, values));
        return chart;
    }

    /** An empty scatter plot; add series with {@link #points} and {@link #line}. */
    static XYChart scatter(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(7);
        return chart;
    }

    /** Markers only. */
    static void points(XYChart chart, String name, List<Double> x, List<Double> y) {
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y);
        }
    }

    /** Markers joined by a line, e.g. a frontier or a distribution. */
    static void line(XYChart chart, String name, List<Double> x, List<Double> y) {
        if (!x.isEmpty()) {
            XYSeries s = chart.addSeries(name, x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.CIRCLE);
        }
    }

    /**
     * The distribution of stale windows of several runs: for each, the fraction of pages (y) whose
     * window was at most x microseconds; runs without windows are left out.
     */
    static XYChart staleCdf(String title, Map<String, StaleWindow> windows) {
        XYChart chart = scatter(title, "stale window (us, log)", "fraction of pages", true, false);
        windows.forEach((name, w) -> {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < w.cdfNs().size(); i++) {
                x.add(Math.max(w.cdfNs().get(i), 1) / 1000.0);
                y.add(StaleWindow.CDF_PERCENTILES.get(i) / 100);
            }
            line(chart, (w.lowerBound() ? ">= " : "") + name, x, y);
        });
        return chart;
    }
}
