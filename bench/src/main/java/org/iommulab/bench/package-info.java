/**
 * JMH benchmarks of the model's hot paths against a floor (one translation-entry write and
 * clear plus one array push and pop), and of the simulator's own speed. Run with
 * {@code scripts/jmh short|full}.
 */
package org.iommulab.bench;
