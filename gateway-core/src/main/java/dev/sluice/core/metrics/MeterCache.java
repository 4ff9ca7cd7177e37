package dev.sluice.core.metrics;

import io.micrometer.core.instrument.Meter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One meter per combination of tag values, registered on first use and found again by those values alone. Building
 * a meter's id sorts and copies its tags, which every request would pay several times over; the tag values come
 * from bounded sets, so the cache stays as small as the registry.
 *
 * @param <M> the kind of meter
 */
public final class MeterCache<M extends Meter> {

    private final Map<List<String>, M> meters = new ConcurrentHashMap<>();
    private final Function<List<String>, M> register;

    /** @param register registers the meter for the tag values, in the order {@link #get} is given them */
    public MeterCache(Function<List<String>, M> register) {
        this.register = register;
    }

    /** The meter for these tag values. */
    public M get(String... tagValues) {
        return meters.computeIfAbsent(List.of(tagValues), register);
    }
}
