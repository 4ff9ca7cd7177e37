/**
 * Benchmarks of the gateway: JMH micro-benchmarks of the hot paths, Gatling simulations and a mock upstream.
 * The module compiles against the whole gateway so that benchmarks cannot fall behind its API.
 */
package dev.sluice.benchmarks;
