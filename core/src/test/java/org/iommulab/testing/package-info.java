/** Test support: running test threads so that what they throw fails the test. */
package org.iommulab.testing;
