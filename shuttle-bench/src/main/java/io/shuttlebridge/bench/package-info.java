/** Macro benchmarks behind {@code ./shuttle bench ...} and JMH micro-benchmarks. */
package io.shuttlebridge.bench;
