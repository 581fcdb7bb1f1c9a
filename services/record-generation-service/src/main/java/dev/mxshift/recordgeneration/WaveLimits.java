package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.InvalidValueException;

import java.util.List;

/**
 * How much may change at once.
 *
 * @param maxInFlightPerWave  at most this many domains of one wave changing at the same time
 * @param maxTenantPercent    at most this share (1-100) of a tenant's domains changing at the same time; a tenant
 *                            may always have one, so small tenants move too
 * @param canaryWaves         waves, in order, each of which must complete cleanly before any later wave (and any
 *                            wave not listed) starts
 */
public record WaveLimits(int maxInFlightPerWave, int maxTenantPercent, List<String> canaryWaves) {

    public WaveLimits {
        if (maxInFlightPerWave < 1) {
            throw new InvalidValueException("max domains in flight per wave", String.valueOf(maxInFlightPerWave), "must be at least 1");
        }
        if (maxTenantPercent < 1 || maxTenantPercent > 100) {
            throw new InvalidValueException("max share of a tenant's domains", maxTenantPercent + "%", "must be between 1 and 100");
        }
        canaryWaves = canaryWaves == null ? List.of() : List.copyOf(canaryWaves);
    }

    public static WaveLimits defaults() {
        return new WaveLimits(500, 25, List.of());
    }
}
