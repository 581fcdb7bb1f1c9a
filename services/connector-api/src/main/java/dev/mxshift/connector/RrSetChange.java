package dev.mxshift.connector;

/**
 * Replace what is at {@code owner}/{@code type} in {@code zone}: from {@code expectedBefore} (null: nothing there)
 * to {@code target} (null: delete it). A connector with native compare-and-set makes the server refuse the write
 * when the set is not {@code expectedBefore}; for the others the engine around the SPI reads and compares first.
 */
public record RrSetChange(String zone, String owner, String type, RrSet expectedBefore, RrSet target) {

    public RrSetChange {
        if (zone == null || zone.isBlank() || zone.endsWith(".")) {
            throw new IllegalArgumentException("zone '" + zone + "' must be a name without the trailing dot");
        }
        if (expectedBefore == null && target == null) {
            throw new IllegalArgumentException("a change needs an expected-before or a target record set");
        }
        for (RrSet set : new RrSet[]{expectedBefore, target}) {
            if (set != null && (!set.owner().equals(owner) || !set.type().equals(type))) {
                throw new IllegalArgumentException("the record set " + set + " is not at " + owner + " " + type);
            }
        }
        if (!owner.equals(zone) && !owner.endsWith("." + zone)) {
            throw new IllegalArgumentException(owner + " is not inside the zone " + zone);
        }
    }
}
